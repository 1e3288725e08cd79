// A minimal terminal emulator for tests: applies the escape sequences ik
// emits (CUP, CUF, EL, ED, SGR, private modes, CR/LF, UTF-8 text) to a cell
// grid so tests can check that a stream of updates leaves the screen showing
// exactly the frame, styles included, without a real terminal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "tui/frame.h"
#include "tui/screen.h"
#include "tui/style.h"

namespace ik::tui::test {

class VtModel {
public:
    struct Cell {
        std::string glyph = " ";
        Style style;
    };

    VtModel(int rows, int cols) { resize(rows, cols); }
    void resize(int rows, int cols)
    {
        m_rows = rows;
        m_cols = cols;
        m_grid.assign(static_cast<size_t>(rows), std::vector<Cell>(static_cast<size_t>(cols)));
        m_top = 0;
        m_bottom = rows - 1;
    }

    void feed(std::string_view bytes)
    {
        size_t i = 0;
        while (i < bytes.size()) {
            unsigned char c = static_cast<unsigned char>(bytes[i]);
            if (c == 0x1b) {
                i = escape(bytes, i);
            } else if (c == '\r') {
                m_col = 0;
                m_pending_wrap = false;
                ++i;
            } else if (c == '\n') {
                m_row = std::min(m_row + 1, m_rows - 1);
                m_pending_wrap = false;
                ++i;
            } else if (c < 0x20) {
                ++control_chars;
                ++i;
            } else {
                size_t len = utf8::next_grapheme(bytes, utf8::Bytes(i)).value;
                // A grapheme may be cut by the next escape; take up to it.
                std::string_view g = bytes.substr(i, len);
                size_t esc = g.find('\x1b');
                if (esc != std::string_view::npos)
                    g = g.substr(0, esc);
                print(g);
                i += g.size();
            }
        }
    }

    std::string row_text(int row) const
    {
        std::string out;
        for (auto& cell : m_grid[static_cast<size_t>(row)])
            out += cell.glyph;
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        return out;
    }
    std::string text() const
    {
        std::string out;
        for (int r = 0; r < m_rows; ++r) {
            out += row_text(r);
            if (r + 1 < m_rows)
                out += '\n';
        }
        return out;
    }
    const Cell& cell(int row, int col) const { return m_grid[size_t(row)][size_t(col)]; }
    int cursor_row() const { return m_row; }
    int cursor_col() const { return m_col; }
    bool cursor_visible() const { return m_cursor_visible; }
    bool in_sync() const { return m_sync; }

    // True when every cell matches the frame's text and style.
    bool matches(const Frame& f, std::string* why = nullptr) const
    {
        for (int r = 0; r < m_rows; ++r) {
            int col = 0;
            const Frame::Row& row = f.row(r);
            for (const Span& s : row.spans) {
                std::string_view t = std::string_view(row.text).substr(s.begin, s.end - s.begin);
                size_t p = 0;
                while (p < t.size()) {
                    size_t len = utf8::next_grapheme(t, utf8::Bytes(p)).value;
                    std::string_view g = t.substr(p, len);
                    int w = static_cast<int>(utf8::display_width(g).value);
                    const Cell& c = m_grid[size_t(r)][size_t(col)];
                    if (c.glyph != g || !(c.style == s.style)) {
                        if (why)
                            *why = "row " + std::to_string(r) + " col " + std::to_string(col) + ": have '" + c.glyph
                                + "' want '" + std::string(g) + "'";
                        return false;
                    }
                    col += w;
                    p += len;
                }
            }
            for (; col < m_cols; ++col) {
                const Cell& c = m_grid[size_t(r)][size_t(col)];
                if (c.glyph != " " && c.glyph != "") {
                    if (why)
                        *why = "row " + std::to_string(r) + " col " + std::to_string(col) + " should be blank, has '"
                            + c.glyph + "'";
                    return false;
                }
            }
        }
        return true;
    }

    int control_chars = 0;
    int scrolls = 0;

private:
    void print(std::string_view g)
    {
        int w = static_cast<int>(utf8::display_width(g).value);
        if (w == 0) {
            if (m_col > 0)
                m_grid[size_t(m_row)][size_t(m_col - 1)].glyph += g;
            return;
        }
        if (m_pending_wrap || m_col + w > m_cols) {
            m_col = 0;
            m_row = std::min(m_row + 1, m_rows - 1);
            m_pending_wrap = false;
        }
        Cell& c = m_grid[size_t(m_row)][size_t(m_col)];
        c.glyph = std::string(g);
        c.style = m_style;
        for (int k = 1; k < w && m_col + k < m_cols; ++k)
            m_grid[size_t(m_row)][size_t(m_col + k)] = Cell{ "", m_style };
        m_col += w;
        if (m_col >= m_cols) {
            m_col = m_cols - 1;
            m_pending_wrap = true;
        }
    }

    size_t escape(std::string_view b, size_t i)
    {
        if (i + 1 >= b.size())
            return b.size();
        char kind = b[i + 1];
        if (kind == '7' || kind == '8')
            return i + 2;
        if (kind == ']') {
            size_t end = b.find("\x1b\\", i);
            return end == std::string_view::npos ? b.size() : end + 2;
        }
        if (kind != '[')
            return i + 2;
        size_t j = i + 2;
        bool priv = j < b.size() && b[j] == '?';
        if (priv)
            ++j;
        std::vector<int> params;
        int cur = -1;
        while (j < b.size() && ((b[j] >= '0' && b[j] <= '9') || b[j] == ';')) {
            if (b[j] == ';') {
                params.push_back(cur);
                cur = -1;
            } else {
                cur = (cur < 0 ? 0 : cur * 10) + (b[j] - '0');
            }
            ++j;
        }
        params.push_back(cur);
        char final = b[j];
        auto p = [&](size_t k, int def) { return k < params.size() && params[k] >= 0 ? params[k] : def; };
        if (priv) {
            bool on = final == 'h';
            int mode = p(0, 0);
            if (mode == 25)
                m_cursor_visible = on;
            if (mode == 2026)
                m_sync = on;
            return j + 1;
        }
        m_pending_wrap = false;
        switch (final) {
        case 'H':
            m_row = std::clamp(p(0, 1) - 1, 0, m_rows - 1);
            m_col = std::clamp(p(1, 1) - 1, 0, m_cols - 1);
            break;
        case 'A':
            m_row = std::max(0, m_row - p(0, 1));
            break;
        case 'B':
            m_row = std::min(m_rows - 1, m_row + p(0, 1));
            break;
        case 'C':
            m_col = std::min(m_cols - 1, m_col + p(0, 1));
            break;
        case 'D':
            m_col = std::max(0, m_col - p(0, 1));
            break;
        case 'K': {
            int mode = p(0, 0);
            int from = mode == 0 ? m_col : 0;
            int to = mode == 1 ? m_col + 1 : m_cols;
            for (int c = from; c < to; ++c)
                m_grid[size_t(m_row)][size_t(c)] = Cell{ " ", Style{}.with_bg(m_style.bg) };
            break;
        }
        case 'J':
            if (p(0, 0) == 2) {
                for (auto& row : m_grid)
                    for (auto& c : row)
                        c = Cell{ " ", Style{}.with_bg(m_style.bg) };
            } else {
                for (int r = m_row; r < m_rows; ++r)
                    for (int c = (r == m_row ? m_col : 0); c < m_cols; ++c)
                        m_grid[size_t(r)][size_t(c)] = Cell{ " ", Style{}.with_bg(m_style.bg) };
            }
            break;
        case 'm':
            sgr(params);
            break;
        case 'r':
            m_top = params.size() >= 2 ? p(0, 1) - 1 : 0;
            m_bottom = params.size() >= 2 ? p(1, m_rows) - 1 : m_rows - 1;
            m_row = m_col = 0;
            break;
        case 'S': {
            int n = p(0, 1);
            for (int k = 0; k < n; ++k) {
                for (int r = m_top; r < m_bottom; ++r)
                    m_grid[size_t(r)] = m_grid[size_t(r + 1)];
                m_grid[size_t(m_bottom)].assign(size_t(m_cols), Cell{ " ", Style{}.with_bg(m_style.bg) });
            }
            ++scrolls;
            break;
        }
        default:
            break;
        }
        return j + 1;
    }

    void sgr(const std::vector<int>& params)
    {
        for (size_t k = 0; k < params.size(); ++k) {
            int v = params[k] < 0 ? 0 : params[k];
            auto color = [&](Color& target) {
                if (k + 1 < params.size() && params[k + 1] == 5) {
                    target = Color::indexed(static_cast<uint8_t>(params[k + 2]));
                    k += 2;
                } else if (k + 1 < params.size() && params[k + 1] == 2) {
                    target = Color::rgb(uint8_t(params[k + 2]), uint8_t(params[k + 3]), uint8_t(params[k + 4]));
                    k += 4;
                }
            };
            if (v == 0)
                m_style = Style{};
            else if (v == 1)
                m_style = m_style.with(attr_bold);
            else if (v == 2)
                m_style = m_style.with(attr_dim);
            else if (v == 3)
                m_style = m_style.with(attr_italic);
            else if (v == 4)
                m_style = m_style.with(attr_underline);
            else if (v == 7)
                m_style = m_style.with(attr_reverse);
            else if (v == 9)
                m_style = m_style.with(attr_strike);
            else if (v >= 30 && v <= 37)
                m_style.fg = Color::basic(uint8_t(v - 30));
            else if (v >= 90 && v <= 97)
                m_style.fg = Color::basic(uint8_t(v - 90 + 8));
            else if (v == 39)
                m_style.fg = Color{};
            else if (v >= 40 && v <= 47)
                m_style.bg = Color::basic(uint8_t(v - 40));
            else if (v >= 100 && v <= 107)
                m_style.bg = Color::basic(uint8_t(v - 100 + 8));
            else if (v == 49)
                m_style.bg = Color{};
            else if (v == 38)
                color(m_style.fg);
            else if (v == 48)
                color(m_style.bg);
        }
    }

    int m_rows = 0, m_cols = 0;
    int m_top = 0, m_bottom = 0;
    int m_row = 0, m_col = 0;
    bool m_pending_wrap = false;
    bool m_cursor_visible = true;
    bool m_sync = false;
    Style m_style;
    std::vector<std::vector<Cell>> m_grid;
};

// An ByteSink that records each write and feeds a VtModel.
class RecordingSink : public ByteSink {
public:
    explicit RecordingSink(VtModel* vt = nullptr)
        : m_vt(vt)
    {
    }
    Result<void> write(std::string_view bytes) override
    {
        ++writes;
        all += bytes;
        last = std::string(bytes);
        if (m_vt)
            m_vt->feed(bytes);
        return {};
    }
    int writes = 0;
    std::string all;
    std::string last;

private:
    VtModel* m_vt;
};

} // namespace ik::tui::test
