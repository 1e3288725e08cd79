#include "tui/frame.h"

#include <algorithm>

namespace ik::tui {

int text_width(std::string_view text)
{
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x80)
            return static_cast<int>(utf8::display_width(text).value);
    return static_cast<int>(text.size());
}

void Frame::reset(Size size)
{
    m_size = size;
    m_rows.resize(static_cast<size_t>(size.rows < 0 ? 0 : size.rows));
    for (Row& r : m_rows) {
        r.text.clear();
        r.spans.clear();
        r.width = 0;
    }
    m_cursor_row = m_cursor_col = 0;
    m_cursor_visible = false;
}

int Frame::put(int row, std::string_view text, Style style)
{
    if (row < 0 || row >= m_size.rows || text.empty())
        return 0;
    Row& r = m_rows[static_cast<size_t>(row)];
    int room = m_size.cols - r.width;
    if (room <= 0)
        return 0;
    int width = text_width(text);
    if (width > room) {
        text = text.substr(0, utf8::prefix_fitting(text, utf8::Columns(static_cast<size_t>(room))).value);
        width = text_width(text);
        if (text.empty())
            return 0;
    }
    auto begin = static_cast<uint32_t>(r.text.size());
    r.text += text;
    auto end = static_cast<uint32_t>(r.text.size());
    if (!r.spans.empty() && r.spans.back().style == style)
        r.spans.back().end = end;
    else
        r.spans.push_back(Span{ begin, end, style });
    r.width += width;
    return width;
}

int Frame::repeat(int row, std::string_view glyph, int count, Style style)
{
    if (row < 0 || row >= m_size.rows || glyph.empty() || count <= 0)
        return 0;
    Row& r = m_rows[static_cast<size_t>(row)];
    int gw = text_width(glyph);
    if (gw <= 0)
        return 0;
    int n = std::min(count, (m_size.cols - r.width) / gw);
    if (n <= 0)
        return 0;
    auto begin = static_cast<uint32_t>(r.text.size());
    for (int i = 0; i < n; ++i)
        r.text += glyph;
    auto end = static_cast<uint32_t>(r.text.size());
    if (!r.spans.empty() && r.spans.back().style == style)
        r.spans.back().end = end;
    else
        r.spans.push_back(Span{ begin, end, style });
    r.width += n * gw;
    return n * gw;
}

void Frame::reset_row(int row)
{
    if (row < 0 || row >= m_size.rows)
        return;
    Row& r = m_rows[static_cast<size_t>(row)];
    r.text.clear();
    r.spans.clear();
    r.width = 0;
}

void Frame::pad_to(int row, int col, Style style)
{
    if (row < 0 || row >= m_size.rows)
        return;
    int have = m_rows[static_cast<size_t>(row)].width;
    if (col > have)
        repeat(row, " ", col - have, style);
}

std::string Frame::to_text() const
{
    std::string out;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        std::string_view t = m_rows[i].text;
        while (!t.empty() && t.back() == ' ')
            t.remove_suffix(1);
        out += t;
        if (i + 1 < m_rows.size())
            out.push_back('\n');
    }
    return out;
}

} // namespace ik::tui
