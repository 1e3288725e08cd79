// Frame: one screenful, built fresh by the layout for every redraw.
//
// A frame is a grid of rows; each row is a run of styled spans written left
// to right (text already sanitised, see styled_text.h) and clipped at the
// frame width, plus where the cursor should be. Rows are kept as text+spans
// rather than a cell array because that is what the renderer emits, what
// the diff compares and what producers have in hand: no per-cell work.
//
// Frames are reused: reset() clears rows but keeps their capacity, so the
// steady-state frame costs no heap allocation. Owns its row buffers.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tui/styled_text.h"

namespace ik::tui {

struct Size {
    int rows = 0;
    int cols = 0;
    constexpr bool operator==(const Size&) const = default;
};

// Width of `text` in columns; ASCII takes a fast path that never calls utf8proc.
int text_width(std::string_view text);

class Frame {
public:
    struct Row {
        std::string text;
        std::vector<Span> spans;
        int width = 0; // columns used
    };

    // Empties every row and sets the size; keeps capacity.
    void reset(Size size);
    Size size() const { return m_size; }

    // Appends `text` to `row` after what is there, clipped at the right edge
    // (whole graphemes only). Returns the columns written. Rows out of range
    // are ignored. `text` must be sanitised (no control characters).
    int put(int row, std::string_view text, Style style = {});
    // Appends `count` copies of `glyph` (one column wide each).
    int repeat(int row, std::string_view glyph, int count, Style style = {});
    // Empties one row.
    void reset_row(int row);
    // Pads `row` with spaces to column `col`.
    void pad_to(int row, int col, Style style = {});

    const Row& row(int index) const { return m_rows[static_cast<size_t>(index)]; }
    int row_width(int index) const { return m_rows[static_cast<size_t>(index)].width; }

    void set_cursor(int row, int col)
    {
        m_cursor_row = row;
        m_cursor_col = col;
        m_cursor_visible = true;
    }
    void hide_cursor() { m_cursor_visible = false; }
    bool cursor_visible() const { return m_cursor_visible; }
    int cursor_row() const { return m_cursor_row; }
    int cursor_col() const { return m_cursor_col; }

    // The frame as plain text, rows joined by '\n' with trailing spaces
    // dropped (for tests and debugging).
    std::string to_text() const;

private:
    Size m_size;
    std::vector<Row> m_rows;
    int m_cursor_row = 0;
    int m_cursor_col = 0;
    bool m_cursor_visible = false;
};

} // namespace ik::tui
