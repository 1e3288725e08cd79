#include "tui/screen.h"

#include <algorithm>

#include "tui/escape.h"

namespace ik::tui {
namespace {

bool rows_equal(const Frame::Row& a, const Frame::Row& b)
{
    if (a.text != b.text || a.spans.size() != b.spans.size())
        return false;
    for (size_t i = 0; i < a.spans.size(); ++i)
        if (a.spans[i].begin != b.spans[i].begin || a.spans[i].end != b.spans[i].end
            || !(a.spans[i].style == b.spans[i].style))
            return false;
    return true;
}

// The byte offset where `a` and `b` first differ in text or style.
size_t common_prefix(const Frame::Row& a, const Frame::Row& b)
{
    size_t limit = std::min(a.text.size(), b.text.size());
    size_t p = 0, sa = 0, sb = 0;
    while (p < limit) {
        while (a.spans[sa].end <= p)
            ++sa;
        while (b.spans[sb].end <= p)
            ++sb;
        if (!(a.spans[sa].style == b.spans[sb].style))
            return p;
        size_t end = std::min({ size_t(a.spans[sa].end), size_t(b.spans[sb].end), limit });
        auto mismatch = std::mismatch(a.text.begin() + static_cast<ptrdiff_t>(p),
            a.text.begin() + static_cast<ptrdiff_t>(end), b.text.begin() + static_cast<ptrdiff_t>(p));
        size_t q = static_cast<size_t>(mismatch.first - a.text.begin());
        if (q < end)
            return q;
        p = end;
    }
    return p;
}

// Bytes at the end of `a` and `b` equal in text and style, not reaching
// back past `limit_a` / `limit_b`.
size_t common_suffix(const Frame::Row& a, const Frame::Row& b, size_t limit_a, size_t limit_b)
{
    size_t n = 0;
    size_t ia = a.spans.size(), ib = b.spans.size();
    while (a.text.size() - n > limit_a && b.text.size() - n > limit_b) {
        size_t pa = a.text.size() - n - 1, pb = b.text.size() - n - 1;
        while (ia > 0 && a.spans[ia - 1].begin > pa)
            --ia;
        while (ib > 0 && b.spans[ib - 1].begin > pb)
            --ib;
        if (ia == 0 || ib == 0 || a.text[pa] != b.text[pb] || !(a.spans[ia - 1].style == b.spans[ib - 1].style))
            break;
        ++n;
    }
    return n;
}

bool is_ascii_at(const std::string& s, size_t i)
{
    return i >= s.size() || static_cast<unsigned char>(s[i]) < 0x80;
}

// Moves `p` back to a grapheme boundary of `text` such that a change at `p`
// cannot alter the cluster drawn before it (a combining mark added or removed
// changes the previous cell).
size_t safe_start(const std::string& new_text, const std::string& old_text, size_t p)
{
    if (p == 0)
        return 0;
    if (is_ascii_at(new_text, p - 1) && is_ascii_at(new_text, p) && is_ascii_at(old_text, p))
        return p;
    size_t start = 0, pos = 0;
    while (pos < new_text.size() && pos < p) {
        start = pos;
        size_t len = utf8::next_grapheme(new_text, utf8::Bytes(pos)).value;
        pos += len == 0 ? 1 : len;
    }
    // `start` is the cluster containing or ending just before p: redraw it.
    return start;
}

} // namespace

Screen::Screen(ColorMode mode)
    : m_mode(mode)
{
}

Frame& Screen::begin_frame(Size size)
{
    Frame& f = m_frames_buf[1 - m_current];
    f.reset(size);
    return f;
}

void Screen::invalidate()
{
    m_valid = false;
    m_dirty = true;
    m_cursor_shown = -1;
}

bool Screen::frame_due(Clock::time_point now) const
{
    return m_dirty && wait_left(now) <= Clock::duration::zero();
}

std::chrono::milliseconds Screen::until_due(Clock::time_point now) const
{
    if (!m_dirty)
        return std::chrono::milliseconds::max();
    auto left = std::chrono::ceil<std::chrono::milliseconds>(wait_left(now));
    return std::max(left, std::chrono::milliseconds(0));
}

// Output waits for its interval after any frame. A key waits only for the
// slot after the last frame drawn for a key: an output frame that just went
// out does not delay it (docs/perf.md, "Interactive").
Screen::Clock::duration Screen::wait_left(Clock::time_point now) const
{
    auto left = [now](Clock::time_point last, std::chrono::milliseconds interval) {
        return last == Clock::time_point{} ? Clock::duration::zero() : last + interval - now;
    };
    Clock::duration output = left(m_last_frame, m_output_interval);
    if (!m_urgent)
        return output;
    return std::min(output, left(m_last_input_frame, m_min_interval));
}

uint64_t Screen::row_hash(const Frame::Row& row)
{
    // FNV-1a over the bytes and the span boundaries and styles.
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](uint64_t v) {
        h ^= v;
        h *= 1099511628211ull;
    };
    for (char c : row.text)
        mix(static_cast<unsigned char>(c));
    for (const Span& s : row.spans) {
        mix(s.end);
        mix(static_cast<uint64_t>(s.style.attrs) | (uint64_t(s.style.fg.kind) << 8) | (uint64_t(s.style.fg.r) << 16)
            | (uint64_t(s.style.fg.g) << 24) | (uint64_t(s.style.fg.b) << 32) | (uint64_t(s.style.bg.kind) << 40));
        mix(uint64_t(s.style.bg.r) | (uint64_t(s.style.bg.g) << 8) | (uint64_t(s.style.bg.b) << 16));
    }
    return h;
}

void Screen::set_style(Style style)
{
    if (!m_style_known) {
        if (style == Style{})
            esc::sgr_reset(m_out);
        else
            esc::sgr(m_out, style, m_mode);
    } else {
        esc::sgr_transition(m_out, m_style, style, m_mode);
    }
    m_style = style;
    m_style_known = true;
}

void Screen::move_to(int row, int col)
{
    if (m_cursor_row == row && m_cursor_col == col)
        return;
    if (col == 0 && m_cursor_row == row - 1 && m_cursor_col >= 0)
        esc::next_line(m_out);
    else if (m_cursor_row == row && m_cursor_col >= 0 && col > m_cursor_col && col - m_cursor_col <= 4)
        esc::cursor_forward(m_out, col - m_cursor_col);
    else
        esc::cursor_to(m_out, row, col);
    m_cursor_row = row;
    m_cursor_col = col;
}

void Screen::emit_range(const Frame::Row& row, size_t from, size_t to)
{
    for (const Span& s : row.spans) {
        if (s.end <= from)
            continue;
        if (s.begin >= to)
            break;
        set_style(s.style);
        size_t begin = std::max<size_t>(s.begin, from), end = std::min<size_t>(s.end, to);
        m_out.append(row.text, begin, end - begin);
    }
}

void Screen::update_row(int index, const Frame::Row* old_row, const Frame::Row& new_row)
{
    int cols = m_frames_buf[1 - m_current].size().cols;
    size_t p = 0;
    int col = 0;
    if (old_row) {
        p = safe_start(new_row.text, old_row->text, common_prefix(*old_row, new_row));
        col = text_width(std::string_view(new_row.text).substr(0, p));
    }
    bool needs_text = p < new_row.text.size();
    bool needs_erase = old_row && old_row->width > new_row.width;
    if (!needs_text && !needs_erase)
        return;
    // A change in the middle of a row of the same width (a counter in the
    // status line) rewrites just the middle when the rest still matches.
    if (old_row && old_row->width == new_row.width && needs_text) {
        size_t s = common_suffix(*old_row, new_row, p, p);
        size_t new_end = new_row.text.size() - s, old_end = old_row->text.size() - s;
        if (s > 0 && is_ascii_at(new_row.text, new_end) && is_ascii_at(new_row.text, new_end - 1)
            && is_ascii_at(old_row->text, old_end - 1)) {
            std::string_view mid_new = std::string_view(new_row.text).substr(p, new_end - p);
            std::string_view mid_old = std::string_view(old_row->text).substr(p, old_end - p);
            if (text_width(mid_new) == text_width(mid_old)) {
                move_to(index, col);
                emit_range(new_row, p, new_end);
                m_cursor_col = col + text_width(mid_new);
                if (m_cursor_col >= cols)
                    m_cursor_row = m_cursor_col = -1;
                return;
            }
        }
    }
    move_to(index, col);
    emit_range(new_row, p, new_row.text.size());
    m_cursor_col = new_row.width;
    if (needs_erase) {
        set_style(Style{});
        esc::erase_to_line_end(m_out);
    }
    // Writing the last column leaves the cursor in the terminal's pending
    // wrap state, whose next move differs between terminals: forget it.
    if (new_row.width >= cols)
        m_cursor_row = m_cursor_col = -1;
}

void Screen::scroll_if_shifted(const Frame& current, const Frame& next, const std::vector<uint64_t>& old_hashes)
{
    // Find the shift k and the run of rows [a, b) such that new row i shows
    // what old row i + k showed, saving the most rewritten rows.
    int rows = next.size().rows;
    int best_k = 0, best_a = 0, best_b = 0, best_gain = 0;
    for (int k = 1; k < rows; ++k) {
        int a = 0, gain = 0;
        for (int i = 0; i <= rows - k; ++i) {
            bool match = i < rows - k && m_next_hashes[size_t(i)] == old_hashes[size_t(i) + size_t(k)];
            if (match) {
                // Blank rows may sit inside a run but gain nothing.
                gain += !next.row(i).text.empty() && m_next_hashes[size_t(i)] != old_hashes[size_t(i)];
                continue;
            }
            if (gain > best_gain) {
                best_gain = gain;
                best_k = k;
                best_a = a;
                best_b = i;
            }
            a = i + 1;
            gain = 0;
        }
    }
    // Scrolling costs about 16 bytes: worth it from two saved rows.
    if (best_gain < 2)
        return;
    for (int i = best_a; i < best_b; ++i)
        if (!rows_equal(current.row(i + best_k), next.row(i)))
            return; // a hash collision: do without
    set_style(Style{}); // rows entering at the bottom are blanked in the current colours
    esc::set_scroll_region(m_out, best_a, best_b + best_k - 1);
    esc::scroll_up(m_out, best_k);
    esc::reset_scroll_region(m_out);
    m_cursor_row = m_cursor_col = -1; // DECSTBM homes the cursor
    for (int i = best_a; i < best_b; ++i)
        m_old_for[size_t(i)] = i + best_k;
    for (int i = best_b; i < best_b + best_k; ++i)
        m_old_for[size_t(i)] = -1;
}

void Screen::full_redraw(const Frame& next)
{
    m_style_known = false;
    set_style(Style{});
    esc::erase_screen(m_out);
    m_cursor_row = m_cursor_col = -1;
    for (int i = 0; i < next.size().rows; ++i)
        if (!next.row(i).text.empty())
            update_row(i, nullptr, next.row(i));
}

Result<size_t> Screen::present(ByteSink& sink, Clock::time_point now)
{
    Frame& next = m_frames_buf[1 - m_current];
    Frame& current = m_frames_buf[m_current];
    m_out.clear();
    esc::sync_begin(m_out);
    size_t body = m_out.size();

    bool full = !m_valid || !(next.size() == current.size());
    std::vector<uint64_t> hashes;
    hashes.swap(m_hashes);
    hashes.resize(static_cast<size_t>(std::max(0, next.size().rows)));
    if (full) {
        full_redraw(next);
        for (int i = 0; i < next.size().rows; ++i)
            hashes[size_t(i)] = row_hash(next.row(i));
    } else {
        int rows = next.size().rows;
        m_next_hashes.resize(size_t(rows));
        for (int i = 0; i < rows; ++i)
            m_next_hashes[size_t(i)] = row_hash(next.row(i));
        m_old_for.resize(size_t(rows));
        for (int i = 0; i < rows; ++i)
            m_old_for[size_t(i)] = i;
        scroll_if_shifted(current, next, hashes);
        static const Frame::Row blank;
        const uint64_t blank_hash = row_hash(blank);
        for (int i = 0; i < rows; ++i) {
            int o = m_old_for[size_t(i)];
            const Frame::Row& old_row = o < 0 ? blank : current.row(o);
            uint64_t old_hash = o < 0 ? blank_hash : hashes[size_t(o)];
            uint64_t h = m_next_hashes[size_t(i)];
            if (h != old_hash || !rows_equal(old_row, next.row(i)))
                update_row(i, &old_row, next.row(i));
        }
        for (int i = 0; i < rows; ++i)
            hashes[size_t(i)] = m_next_hashes[size_t(i)];
    }
    m_hashes.swap(hashes);

    if (next.cursor_visible()) {
        move_to(next.cursor_row(), next.cursor_col());
        if (m_cursor_shown != 1)
            esc::cursor_show(m_out);
        m_cursor_shown = 1;
    } else if (m_cursor_shown != 0) {
        esc::cursor_hide(m_out);
        m_cursor_shown = 0;
    }

    m_current = 1 - m_current;
    m_valid = true;
    m_dirty = false;
    if (m_urgent)
        m_last_input_frame = now;
    m_urgent = false;
    m_last_frame = now;
    if (m_out.size() == body) {
        m_out.clear();
        return size_t(0);
    }
    esc::sync_end(m_out);
    auto written = sink.write(m_out);
    if (!written) {
        invalidate(); // the terminal's state is unknown now: redraw everything next time
        return fail(written.error());
    }
    ++m_frames;
    m_bytes += m_out.size();
    return m_out.size();
}

} // namespace ik::tui
