// MarkdownStream: renders an assistant reply into the scrollback as it
// streams, without re-rendering what is finished.
//
// The reply's source accumulates here. After each delta, complete blocks
// are found by a line scanner that needs no parse: a blank line outside a
// fenced code block, followed by a complete line that starts at column 0 and
// is not a list marker, ends every open block (a following list item or
// indented line could still continue a list or an indented block, so those
// wait). Everything before such a boundary is rendered once and committed to
// the scrollback's arena; only the trailing open block is re-rendered on
// each delta and replaces the scrollback's live tail. Because blocks are
// separated through RenderState (markdown.h), the lines produced this way are
// exactly those of rendering the whole reply at once (tested).
//
// Cost per delta: O(delta) scanning plus O(open block) rendering.
// Known limit: a link reference definition ("[x]: url") applies only to
// links within the same committed chunk.
//
// Owns the reply source (a std::string, reused across replies by reset())
// and its line buffers. Borrows the scrollback.
#pragma once

#include <string>
#include <string_view>

#include "tui/markdown.h"
#include "tui/scrollback.h"

namespace ik::tui {

class MarkdownStream {
public:
    // `highlighter` (borrowed, may be null) colours finished code blocks.
    explicit MarkdownStream(
        Scrollback& scrollback, const MarkdownTheme& theme = MarkdownTheme{}, CodeHighlighter* highlighter = nullptr);

    // Appends a text delta and updates the scrollback (commits finished
    // blocks, replaces the tail).
    void append(std::string_view delta);
    // The reply is complete: commit the tail.
    void finish();
    // Forget the current reply (after finish) to start another.
    void reset();

    std::string_view source() const { return m_source; }
    size_t committed_bytes() const { return m_committed; }

private:
    void scan();
    void commit_until(size_t end);
    void render_tail();

    Scrollback& m_scrollback;
    MarkdownTheme m_theme;
    CodeHighlighter* m_highlighter; // borrowed; null: code stays plain
    std::string m_source;
    size_t m_committed = 0; // source bytes rendered and committed
    size_t m_scan = 0; // start of the first line not yet scanned
    size_t m_candidate = 0; // a boundary after blank lines, awaiting the next line; 0 = none
    bool m_in_fence = false;
    char m_fence_char = 0;
    size_t m_fence_len = 0;
    RenderState m_state;
    StyledLines m_lines;
};

} // namespace ik::tui
