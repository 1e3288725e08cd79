// The task-list panel: the model's plan (the todo tool) in a few rows above
// the input, one item a row with a marker:
//
//   ☑ Read the config loader          done: dimmed, struck through
//   ◐ Add the todo tool               in progress: bold
//   ☐ Write the tests                 pending
//   … 4 more
//
// Capped at `max_rows`; a longer list shows a window around the item in
// progress (or the first one not done) with one item before it, and a last
// row that counts what is hidden. Rows are clipped at the frame's right
// edge. The glyphs are Unicode, like the rest of the REPL's chrome (the
// spinner, the box borders): tui has no ASCII fallback.
//
// A pure function of the view, like the other widgets (widgets.h).
// Borrows every string_view for the call; owns nothing. The item text must
// be sanitised (no control characters), as for Frame::put.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tui/frame.h"

namespace ik::tui {

enum class TodoMark : uint8_t { pending, in_progress, done };

struct TodoRow {
    std::string_view text;
    TodoMark mark = TodoMark::pending;
};

struct TodoPanelView {
    std::span<const TodoRow> items{};
    int max_rows = 6;
};

// The marker drawn before an item: "☐", "◐", "☑".
std::string_view todo_marker(TodoMark mark);

// Which items fit in `rows` rows: [first, first + count), and how many are
// hidden before and after (the last row says so when any are).
struct TodoWindow {
    size_t first = 0;
    size_t count = 0;
    size_t hidden_before = 0;
    size_t hidden_after = 0;
};
TodoWindow todo_window(std::span<const TodoRow> items, int rows);

// Rows the panel takes when `available` rows are free: 0 for no items.
int todo_panel_height(const TodoPanelView& view, int available);

// Draws the panel into rows [row, row + height).
void draw_todo_panel(Frame& frame, int row, int height, const TodoPanelView& view);

} // namespace ik::tui
