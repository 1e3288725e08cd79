// Transcript — what the REPL writes into the scrollback, and in what order.
//
// The scrollback holds committed lines and, below them, the live tail of a
// reply still streaming (tui::MarkdownStream re-renders only that open
// block). print() appends finished lines *above* the tail without ending
// the reply, so a notice or a command's output that arrives mid-reply
// lands between blocks and never splits a streamed line or word. Thinking
// is shown when it ends: one dim line and a "… N lines (Ctrl-O)" marker in
// the collapsed view, its text in the expanded one (tui::Fold); tool blocks
// fold the same way (tui::render_tool_call). Ctrl-O switches the views.
//
// Fenced code in replies is highlighted once per finished block
// (tui/code_highlight.h, GNU Source-highlight); with IK_DEBUG set, a dim line
// says why a block's language stayed plain.
//
// Owns: the scrollback (a child arena of the given arena), the highlighter
// and its cache, the reply stream, a scratch StyledLines. Borrows the arena.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "app/commands/command.h"
#include "core/arena.h"
#include "tui/code_highlight.h"
#include "tui/markdown_stream.h"
#include "tui/scrollback.h"
#include "tui/widgets.h"

namespace ik::app {

class Transcript {
public:
    explicit Transcript(mem::Arena& arena);

    tui::Scrollback& scrollback() { return *m_scrollback; }
    const tui::Scrollback& scrollback() const { return *m_scrollback; }

    // Lines of text (split at '\n'), styled by tone.
    void print(std::string_view text, Tone tone);
    // "› prompt" in bold between blank lines.
    void user_prompt(std::string_view text);
    void reply_delta(std::string_view text);
    void thinking_delta(std::string_view text);
    // A whole reply at once (a resumed session's history).
    void reply(std::string_view text);
    void tool_block(const tui::ToolCallView& view);
    // Ends a streaming reply and a thinking block (a tool call or the turn's end).
    void end_stream();
    void clear();

    // Ctrl-O: the expanded or the collapsed view of tool output and thinking.
    void toggle_expanded() { m_scrollback->set_expanded(!m_scrollback->expanded()); }

    bool in_reply() const { return m_in_reply; }
    // Every line's text, one per line (tests).
    std::string text() const;

private:
    void end_reply();
    void end_thinking();

    void print_debug_notes();

    std::unique_ptr<tui::Scrollback> m_scrollback;
    std::vector<std::string> m_debug_notes; // IK_DEBUG: why code stayed plain, printed after the delta
    std::unique_ptr<tui::HighlightCache> m_highlighter;
    std::unique_ptr<tui::MarkdownStream> m_reply;
    bool m_in_reply = false;
    bool m_in_thinking = false;
    static constexpr size_t max_thinking_kept = size_t{ 64 } * 1024; // bytes of thinking text shown expanded
    size_t m_thinking_bytes = 0;
    std::string m_thinking; // up to max_thinking_kept bytes of the open thinking block
    std::chrono::steady_clock::time_point m_thinking_started;
    tui::StyledLines m_lines;
};

} // namespace ik::app
