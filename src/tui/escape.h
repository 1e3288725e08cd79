// Every terminal escape sequence ik emits, as a named function.
//
// Each function appends the bytes of one control sequence to `out` and
// allocates nothing beyond what `out` needs to grow (callers reuse one
// buffer per frame, so steady state is allocation-free). No other file in ik
// contains escape literals (style.md rule 8): an ESC byte written as a literal
// outside this file is a bug (escape_literals_test checks). Positions are 0-based here and converted to the
// terminal's 1-based coordinates inside.
//
//   std::string out;
//   esc::sync_begin(out);
//   esc::cursor_to(out, 0, 0);
//   esc::sgr(out, Style{}.with(attr_bold), ColorMode::truecolor);
//   esc::sync_end(out);
//
// Borrows `out`; owns nothing.
#pragma once

#include <string>
#include <string_view>

#include "tui/style.h"

namespace ik::tui::esc {

// Cursor movement. cursor_to takes a 0-based row and column.
void cursor_to(std::string& out, int row, int col);
void cursor_up(std::string& out, int n);
void cursor_down(std::string& out, int n);
void cursor_forward(std::string& out, int n);
void cursor_back(std::string& out, int n);
// Carriage return + line feed: the cheapest move to the next row's start.
void next_line(std::string& out);
void cursor_show(std::string& out);
void cursor_hide(std::string& out);
// DECSC / DECRC.
void cursor_save(std::string& out);
void cursor_restore(std::string& out);

// Erasing.
void erase_line(std::string& out); // the whole line (EL 2)
void erase_to_line_end(std::string& out); // from the cursor (EL 0)
void erase_below(std::string& out); // cursor to end of screen (ED 0)
void erase_screen(std::string& out); // the whole screen (ED 2)

// Scrolling: DECSTBM limits scrolling to rows [top, bottom] (0-based,
// inclusive) and homes the cursor; SU scrolls that region up `n` rows,
// blanking the rows that enter at the bottom.
void set_scroll_region(std::string& out, int top, int bottom);
void reset_scroll_region(std::string& out);
void scroll_up(std::string& out, int n);

// Select Graphic Rendition. sgr_reset returns to the default style; sgr sets
// exactly `style` (reset first, then attributes and colours) as `mode` can
// show it; sgr_transition emits the shortest change from `from` to `to`.
void sgr_reset(std::string& out);
void sgr(std::string& out, Style style, ColorMode mode);
void sgr_transition(std::string& out, Style from, Style to, ColorMode mode);
// The colour parameters alone (used by sgr; exposed for tests).
void sgr_foreground(std::string& out, Color color);
void sgr_background(std::string& out, Color color);

// Modes.
void alt_screen_enter(std::string& out); // DECSET 1049 (saves the cursor, clears)
void alt_screen_leave(std::string& out);
void bracketed_paste_on(std::string& out); // DECSET 2004
void bracketed_paste_off(std::string& out);
void mouse_on(std::string& out); // button events (1000) in SGR encoding (1006)
void mouse_off(std::string& out);
void sync_begin(std::string& out); // DEC 2026 synchronized output
void sync_end(std::string& out);
void autowrap_on(std::string& out); // DECAWM
void autowrap_off(std::string& out);

// Window title (OSC 2). Control characters in `title` are dropped.
void set_title(std::string& out, std::string_view title);

// Puts `text` on the system clipboard (OSC 52, selection "c", base64), as
// terminals that allow it (and tmux with set-clipboard on) understand.
void clipboard_copy(std::string& out, std::string_view text);

} // namespace ik::tui::esc
