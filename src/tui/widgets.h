// Widgets: the small pieces around the scrollback.
//
// Each widget is a pure function of plain values the REPL passes in (no
// widget reads agent or store state), drawing into a Frame row range or
// producing StyledLines for the scrollback. That keeps them testable
// without a terminal and keeps tui/ independent of how the values are kept.
//
//   draw_status_line(frame, row, StatusInfo{.model = "gpt-4.1", ...});
//   draw_spinner(frame, row, Spinner{.started = t0, .label = "Thinking"}, now);
//   render_tool_call(lines, ToolCallView{.name = "shell", .command = "ls", ...});
//   draw_approval(frame, top, height, ApprovalView{...});
//
// Borrows every string_view for the duration of the call; owns nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "tui/frame.h"
#include "tui/styled_text.h"

namespace ik::tui {

struct StatusInfo {
    std::string_view model;
    uint64_t tokens_in = 0;
    uint64_t tokens_out = 0;
    uint64_t context_used = 0; // tokens in the window
    uint64_t context_limit = 0; // 0: unknown
    uint64_t memory_bytes = 0; // live bytes of the session arena tree
    std::string_view cost; // the session's cost so far ("$0.12"); empty: not shown
    std::string_view note; // right-aligned hint ("scrolled", "approve?")
};

// One row, reverse video across the full width.
void draw_status_line(Frame& frame, int row, const StatusInfo& info);

struct Spinner {
    std::chrono::steady_clock::time_point started;
    std::string_view label = "Thinking";
    std::string_view hint = "esc to interrupt";
};
// How often the spinner's glyph changes: the REPL's redraw timer while waiting.
inline constexpr std::chrono::milliseconds spinner_interval{ 80 };

// "⠙ Thinking… 3.2s  (esc to interrupt)".
void draw_spinner(Frame& frame, int row, const Spinner& spinner, std::chrono::steady_clock::time_point now);

struct ToolCallView {
    std::string_view name; // "shell", "edit", ...
    std::string_view command; // the command line or the target path
    std::optional<int> exit_code; // empty while running
    std::string_view output; // stdout+stderr, as captured
    int max_output_lines = 4;
};

// Compact tool call for the scrollback: "● shell  ls -la", then
// "  ⎿ exit 0 · 12 lines" and the first output lines, dimmed.
void render_tool_call(StyledLines& out, const ToolCallView& view);

struct ApprovalView {
    std::string_view title; // "Run shell command?"
    std::string_view command; // shown as is
    std::string_view diff; // unified diff of an edit (+/- coloured)
};

// Rows the approval box wants at `width` (box, body up to `max_rows` - 2, keys).
int approval_height(const ApprovalView& view, int max_rows);
// Draws the box in rows [top, top + height) with the key line
// "y yes · n no · a always (this session)".
void draw_approval(Frame& frame, int top, int height, const ApprovalView& view);

// Human-readable counts: 1234 -> "1.2k", 12345678 -> "12.3M"; bytes -> "4.1 MB".
void format_count(char (&buffer)[16], uint64_t value);
void format_bytes(char (&buffer)[16], uint64_t bytes);

} // namespace ik::tui
