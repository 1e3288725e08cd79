// Markdown to styled logical lines, with md4c.
//
// The renderer walks md4c's callbacks and writes width-independent logical
// lines (styled_text.h): a paragraph is one logical line that the scrollback
// wraps at display time; list items and quotes carry their hanging indent or
// "│ " bar as the continuation prefix, so wrapped rows line up at any width.
// Fenced code keeps its whitespace and does not wrap (LineKind::nowrap),
// framed by a "╭─ lang" / "│ " / "╰─" box, and highlighted by the given
// CodeHighlighter (code_highlight.h) once its closing fence is there (an
// unfinished block, still streaming, stays plain); a thematic break is a full-width
// rule drawn by the scrollback. Links show their text and then the URL, dim.
//
// Blocks are separated by one blank line, decided by RenderState, which
// outlives a render() call. That is what makes incremental rendering exact:
// a document split at block boundaries and rendered chunk by chunk with one
// RenderState gives the same lines as rendering it whole (markdown_stream.h
// relies on this, and a test checks it).
//
//   StyledLines lines;
//   RenderState state;
//   render_markdown(text, lines, state);
//
// Borrows `text` during the call; appends to `out` (owns nothing).
#pragma once

#include <string_view>

#include "tui/styled_text.h"

namespace ik::tui {

struct MarkdownTheme {
    Style heading1 = Style{}.with(attr_bold | attr_underline).with_fg(color::magenta);
    Style heading2 = Style{}.with(attr_bold).with_fg(color::blue);
    Style heading = Style{}.with(attr_bold);
    Style inline_code = Style{}.with_fg(color::cyan);
    Style code = Style{};
    Style code_frame = Style{}.with(attr_dim);
    Style quote_bar = Style{}.with(attr_dim);
    Style bullet = Style{}.with_fg(color::yellow);
    Style link = Style{}.with(attr_underline).with_fg(color::blue);
    Style url = Style{}.with(attr_dim);
    Style rule = Style{}.with(attr_dim);
    Style table_bar = Style{}.with(attr_dim);
};

// What carries over between consecutive render() calls on one document.
struct RenderState {
    bool any_output = false; // a line has been emitted
    bool pending_blank = false; // the last block ended: separate the next one
};

class CodeHighlighter;

// Renders `text` (a sequence of complete blocks, or a whole document) and
// appends its lines to `out`. `highlighter` (borrowed; null: none) colours
// finished fenced code blocks.
void render_markdown(std::string_view text, StyledLines& out, RenderState& state,
    const MarkdownTheme& theme = MarkdownTheme{}, CodeHighlighter* highlighter = nullptr);

} // namespace ik::tui
