#include "tui/todo_panel.h"

#include <algorithm>
#include <cstdio>

namespace ik::tui {

std::string_view todo_marker(TodoMark mark)
{
    switch (mark) {
    case TodoMark::pending:
        return "☐";
    case TodoMark::in_progress:
        return "◐";
    case TodoMark::done:
        return "☑";
    }
    return "☐";
}

TodoWindow todo_window(std::span<const TodoRow> items, int rows)
{
    TodoWindow w;
    size_t n = items.size();
    size_t room = static_cast<size_t>(std::max(0, rows));
    if (n <= room) {
        w.count = n;
        return w;
    }
    if (room == 0) {
        w.hidden_after = n;
        return w;
    }
    size_t shown = room - 1; // the last row counts the rest
    // The item being worked on, else the first one still to do, else the end.
    size_t focus = n - 1;
    auto in_progress
        = std::find_if(items.begin(), items.end(), [](const TodoRow& r) { return r.mark == TodoMark::in_progress; });
    auto open = std::find_if(items.begin(), items.end(), [](const TodoRow& r) { return r.mark != TodoMark::done; });
    if (in_progress != items.end())
        focus = static_cast<size_t>(in_progress - items.begin());
    else if (open != items.end())
        focus = static_cast<size_t>(open - items.begin());
    // One item of context before the focus, when there is room for it.
    size_t first = focus > 0 && shown > 1 ? focus - 1 : focus;
    first = std::min(first, n - shown);
    w.first = first;
    w.count = shown;
    w.hidden_before = first;
    w.hidden_after = n - first - shown;
    return w;
}

int todo_panel_height(const TodoPanelView& view, int available)
{
    if (view.items.empty())
        return 0;
    int rows = std::min(view.max_rows, available);
    if (rows <= 0)
        return 0;
    TodoWindow w = todo_window(view.items, rows);
    return static_cast<int>(w.count) + (w.hidden_before || w.hidden_after ? 1 : 0);
}

void draw_todo_panel(Frame& frame, int row, int height, const TodoPanelView& view)
{
    if (height <= 0)
        return;
    TodoWindow w = todo_window(view.items, height);
    Style dim = Style{}.with(attr_dim);
    for (size_t i = 0; i < w.count; ++i) {
        const TodoRow& item = view.items[w.first + i];
        int y = row + static_cast<int>(i);
        Style marker = item.mark == TodoMark::in_progress ? Style{}.with(attr_bold).with_fg(color::cyan)
            : item.mark == TodoMark::done                 ? dim
                                                          : Style{};
        Style text = item.mark == TodoMark::in_progress ? Style{}.with(attr_bold)
            : item.mark == TodoMark::done               ? dim.with(attr_strike)
                                                        : Style{};
        frame.put(y, "  ");
        frame.put(y, todo_marker(item.mark), marker);
        frame.put(y, " ");
        frame.put(y, item.text, text);
    }
    if (!w.hidden_before && !w.hidden_after)
        return;
    char more[64];
    if (w.hidden_before && w.hidden_after)
        std::snprintf(more, sizeof more, "  … %zu earlier, %zu more", w.hidden_before, w.hidden_after);
    else if (w.hidden_before)
        std::snprintf(more, sizeof more, "  … %zu earlier", w.hidden_before);
    else
        std::snprintf(more, sizeof more, "  … %zu more", w.hidden_after);
    frame.put(row + static_cast<int>(w.count), more, dim);
}

} // namespace ik::tui
