// The task-list panel: its markers and styles, the window a long list shows
// around the item in progress, and its place in the layout (below the
// spinner, above the status line).
#include <gmock/gmock.h>

#include "core/arena.h"
#include "tui/layout.h"
#include "tui/todo_panel.h"

namespace ik::tui {
namespace {

std::string text_of(const Frame& f, int row)
{
    std::string s = f.row(row).text;
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

std::vector<TodoRow> rows_of(std::initializer_list<TodoMark> marks, std::vector<std::string>& texts)
{
    texts.clear();
    for (size_t i = 0; i < marks.size(); ++i)
        texts.push_back("item " + std::to_string(i + 1));
    std::vector<TodoRow> rows;
    size_t i = 0;
    for (TodoMark m : marks)
        rows.push_back(TodoRow{ texts[i++], m });
    return rows;
}

TEST(TodoPanel, EachItemIsOneRowWithItsMarkerAndStyle)
{
    std::vector<std::string> texts;
    auto rows = rows_of({ TodoMark::done, TodoMark::in_progress, TodoMark::pending }, texts);
    TodoPanelView view{ .items = rows };
    Frame f;
    f.reset({ 5, 30 });
    ASSERT_EQ(todo_panel_height(view, 5), 3);
    draw_todo_panel(f, 1, 3, view);
    EXPECT_EQ(text_of(f, 1), "  ☑ item 1");
    EXPECT_EQ(text_of(f, 2), "  ◐ item 2");
    EXPECT_EQ(text_of(f, 3), "  ☐ item 3");
    auto style_of_text = [&](int row) { return f.row(row).spans.back().style; };
    EXPECT_TRUE(style_of_text(1).has(attr_dim));
    EXPECT_TRUE(style_of_text(1).has(attr_strike));
    EXPECT_TRUE(style_of_text(2).has(attr_bold));
    EXPECT_FALSE(style_of_text(3).has(attr_bold) || style_of_text(3).has(attr_dim));
}

TEST(TodoPanel, ALongListShowsAWindowAroundTheItemInProgressAndCountsTheRest)
{
    std::vector<std::string> texts;
    auto rows = rows_of({ TodoMark::done, TodoMark::done, TodoMark::done, TodoMark::done, TodoMark::in_progress,
                            TodoMark::pending, TodoMark::pending, TodoMark::pending, TodoMark::pending },
        texts);
    TodoWindow w = todo_window(rows, 4);
    EXPECT_EQ(w.first, 3u); // one done item before the one in progress
    EXPECT_EQ(w.count, 3u);
    EXPECT_EQ(w.hidden_before, 3u);
    EXPECT_EQ(w.hidden_after, 3u);
    TodoPanelView view{ .items = rows, .max_rows = 4 };
    ASSERT_EQ(todo_panel_height(view, 20), 4);
    Frame f;
    f.reset({ 4, 40 });
    draw_todo_panel(f, 0, 4, view);
    EXPECT_EQ(text_of(f, 0), "  ☑ item 4");
    EXPECT_EQ(text_of(f, 1), "  ◐ item 5");
    EXPECT_EQ(text_of(f, 2), "  ☐ item 6");
    EXPECT_EQ(text_of(f, 3), "  … 3 earlier, 3 more");
    // At the start of a plan only the tail is hidden; with nothing in
    // progress the first item not done is the focus.
    auto fresh = rows_of({ TodoMark::pending, TodoMark::pending, TodoMark::pending, TodoMark::pending }, texts);
    w = todo_window(fresh, 3);
    EXPECT_EQ(w.first, 0u);
    EXPECT_EQ(w.hidden_after, 2u);
    auto finished = rows_of({ TodoMark::done, TodoMark::done, TodoMark::done, TodoMark::done }, texts);
    w = todo_window(finished, 3);
    EXPECT_EQ(w.first + w.count, 4u); // the end of a finished plan
    EXPECT_EQ(w.hidden_before, 2u);
}

TEST(TodoPanel, EmptyOrNoRoomTakesNoRowsAndLongTextIsClipped)
{
    TodoPanelView none;
    EXPECT_EQ(todo_panel_height(none, 10), 0);
    std::string long_text(200, 'x');
    TodoRow row{ long_text, TodoMark::pending };
    TodoPanelView one{ .items = std::span<const TodoRow>(&row, 1) };
    EXPECT_EQ(todo_panel_height(one, 0), 0);
    Frame f;
    f.reset({ 1, 20 });
    draw_todo_panel(f, 0, 1, one);
    EXPECT_EQ(f.row_width(0), 20);
}

TEST(TodoPanel, TheLayoutPutsItBelowTheSpinnerAndAboveTheStatusLine)
{
    mem::Arena arena("layout");
    Scrollback sb(arena);
    StyledLines lines;
    for (int i = 0; i < 20; ++i) {
        lines.begin_line();
        lines.add("history " + std::to_string(i));
    }
    sb.append(lines);
    StatusInfo status;
    status.model = "m";
    auto t0 = std::chrono::steady_clock::now();
    Spinner spinner{ .started = t0 };
    std::vector<std::string> texts;
    auto rows = rows_of({ TodoMark::in_progress, TodoMark::pending }, texts);
    TodoPanelView todo{ .items = rows };
    std::string_view input[] = { "typed" };
    Frame f;
    f.reset({ 10, 40 });
    LayoutInput in;
    in.scrollback = &sb;
    in.status = &status;
    in.spinner = &spinner;
    in.todo = &todo;
    in.input = InputView{ .rows = input };
    in.now = t0;
    layout(f, in);
    EXPECT_THAT(text_of(f, 5), ::testing::HasSubstr("Thinking"));
    EXPECT_EQ(text_of(f, 6), "  ◐ item 1");
    EXPECT_EQ(text_of(f, 7), "  ☐ item 2");
    EXPECT_THAT(text_of(f, 8), ::testing::StartsWith(" m · in 0"));
    EXPECT_EQ(text_of(f, 9), "› typed");
    EXPECT_EQ(text_of(f, 4), "history 19");
}

} // namespace
} // namespace ik::tui
