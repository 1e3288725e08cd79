#include <gtest/gtest.h>

#include "tui/layout.h"
#include "tui/widgets.h"

namespace ik::tui {
namespace {

using namespace std::chrono_literals;
const auto t0 = std::chrono::steady_clock::time_point{} + 1h;

std::string row_text(const Frame& f, int row)
{
    std::string t = f.row(row).text;
    while (!t.empty() && t.back() == ' ')
        t.pop_back();
    return t;
}

// The lines of one view: collapsed (the default) or expanded (Ctrl-O).
enum class View : uint8_t { collapsed, expanded };
std::string dump(const StyledLines& lines, View view = View::collapsed)
{
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        Fold fold = lines.line(i).fold;
        if (fold == Fold::always || (fold == Fold::expanded) == (view == View::expanded))
            out += std::string(lines.line(i).text) + "\n";
    }
    return out;
}

TEST(Widgets, StatusLineShowsModelTokensContextAndMemory)
{
    Frame f;
    f.reset({ 1, 100 });
    draw_status_line(f, 0,
        StatusInfo{ .model = "gpt-4.1",
            .tokens_in = 12345,
            .tokens_out = 678,
            .context_used = 50000,
            .context_limit = 200000,
            .memory_bytes = 3 * 1024 * 1024,
            .cost = "$0.12",
            .note = "scrolled" });
    std::string text = row_text(f, 0);
    EXPECT_TRUE(text.starts_with(" gpt-4.1 · in 12.3k · out 678 · mem 3.0 MB · ctx 25% · $0.12  ")) << text;
    EXPECT_TRUE(text.ends_with("  scrolled")) << text;
    EXPECT_EQ(text_width(text), 99); // right-aligned, one space of margin
    EXPECT_EQ(f.row_width(0), 100);
    EXPECT_TRUE(f.row(0).spans.front().style.has(attr_reverse));
}

// Without a known window the line says how many tokens the context holds; a
// model name from outside with escape sequences reaches the frame cleaned,
// and the cost after it is its own text, not the name's.
TEST(Widgets, StatusLineWithoutAWindowAndWithHostileText)
{
    Frame f;
    f.reset({ 1, 120 });
    draw_status_line(f, 0,
        StatusInfo{ .model = "evil\x1b[2Jmodel",
            .tokens_in = 10,
            .tokens_out = 2,
            .context_used = 50000,
            .context_limit = 0,
            .memory_bytes = 2048,
            .cost = "$0.0042",
            .note = "" });
    std::string text = row_text(f, 0);
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_TRUE(text.ends_with(" · mem 2.0 KB · ctx 50.0k · $0.0042")) << text;
    EXPECT_EQ(text.find("evil"), 1u) << text;
}

TEST(Widgets, SpinnerShowsElapsedTimeAndAdvances)
{
    Frame f;
    f.reset({ 2, 60 });
    Spinner s{ .started = t0, .label = "Thinking", .hint = "esc to interrupt" };
    draw_spinner(f, 0, s, t0 + 3250ms);
    draw_spinner(f, 1, s, t0 + 3250ms + spinner_interval);
    EXPECT_NE(row_text(f, 0).find("Thinking… 3.2s  (esc to interrupt)"), std::string::npos);
    EXPECT_NE(row_text(f, 0).substr(0, 3), row_text(f, 1).substr(0, 3)); // the glyph moved on
}

ToolCallView tool(std::string_view name, std::string_view command, ToolBlockState state)
{
    ToolCallView v;
    v.name = name;
    v.command = command;
    v.state = state;
    return v;
}

TEST(Widgets, ToolCallIsCompact)
{
    StyledLines lines;
    ToolCallView v = tool("shell", "ls -la", ToolBlockState::failed);
    v.exit_code = 2;
    v.output = "a\nb\nc\nd\ne\nf\n";
    v.max_output_lines = 3;
    render_tool_call(lines, v);
    EXPECT_EQ(dump(lines), "● shell  ls -la\n  ⎿ exit 2 · 6 lines\n    a\n    b\n    c\n    … 3 more lines (Ctrl-O)\n");
    // Expanded, every line and no marker.
    EXPECT_EQ(dump(lines, View::expanded),
        "● shell  ls -la\n  ⎿ exit 2 · 6 lines\n    a\n    b\n    c\n    d\n    e\n    f\n");
    EXPECT_EQ(lines.line(0).spans.front().style.fg, color::red);
    EXPECT_TRUE(lines.line(2).spans.front().style.has(attr_dim));
    lines.clear();
    render_tool_call(lines, tool("shell", "sleep 9", ToolBlockState::running));
    EXPECT_EQ(dump(lines), "● shell  sleep 9\n  ⎿ running\n");
}

TEST(Widgets, ExpandedToolOutputIsCapped)
{
    StyledLines lines;
    ToolCallView v = tool("bash", "seq 1000", ToolBlockState::ok);
    v.exit_code = 0;
    std::string output;
    for (int i = 1; i <= 1000; ++i)
        output += std::to_string(i) + "\n";
    v.output = output;
    render_tool_call(lines, v);
    std::string expanded = dump(lines, View::expanded);
    EXPECT_NE(expanded.find("    500\n"), std::string::npos);
    EXPECT_EQ(expanded.find("    501\n"), std::string::npos);
    EXPECT_NE(expanded.find("… 500 more lines not shown"), std::string::npos);
    EXPECT_NE(dump(lines).find("… 996 more lines (Ctrl-O)"), std::string::npos);
}

TEST(Widgets, ToolCallStatesSayWhatHappened)
{
    StyledLines lines;
    ToolCallView denied = tool("bash", "rm x", ToolBlockState::denied);
    denied.detail = "by you";
    render_tool_call(lines, denied);
    EXPECT_EQ(dump(lines), "● bash  rm x\n  ⎿ denied · by you\n");
    EXPECT_EQ(lines.line(0).spans.front().style.fg, color::red);
    lines.clear();
    render_tool_call(lines, tool("bash", "sleep 9", ToolBlockState::cancelled));
    EXPECT_EQ(dump(lines), "● bash  sleep 9\n  ⎿ cancelled\n");
    lines.clear();
    // An edit: no exit code, the hunk shown (headers skipped), +/- coloured.
    ToolCallView edit = tool("edit_file", "a.txt", ToolBlockState::ok);
    edit.detail = "+1 -1 lines";
    edit.output = "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n";
    edit.diff = true;
    edit.max_output_lines = 2;
    render_tool_call(lines, edit);
    EXPECT_EQ(dump(lines), "● edit_file  a.txt\n  ⎿ +1 -1 lines\n    @@ -1 +1 @@\n    -old\n    +new\n");
    EXPECT_EQ(lines.line(4).spans.back().style.fg, color::green);
}

TEST(Widgets, ApprovalBoxShowsCommandDiffAndKeys)
{
    ApprovalView v;
    v.title = "Edit src/a.cc?";
    v.diff = "@@ -1 +1 @@\n-old\n+new\n";
    EXPECT_EQ(approval_height(v, 60, 20), 5);
    Frame f;
    f.reset({ 5, 60 });
    draw_approval(f, 0, 5, v);
    EXPECT_TRUE(row_text(f, 0).starts_with("╭─ Edit src/a.cc? ─"));
    EXPECT_TRUE(row_text(f, 0).ends_with("╮"));
    EXPECT_EQ(row_text(f, 2), "│ -old" + std::string(53, ' ') + "│");
    EXPECT_EQ(f.row(3).spans[1].style.fg, color::green);
    EXPECT_NE(row_text(f, 4).find("y yes · n no · a always (this session)"), std::string::npos);
    for (int r = 0; r < 5; ++r)
        EXPECT_EQ(f.row_width(r), 60) << r;
}

// Issue 9: nothing of a command may be out of sight without a marker.
TEST(Widgets, ApprovalBoxWrapsLongLinesInsteadOfClipping)
{
    std::string command = "echo harmless" + std::string(80, ' ') + "; touch pwned";
    ApprovalView v;
    v.title = "Run this command?";
    v.command = command;
    v.always_rule = "echo *";
    EXPECT_EQ(approval_body_rows(v, 60), 2);
    Frame f;
    f.reset({ 4, 60 });
    draw_approval(f, 0, 4, v);
    EXPECT_NE(row_text(f, 2).find("↪"), std::string::npos);
    EXPECT_NE(row_text(f, 2).find("; touch pwned"), std::string::npos);
    EXPECT_NE(row_text(f, 3).find("a always: echo *"), std::string::npos);
}

TEST(Widgets, ApprovalBoxScrollsATallCommandWithMarkers)
{
    std::string script;
    for (int i = 1; i <= 62; ++i)
        script += "echo line" + std::to_string(i) + "\n";
    ApprovalView v;
    v.title = "Run this command?";
    v.command = script;
    Frame f;
    f.reset({ 10, 60 });
    draw_approval(f, 0, 10, v);
    EXPECT_NE(row_text(f, 1).find("echo line1 "), std::string::npos);
    EXPECT_NE(row_text(f, 8).find("↓ 55 more lines below"), std::string::npos);
    EXPECT_NE(row_text(f, 9).find("↑↓ scroll"), std::string::npos);
    v.scroll = 1000; // clamped: the end is reachable and nothing is below
    f.reset({ 10, 60 });
    draw_approval(f, 0, 10, v);
    EXPECT_NE(row_text(f, 1).find("↑ 55 more lines above"), std::string::npos);
    EXPECT_NE(row_text(f, 8).find("echo line62"), std::string::npos);
    EXPECT_EQ(row_text(f, 8).find("below"), std::string::npos);
}

TEST(Layout, StacksScrollbackSpinnerStatusAndInput)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    StyledLines lines;
    for (int i = 0; i < 20; ++i) {
        lines.begin_line();
        lines.add("history " + std::to_string(i));
    }
    sb.append(lines);
    StatusInfo status;
    status.model = "m";
    Spinner spinner{ .started = t0 };
    std::string_view rows[] = { "first line", "second" };
    Frame f;
    f.reset({ 8, 40 });
    layout(f,
        LayoutInput{ .scrollback = &sb,
            .status = &status,
            .spinner = &spinner,
            .approval = nullptr,
            .input = InputView{ .rows = rows, .cursor_row = 1, .cursor_col = 3 },
            .max_input_rows = 10,
            .now = t0 });
    EXPECT_EQ(row_text(f, 0), "history 16");
    EXPECT_EQ(row_text(f, 3), "history 19");
    EXPECT_NE(row_text(f, 4).find("Thinking"), std::string::npos);
    EXPECT_TRUE(row_text(f, 5).starts_with(" m · in 0"));
    EXPECT_EQ(row_text(f, 6), "› first line");
    EXPECT_EQ(row_text(f, 7), "  second");
    EXPECT_TRUE(f.cursor_visible());
    EXPECT_EQ(f.cursor_row(), 7);
    EXPECT_EQ(f.cursor_col(), 5);
}

TEST(Layout, TallInputScrollsToTheCursor)
{
    std::string_view rows[] = { "r0", "r1", "r2", "r3", "r4" };
    Frame f;
    f.reset({ 6, 20 });
    LayoutInput in;
    in.input.rows = rows;
    in.input.cursor_row = 4;
    in.max_input_rows = 3;
    layout(f, in);
    EXPECT_EQ(row_text(f, 3), "  r2");
    EXPECT_EQ(row_text(f, 5), "  r4");
    EXPECT_EQ(f.cursor_row(), 5);
}

} // namespace
} // namespace ik::tui
