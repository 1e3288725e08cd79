#include "tui/styled_text.h"

#include "tui/internal/utf8_sequence.h"

namespace ik::tui {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";
constexpr size_t tab_stop = 4;

// Length of the valid UTF-8 sequence at `p`, or 0 when invalid or a C1
// control (U+0080..U+009F act as escapes on some terminals).
size_t valid_sequence(const unsigned char* p, size_t n)
{
    uint32_t cp = 0;
    size_t len = internal::decode_sequence(p, n, cp);
    return cp >= 0x80 && cp <= 0x9F ? 0 : len;
}

} // namespace

void append_sanitized(std::string& out, std::string_view text, size_t& column)
{
    auto p = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        // Fast path: a run of printable ASCII.
        size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x7F)
            ++run;
        if (run > i) {
            out.append(text.data() + i, run - i);
            column += run - i;
            i = run;
            continue;
        }
        unsigned char c = p[i];
        if (c == '\t') {
            size_t spaces = tab_stop - column % tab_stop;
            out.append(spaces, ' ');
            column += spaces;
            ++i;
            continue;
        }
        size_t len = c < 0x80 ? 0 : valid_sequence(p + i, n - i);
        if (len == 0) {
            out += replacement;
            ++column;
            ++i;
            continue;
        }
        out.append(text.data() + i, len);
        ++column;
        i += len;
    }
}

void StyledLines::clear()
{
    m_text.clear();
    m_spans.clear();
    m_prefix_text.clear();
    m_prefix_spans.clear();
    m_lines.clear();
    m_column = 0;
}

void StyledLines::begin_line(LineKind kind)
{
    Record r;
    r.text_begin = r.text_end = static_cast<uint32_t>(m_text.size());
    r.span_begin = r.span_end = static_cast<uint32_t>(m_spans.size());
    r.prefix_begin = r.prefix_end = static_cast<uint32_t>(m_prefix_text.size());
    r.prefix_span_begin = r.prefix_span_end = static_cast<uint32_t>(m_prefix_spans.size());
    r.kind = kind;
    m_lines.push_back(r);
    m_column = 0;
}

StyledLines::Record& StyledLines::open_line()
{
    if (m_lines.empty())
        begin_line();
    return m_lines.back();
}

void StyledLines::add(std::string_view text, Style style)
{
    Record& r = open_line();
    if (text.empty())
        return;
    uint32_t begin = r.text_end - r.text_begin;
    append_sanitized(m_text, text, m_column);
    r.text_end = static_cast<uint32_t>(m_text.size());
    uint32_t end = r.text_end - r.text_begin;
    // Adjacent runs of one style merge, so spans stay few.
    if (r.span_end > r.span_begin && m_spans.back().style == style && m_spans.back().end == begin) {
        m_spans.back().end = end;
        return;
    }
    m_spans.push_back(Span{ begin, end, style });
    r.span_end = static_cast<uint32_t>(m_spans.size());
}

void StyledLines::add_prefix(std::string_view text, Style style)
{
    Record& r = open_line();
    if (text.empty())
        return;
    uint32_t begin = r.prefix_end - r.prefix_begin;
    size_t column = begin;
    append_sanitized(m_prefix_text, text, column);
    r.prefix_end = static_cast<uint32_t>(m_prefix_text.size());
    uint32_t end = r.prefix_end - r.prefix_begin;
    if (r.prefix_span_end > r.prefix_span_begin && m_prefix_spans.back().style == style
        && m_prefix_spans.back().end == begin) {
        m_prefix_spans.back().end = end;
        return;
    }
    m_prefix_spans.push_back(Span{ begin, end, style });
    r.prefix_span_end = static_cast<uint32_t>(m_prefix_spans.size());
}

LineView StyledLines::line(size_t index) const
{
    const Record& r = m_lines[index];
    LineView v;
    v.text = std::string_view(m_text).substr(r.text_begin, r.text_end - r.text_begin);
    v.spans = std::span<const Span>(m_spans).subspan(r.span_begin, r.span_end - r.span_begin);
    v.prefix_text = std::string_view(m_prefix_text).substr(r.prefix_begin, r.prefix_end - r.prefix_begin);
    v.prefix_spans
        = std::span<const Span>(m_prefix_spans).subspan(r.prefix_span_begin, r.prefix_span_end - r.prefix_span_begin);
    v.kind = r.kind;
    v.fold = r.fold;
    return v;
}

utf8::Columns spans_width(std::string_view text, std::span<const Span> spans)
{
    utf8::Columns w;
    for (const Span& s : spans)
        w += utf8::display_width(text.substr(s.begin, s.end - s.begin));
    return w;
}

} // namespace ik::tui
