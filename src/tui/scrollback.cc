#include "tui/scrollback.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tui/internal/unibreak_library.h"

namespace ik::tui {
namespace {

bool all_ascii(std::string_view s)
{
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    return true;
}

} // namespace

Scrollback::Scrollback(mem::Arena& parent)
    : m_parent(parent)
    , m_arena(&parent.make_child("scrollback"))
{
}

Scrollback::~Scrollback()
{
    m_arena->destroy();
}

void Scrollback::clear()
{
    m_arena->destroy();
    m_arena = &m_parent.make_child("scrollback");
    m_chunks.clear();
    m_count = 0;
    clear_tail();
    m_follow = true;
    m_top = {};
    m_unseen = 0;
    m_high_water = 0;
}

size_t Scrollback::arena_bytes() const
{
    return m_arena->subtree_stats().bytes;
}

Scrollback::Record Scrollback::make_record(const LineView& line, bool copy)
{
    Record r;
    r.text_bytes = static_cast<uint32_t>(line.text.size());
    r.span_count = static_cast<uint32_t>(line.spans.size());
    r.prefix_bytes = static_cast<uint16_t>(std::min<size_t>(line.prefix_text.size(), UINT16_MAX));
    r.prefix_span_count = static_cast<uint16_t>(std::min<size_t>(line.prefix_spans.size(), UINT16_MAX));
    r.kind = line.kind;
    r.fold = line.fold;
    r.ascii = all_ascii(line.text);
    // Measured once here; never again.
    r.width = r.ascii ? r.text_bytes : static_cast<uint32_t>(utf8::display_width(line.text).value);
    r.prefix_width = static_cast<uint16_t>(text_width(line.prefix_text.substr(0, r.prefix_bytes)));
    if (!copy) {
        r.text = line.text.data();
        r.spans = line.spans.data();
        r.prefix = line.prefix_text.data();
        r.prefix_spans = line.prefix_spans.data();
        return r;
    }
    // Text and prefix in one allocation, spans in another.
    size_t bytes = r.text_bytes + r.prefix_bytes;
    if (bytes > 0) {
        auto* p = static_cast<char*>(m_arena->alloc(bytes, 1));
        std::memcpy(p, line.text.data(), r.text_bytes);
        std::memcpy(p + r.text_bytes, line.prefix_text.data(), r.prefix_bytes);
        r.text = p;
        r.prefix = p + r.text_bytes;
    }
    size_t spans = r.span_count + r.prefix_span_count;
    if (spans > 0) {
        Span* s = m_arena->make_array<Span>(spans);
        std::copy_n(line.spans.data(), r.span_count, s);
        std::copy_n(line.prefix_spans.data(), r.prefix_span_count, s + r.span_count);
        r.spans = s;
        r.prefix_spans = s + r.span_count;
    }
    return r;
}

Scrollback::Record& Scrollback::record(size_t index)
{
    if (index < m_count)
        return m_chunks[index / chunk_lines][index % chunk_lines];
    return m_tail_records[index - m_count];
}

const Scrollback::Record& Scrollback::record(size_t index) const
{
    if (index < m_count)
        return m_chunks[index / chunk_lines][index % chunk_lines];
    return m_tail_records[index - m_count];
}

LineView Scrollback::view(const Record& r)
{
    LineView v;
    v.text = std::string_view(r.text ? r.text : "", r.text_bytes);
    v.spans = std::span<const Span>(r.spans, r.span_count);
    v.prefix_text = std::string_view(r.prefix ? r.prefix : "", r.prefix_bytes);
    v.prefix_spans = std::span<const Span>(r.prefix_spans, r.prefix_span_count);
    v.kind = r.kind;
    v.fold = r.fold;
    return v;
}

LineView Scrollback::line(size_t index) const
{
    return view(record(index));
}

void Scrollback::count_new_lines()
{
    // Counted by the high-water mark so a tail line that is later committed
    // (or re-rendered) is not counted twice.
    size_t n = line_count();
    if (n > m_high_water) {
        if (!m_follow)
            m_unseen += n - m_high_water;
        m_high_water = n;
    }
}

void Scrollback::append(const LineView& line)
{
    if (m_count % chunk_lines == 0 && m_count / chunk_lines == m_chunks.size())
        m_chunks.push_back(m_arena->make_array<Record>(chunk_lines));
    Record* slot = &m_chunks[m_count / chunk_lines][m_count % chunk_lines];
    ::new (slot) Record(make_record(line, true));
    ++m_count;
    count_new_lines();
}

void Scrollback::append(const StyledLines& lines)
{
    // The tail stays below committed lines: keep its records valid by
    // re-pointing them after the copy (they point into m_tail, untouched).
    for (size_t i = 0; i < lines.size(); ++i)
        append(lines.line(i));
}

void Scrollback::set_tail(const StyledLines& lines)
{
    m_tail = lines;
    m_tail_records.clear();
    for (size_t i = 0; i < m_tail.size(); ++i)
        m_tail_records.push_back(make_record(m_tail.line(i), false));
    count_new_lines();
}

void Scrollback::commit_tail()
{
    size_t n = m_tail_records.size();
    m_tail_records.clear();
    for (size_t i = 0; i < n; ++i)
        append(m_tail.line(i));
    m_tail.clear();
}

void Scrollback::clear_tail()
{
    m_tail.clear();
    m_tail_records.clear();
}

namespace {

// The line-break opportunities of `text` (libunibreak, UAX #14) into a
// reused buffer: brks[i] says whether a break may follow byte i.
const std::vector<char>& line_breaks(std::string_view text)
{
    static std::vector<char> brks;
    const auto& unibreak = internal::unibreak();
    if (!unibreak.loaded()) {
        // Without libunibreak (uninstalled after ik was built) rows break
        // where they are full.
        brks.assign(text.size(), LINEBREAK_NOBREAK);
        return brks;
    }
    brks.resize(text.size());
    unibreak.api().set_linebreaks_utf8(reinterpret_cast<const utf8_t*>(text.data()), text.size(), nullptr, brks.data());
    return brks;
}

// The longest row end in (0, fit] bytes after `pos` where a break is
// allowed; 0 when there is none (the caller breaks at `fit`).
size_t last_break_at_or_before(const std::vector<char>& brks, size_t pos, size_t fit)
{
    for (size_t j = fit; j > 0; --j) {
        char b = brks[pos + j - 1];
        if (b == LINEBREAK_ALLOWBREAK || b == LINEBREAK_MUSTBREAK)
            return j;
    }
    return 0;
}

} // namespace

template <typename Fn> void Scrollback::for_each_row(const Record& r, int width, Fn&& fn)
{
    std::string_view text(r.text ? r.text : "", r.text_bytes);
    if (r.kind != LineKind::text || r.width <= static_cast<uint32_t>(width) || width <= 0) {
        fn(0u, size_t(0), text.size());
        return;
    }
    int continuation = r.prefix_width < width ? width - r.prefix_width : width;
    const std::vector<char>* brks = r.ascii ? nullptr : &line_breaks(text);
    size_t pos = 0;
    uint32_t row = 0;
    while (true) {
        int avail = row == 0 ? width : continuation;
        std::string_view rest = text.substr(pos);
        size_t fit = r.ascii ? std::min(rest.size(), static_cast<size_t>(avail))
                             : utf8::prefix_fitting(rest, utf8::Columns(static_cast<size_t>(avail))).value;
        if (fit == 0) // a glyph wider than the row: give it a row of its own
            fit = std::max<size_t>(1, utf8::next_grapheme(rest, utf8::Bytes(0)).value);
        if (fit >= rest.size()) {
            fn(row, pos, text.size());
            return;
        }
        size_t end = fit, next = fit;
        if (rest[fit] == ' ') {
            next = fit + 1;
        } else if (brks) {
            // UAX #14: CJK breaks between ideographs, never before "，" or
            // "。", and Latin words stay whole.
            if (size_t at = last_break_at_or_before(*brks, pos, fit); at > 0) {
                end = at;
                next = at;
            }
        } else {
            size_t space = rest.substr(0, fit).rfind(' ');
            if (space != std::string_view::npos && space > 0) {
                end = space;
                next = space + 1;
            }
        }
        fn(row, pos, pos + end);
        pos += next;
        ++row;
        if (pos >= text.size())
            return;
    }
}

uint32_t Scrollback::rows(Record& r, int width)
{
    if (!shown(r))
        return 0;
    if (r.wrap_width == width && r.wrap_rows > 0)
        return r.wrap_rows;
    uint32_t n = 0;
    for_each_row(r, width, [&](uint32_t row, size_t, size_t) { n = row + 1; });
    r.wrap_width = static_cast<uint16_t>(width);
    r.wrap_rows = n;
    return n;
}

uint32_t Scrollback::rows_of(size_t index, int width)
{
    return rows(record(index), width);
}

int Scrollback::draw_rows(Frame& frame, int frame_row, const Record& r, int width, uint32_t first, int max_rows)
{
    if (!shown(r))
        return 0;
    LineView v = view(r);
    if (r.kind == LineKind::rule) {
        Style style = v.spans.empty() ? Style{}.with(attr_dim) : v.spans.front().style;
        frame.repeat(frame_row, "─", width, style);
        return 1;
    }
    int drawn = 0;
    // A line that is not wrapped (code, tool output) and is wider than the
    // row ends in a marker, so a clipped line never looks complete.
    bool clipped = r.kind == LineKind::nowrap && r.width > static_cast<uint32_t>(width) && width > 1;
    for_each_row(r, width, [&](uint32_t row, size_t begin, size_t end) {
        if (row < first || drawn >= max_rows)
            return;
        int y = frame_row + drawn++;
        if (clipped)
            end = std::min(end,
                begin
                    + utf8::prefix_fitting(v.text.substr(begin), utf8::Columns(static_cast<size_t>(width - 1))).value);
        if (row > 0 && r.prefix_width < width)
            for (const Span& s : v.prefix_spans)
                frame.put(y, v.prefix_text.substr(s.begin, s.end - s.begin), s.style);
        for (const Span& s : v.spans) {
            size_t b = std::max<size_t>(s.begin, begin), e = std::min<size_t>(s.end, end);
            if (b < e)
                frame.put(y, v.text.substr(b, e - b), s.style);
        }
        if (clipped) {
            frame.pad_to(y, width - 1);
            frame.put(y, "→", Style{}.with(attr_dim | attr_reverse));
        }
    });
    return drawn;
}

Scrollback::Position Scrollback::bottom_top(int height, int width)
{
    size_t n = line_count();
    uint64_t have = 0;
    size_t i = n;
    while (i > 0 && have < static_cast<uint64_t>(height)) {
        --i;
        have += rows(record(i), width);
    }
    if (have <= static_cast<uint64_t>(height))
        return Position{ i, 0 };
    return Position{ i, static_cast<uint32_t>(have - static_cast<uint64_t>(height)) };
}

void Scrollback::scroll_up(int amount)
{
    if (amount <= 0 || line_count() == 0)
        return;
    int width = m_view.cols > 0 ? m_view.cols : 80;
    if (m_follow) {
        m_top = bottom_top(m_view.rows, width);
        m_follow = false;
        m_unseen = 0;
    }
    auto left = static_cast<uint32_t>(amount);
    while (left > 0) {
        if (m_top.row >= left) {
            m_top.row -= left;
            break;
        }
        left -= m_top.row;
        m_top.row = 0;
        if (m_top.line == 0)
            break;
        --m_top.line;
        m_top.row = rows(record(m_top.line), width);
    }
}

void Scrollback::scroll_down(int amount)
{
    if (m_follow || amount <= 0)
        return;
    int width = m_view.cols > 0 ? m_view.cols : 80;
    auto left = static_cast<uint32_t>(amount);
    size_t n = line_count();
    while (left > 0 && m_top.line < n) {
        uint32_t r = rows(record(m_top.line), width);
        if (m_top.row + left < r) {
            m_top.row += left;
            left = 0;
            break;
        }
        left -= r - m_top.row;
        m_top.row = 0;
        ++m_top.line;
    }
    // Back at (or past) the newest rows: follow again.
    Position bottom = bottom_top(m_view.rows, width);
    if (m_top.line > bottom.line || (m_top.line == bottom.line && m_top.row >= bottom.row))
        end();
}

void Scrollback::wheel(int notches)
{
    if (notches > 0)
        scroll_up(notches * wheel_rows);
    else
        scroll_down(-notches * wheel_rows);
}

void Scrollback::home()
{
    if (line_count() == 0)
        return;
    if (m_follow)
        m_unseen = 0;
    m_follow = false;
    m_top = {};
}

void Scrollback::end()
{
    m_follow = true;
    m_unseen = 0;
}

void Scrollback::render(Frame& frame, int top, int height)
{
    int width = frame.size().cols;
    m_view = Size{ height, width };
    if (height <= 0 || width <= 0)
        return;
    Position pos = m_follow ? bottom_top(height, width) : m_top;
    size_t n = line_count();
    if (!m_follow && pos.line < n) // a resize (or Ctrl-O) may have shortened the anchor line
        pos.row = std::min(pos.row, std::max(rows(record(pos.line), width), 1u) - 1);
    m_top = pos;
    int y = 0;
    while (y < height && pos.line < n) {
        y += draw_rows(frame, top + y, record(pos.line), width, pos.row, height - y);
        ++pos.line;
        pos.row = 0;
    }
    if (!m_follow && m_unseen > 0) {
        int last = top + height - 1;
        frame.reset_row(last);
        char label[64];
        auto r = fmt::format_to_n(label, sizeof label, " ↓ {} new line{} ", m_unseen, m_unseen == 1 ? "" : "s");
        frame.put(last, std::string_view(label, r.size), Style{}.with(attr_reverse));
    }
}

} // namespace ik::tui
