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
    bool estimate = false; // the round's figures are estimates until the provider reports usage
    uint64_t context_used = 0; // tokens in the window
    uint64_t context_limit = 0; // 0: unknown
    uint64_t memory_bytes = 0; // live bytes of the session arena tree
    std::string_view cost{}; // the session's cost so far ("$0.12"); empty: not shown
    std::string_view note; // right-aligned hint ("scrolled", "approve?")
    std::string_view mode{}; // the approval mode when it is not the default ("auto-edit"), right-aligned after the note
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

// How a tool block ended, as the REPL classified it (tui knows no tools).
enum class ToolBlockState { running, ok, failed, denied, cancelled };

struct ToolCallView {
    std::string_view name; // "bash", "edit_file", ...
    std::string_view command; // the command line or the target path
    ToolBlockState state = ToolBlockState::running;
    std::optional<int> exit_code; // shown as "exit N" when set
    std::string_view detail; // "denied by you", "+1 -1 lines"; may be empty
    std::string_view output; // output lines, or a unified diff when `diff`
    bool diff = false; // colour +/- lines; skip the ---/+++ headers
    int max_output_lines = 4; // in the collapsed view; the expanded view (Ctrl-O) shows all
    static constexpr size_t max_expanded_lines = 500; // kept in the scrollback per block
};

// Compact tool call for the scrollback: "● bash  ls -la", then
// "  ⎿ exit 0 · 12 lines" (or "denied by you", "cancelled", "+1 -1 lines")
// and the first output lines, dimmed; the diff of an edit shows its hunks.
// The lines past max_output_lines are in the expanded view only, a
// "… N more lines (Ctrl-O)" marker in the collapsed one (Fold).
void render_tool_call(StyledLines& out, const ToolCallView& view);

// Human-readable counts: 1234 -> "1.2k", 12345678 -> "12.3M"; bytes -> "4.1 MB".
void format_count(char (&buffer)[16], uint64_t value);
void format_bytes(char (&buffer)[16], uint64_t bytes);

} // namespace ik::tui
