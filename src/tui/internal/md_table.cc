#include "tui/internal/md_table.h"

#include <algorithm>

#include "tui/frame.h"

namespace ik::tui::internal {

void MdTable::clear()
{
    m_rows.clear();
    m_align.clear();
}

void MdTable::begin_row(bool header)
{
    m_rows.push_back(Row{ {}, header });
}

void MdTable::begin_cell(Align align)
{
    if (m_rows.empty())
        begin_row(false);
    Row& row = m_rows.back();
    if (row.cells.size() >= m_align.size())
        m_align.push_back(align);
    row.cells.emplace_back();
}

void MdTable::add(std::string_view text, Style style)
{
    if (m_rows.empty() || m_rows.back().cells.empty())
        begin_cell(Align::left);
    Cell& cell = m_rows.back().cells.back();
    Piece piece{ {}, style };
    size_t column = 0;
    append_sanitized(piece.text, text, column);
    cell.width += text_width(piece.text);
    cell.pieces.push_back(std::move(piece));
}

void MdTable::render(StyledLines& out, const std::function<void()>& start_line, Style bar) const
{
    size_t columns = m_align.size();
    std::vector<int> widths(columns, 0);
    for (const Row& row : m_rows)
        for (size_t c = 0; c < row.cells.size() && c < columns; ++c)
            widths[c] = std::max(widths[c], row.cells[c].width);
    static const Cell empty;
    auto spaces = [&](int n) {
        static constexpr std::string_view blanks = "                                ";
        while (n > 0) {
            int k = std::min(n, static_cast<int>(blanks.size()));
            out.add(blanks.substr(0, static_cast<size_t>(k)));
            n -= k;
        }
    };
    bool rule_done = false;
    for (const Row& row : m_rows) {
        if (!row.header && !rule_done && &row != &m_rows.front()) {
            // The rule under the header rows.
            start_line();
            for (size_t c = 0; c < columns; ++c) {
                if (c > 0)
                    out.add("─┼─", bar);
                for (int i = 0; i < widths[c]; ++i)
                    out.add("─", bar);
            }
            rule_done = true;
        }
        start_line();
        for (size_t c = 0; c < columns; ++c) {
            const Cell& cell = c < row.cells.size() ? row.cells[c] : empty;
            if (c > 0)
                out.add(" │ ", bar);
            int pad = widths[c] - cell.width;
            int before = m_align[c] == Align::right ? pad : m_align[c] == Align::center ? pad / 2 : 0;
            int after = pad - before;
            if (c + 1 == columns)
                after = 0; // no trailing blanks on the last column
            spaces(before);
            for (const Piece& p : cell.pieces)
                out.add(p.text, p.style);
            spaces(after);
        }
    }
}

} // namespace ik::tui::internal
