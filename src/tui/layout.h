// Layout: stacks the REPL's parts into one frame.
//
//   ┌──────────────────────────────┐
//   │ scrollback (all spare rows)  │
//   │ ⠙ Thinking… 2.1s             │  spinner, while waiting
//   │ ◐ the plan (todo_panel.h)    │  the model's task list, a few rows
//   │ ╭─ approval box ───────────╮ │  when a tool call needs a yes/no
//   │ ╰──────────────────────────╯ │
//   │  /compact  summarise …       │  panel: the command menu, queued messages
//   │  model · in · out · ctx · mem│  status line
//   │ › input, growing with rows   │  input zone (bottom)
//   └──────────────────────────────┘
//
// The input editor (tui/editor.h, built separately) plugs in through
// InputView: rows already wrapped to `input_width(frame width)` columns and
// free of control characters, and the cursor as (row, column) within them.
// When there are more rows than fit, the zone scrolls to keep the cursor
// visible. The terminal cursor is placed at the editor's cursor.
//
// Borrows everything in LayoutInput for the call; owns nothing.
#pragma once

#include <chrono>
#include <span>
#include <string_view>

#include "tui/approval_box.h"
#include "tui/frame.h"
#include "tui/scrollback.h"
#include "tui/todo_panel.h"
#include "tui/widgets.h"

namespace ik::tui {

struct InputView {
    std::span<const std::string_view> rows; // wrapped rows; empty = one empty row
    int cursor_row = 0;
    int cursor_col = 0; // display columns within the row
    std::string_view prompt = "› ";
    std::string_view continuation = "  "; // same width as prompt
    bool show_cursor = true;
};

// Columns the editor may use per row at `frame_cols` (after the prompt).
int input_width(int frame_cols, std::string_view prompt = "› ");

// Rows shown just above the status line (the command menu, queued
// messages), each already free of control characters; clipped at the
// right edge. At most half the rows above the input are given to it.
struct PanelView {
    std::span<const std::string_view> rows;
    int selected = -1; // drawn in reverse video; -1: none
};

struct LayoutInput {
    Scrollback* scrollback = nullptr;
    const StatusInfo* status = nullptr;
    const Spinner* spinner = nullptr; // null: not waiting
    const ApprovalView* approval = nullptr; // null: no prompt
    const TodoPanelView* todo = nullptr; // null or no items: no task list
    PanelView panel{};
    InputView input;
    int max_input_rows = 10;
    std::chrono::steady_clock::time_point now;
};

// Draws everything into `frame` (already reset to the terminal size).
void layout(Frame& frame, const LayoutInput& in);

} // namespace ik::tui
