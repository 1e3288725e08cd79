// A Markdown table, collected cell by cell while md4c walks it, then laid
// out at once: each column as wide as its widest cell, cells aligned as the
// delimiter row says (`:--` left, `:-:` centre, `--:` right), the header
// separated by a `─┼─` rule. Rows are `nowrap` lines, so a table wider than
// the window is clipped with the scrollback's marker rather than wrapped
// into an unreadable zigzag.
//
// Owns copies of the cells' text (sanitised); reused across tables.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tui/styled_text.h"

namespace ik::tui::internal {

class MdTable {
public:
    enum class Align { left, center, right };

    void clear();
    void begin_row(bool header);
    void begin_cell(Align align);
    // Inline content of the current cell.
    void add(std::string_view text, Style style);

    // Appends the table's lines to `out`; `start_line` begins each line
    // (blank-line bookkeeping and container prefixes are the renderer's).
    void render(StyledLines& out, const std::function<void()>& start_line, Style bar) const;

private:
    struct Piece {
        std::string text;
        Style style;
    };
    struct Cell {
        std::vector<Piece> pieces;
        int width = 0;
    };
    struct Row {
        std::vector<Cell> cells;
        bool header = false;
    };
    std::vector<Row> m_rows;
    std::vector<Align> m_align; // per column, from the first row that sets it
};

} // namespace ik::tui::internal
