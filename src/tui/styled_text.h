// Styled logical lines: the currency between producers of text (Markdown,
// tool-call and message renderers) and the scrollback.
//
// A logical line is display text before wrapping: its bytes, the styled spans
// covering them, and a continuation prefix (its own spans) repeated at the
// start of every wrapped row after the first: spaces for a list item's
// hanging indent, "│ " for a block quote. Wrapping happens later, at the
// width the line is shown at, so one rendering serves every window size.
//
// StyledLines is a reusable builder: clear() keeps its capacity, so a
// renderer that rebuilds the same lines on every streamed delta stops
// allocating once warm. Text added here is sanitised: control characters and
// invalid UTF-8 become U+FFFD and tabs become spaces, so model output can
// never smuggle an escape sequence to the terminal.
//
// Owns its buffers (std::string / std::vector, reused). Views borrow them
// until the next mutation.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "tui/style.h"

namespace ik::tui {

// A run of bytes [begin, end) of a line's text in one style.
struct Span {
    uint32_t begin = 0;
    uint32_t end = 0;
    Style style;
};

enum class LineKind : uint8_t {
    text, // wraps at word boundaries
    nowrap, // clipped at the window edge (code blocks)
    rule, // a horizontal rule drawn across the full width in `rule_style`
};

// Whether a line belongs to the collapsed or the expanded view of a block
// (tool output, thinking): Ctrl-O switches the whole scrollback between the
// two (Scrollback::set_expanded), and a line hidden in the current view takes
// no rows.
enum class Fold : uint8_t {
    always,
    expanded, // the rest of a block's output, past the lines the collapsed view shows
    collapsed, // the "… N more lines (Ctrl-O)" marker standing for them
};

// A logical line: its text and spans, and its continuation prefix (text and
// spans of their own). Span offsets are relative to their own text.
struct LineView {
    std::string_view text;
    std::span<const Span> spans;
    std::string_view prefix_text;
    std::span<const Span> prefix_spans;
    LineKind kind = LineKind::text;
    Fold fold = Fold::always;
};

// Appends `text` to `out` with control characters and invalid UTF-8 replaced
// by U+FFFD and each tab expanded to spaces up to the next multiple of 4 of
// the byte count written so far on the line (`column` tracks it; pass 0 at the
// start of a line).
void append_sanitized(std::string& out, std::string_view text, size_t& column);

class StyledLines {
public:
    void clear();
    size_t size() const { return m_lines.size(); }
    bool empty() const { return m_lines.empty(); }

    // Starts a new logical line.
    void begin_line(LineKind kind = LineKind::text);
    // Puts the current line in one view only (Fold).
    void set_fold(Fold fold) { open_line().fold = fold; }
    // Appends styled content to the current line (sanitised).
    void add(std::string_view text, Style style = {});
    // Appends to the current line's continuation prefix (sanitised).
    void add_prefix(std::string_view text, Style style = {});
    // A whole empty line.
    void blank_line() { begin_line(); }

    LineView line(size_t index) const;
    // Total bytes of text held (for statistics).
    size_t text_bytes() const { return m_text.size(); }

private:
    struct Record {
        uint32_t text_begin = 0, text_end = 0;
        uint32_t span_begin = 0, span_end = 0;
        uint32_t prefix_begin = 0, prefix_end = 0;
        uint32_t prefix_span_begin = 0, prefix_span_end = 0;
        LineKind kind = LineKind::text;
        Fold fold = Fold::always;
    };
    Record& open_line();

    std::string m_text;
    std::vector<Span> m_spans;
    std::string m_prefix_text;
    std::vector<Span> m_prefix_spans;
    std::vector<Record> m_lines;
    size_t m_column = 0;
};

// Display width of a span list over `text` (the sum of its spans).
utf8::Columns spans_width(std::string_view text, std::span<const Span> spans);

} // namespace ik::tui
