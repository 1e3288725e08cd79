#include "tui/escape.h"

namespace ik::tui::esc {
namespace {

constexpr std::string_view csi = "\x1b[";

void append_int(std::string& out, int value)
{
    char digits[12];
    int n = 0;
    unsigned v = value < 0 ? 0u : static_cast<unsigned>(value);
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n > 0)
        out.push_back(digits[--n]);
}

void csi_n(std::string& out, int n, char final)
{
    out += csi;
    if (n != 1)
        append_int(out, n);
    out.push_back(final);
}

void private_mode(std::string& out, std::string_view mode, bool on)
{
    out += csi;
    out.push_back('?');
    out += mode;
    out.push_back(on ? 'h' : 'l');
}

// Appends ";<params>" of one colour; `base` is 30 (fg) or 40 (bg).
void color_params(std::string& out, Color c, int base)
{
    switch (c.kind) {
    case Color::Kind::none:
        out.push_back(';');
        append_int(out, base + 9);
        return;
    case Color::Kind::basic:
        out.push_back(';');
        append_int(out, c.r < 8 ? base + c.r : base + 60 + (c.r - 8));
        return;
    case Color::Kind::indexed:
        out.push_back(';');
        append_int(out, base + 8);
        out += ";5;";
        append_int(out, c.r);
        return;
    case Color::Kind::rgb:
        out.push_back(';');
        append_int(out, base + 8);
        out += ";2;";
        append_int(out, c.r);
        out.push_back(';');
        append_int(out, c.g);
        out.push_back(';');
        append_int(out, c.b);
        return;
    }
}

void attr_params(std::string& out, uint8_t attrs)
{
    static constexpr struct {
        uint8_t bit;
        int code;
    } table[] = {
        { attr_bold, 1 },
        { attr_dim, 2 },
        { attr_italic, 3 },
        { attr_underline, 4 },
        { attr_reverse, 7 },
        { attr_strike, 9 },
    };
    for (auto& e : table) {
        if (attrs & e.bit) {
            out.push_back(';');
            append_int(out, e.code);
        }
    }
}

// Removes the first ';' after the CSI introducer (params were appended with
// a leading ';' each) so the sequence reads ESC [ 1;31 m.
void finish_sgr(std::string& out, size_t start)
{
    if (out.size() > start + csi.size() && out[start + csi.size()] == ';')
        out.erase(start + csi.size(), 1);
    out.push_back('m');
}

} // namespace

void cursor_to(std::string& out, int row, int col)
{
    out += csi;
    if (row != 0 || col != 0) {
        append_int(out, row + 1);
        if (col != 0) {
            out.push_back(';');
            append_int(out, col + 1);
        }
    }
    out.push_back('H');
}

void cursor_up(std::string& out, int n)
{
    csi_n(out, n, 'A');
}
void cursor_down(std::string& out, int n)
{
    csi_n(out, n, 'B');
}
void cursor_forward(std::string& out, int n)
{
    csi_n(out, n, 'C');
}
void cursor_back(std::string& out, int n)
{
    csi_n(out, n, 'D');
}
void next_line(std::string& out)
{
    out += "\r\n";
}
void cursor_show(std::string& out)
{
    private_mode(out, "25", true);
}
void cursor_hide(std::string& out)
{
    private_mode(out, "25", false);
}
void cursor_save(std::string& out)
{
    out += "\x1b"
           "7";
}
void cursor_restore(std::string& out)
{
    out += "\x1b"
           "8";
}

void erase_line(std::string& out)
{
    out += "\x1b[2K";
}
void erase_to_line_end(std::string& out)
{
    out += "\x1b[K";
}
void erase_below(std::string& out)
{
    out += "\x1b[J";
}
void erase_screen(std::string& out)
{
    out += "\x1b[2J";
}

void set_scroll_region(std::string& out, int top, int bottom)
{
    out += csi;
    append_int(out, top + 1);
    out.push_back(';');
    append_int(out, bottom + 1);
    out.push_back('r');
}
void reset_scroll_region(std::string& out)
{
    out += "\x1b[r";
}
void scroll_up(std::string& out, int n)
{
    csi_n(out, n, 'S');
}

void sgr_reset(std::string& out)
{
    out += "\x1b[m";
}

void sgr_foreground(std::string& out, Color color)
{
    size_t start = out.size();
    out += csi;
    color_params(out, color, 30);
    finish_sgr(out, start);
}

void sgr_background(std::string& out, Color color)
{
    size_t start = out.size();
    out += csi;
    color_params(out, color, 40);
    finish_sgr(out, start);
}

void sgr(std::string& out, Style style, ColorMode mode)
{
    style = downgrade(style, mode);
    size_t start = out.size();
    out += csi;
    out += "0";
    attr_params(out, style.attrs);
    if (style.fg.kind != Color::Kind::none)
        color_params(out, style.fg, 30);
    if (style.bg.kind != Color::Kind::none)
        color_params(out, style.bg, 40);
    finish_sgr(out, start);
}

void sgr_transition(std::string& out, Style from, Style to, ColorMode mode)
{
    from = downgrade(from, mode);
    to = downgrade(to, mode);
    if (from == to)
        return;
    // Attributes can only be turned off individually with codes some
    // terminals lack (22 clears bold and dim together), so any removed
    // attribute means a full reset; added ones and colours change in place.
    if ((from.attrs & ~to.attrs) != 0) {
        if (to == Style{}) {
            sgr_reset(out);
            return;
        }
        sgr(out, to, mode);
        return;
    }
    size_t start = out.size();
    out += csi;
    attr_params(out, static_cast<uint8_t>(to.attrs & ~from.attrs));
    if (!(from.fg == to.fg))
        color_params(out, to.fg, 30);
    if (!(from.bg == to.bg))
        color_params(out, to.bg, 40);
    finish_sgr(out, start);
}

void alt_screen_enter(std::string& out)
{
    private_mode(out, "1049", true);
}
void alt_screen_leave(std::string& out)
{
    private_mode(out, "1049", false);
}
void bracketed_paste_on(std::string& out)
{
    private_mode(out, "2004", true);
}
void bracketed_paste_off(std::string& out)
{
    private_mode(out, "2004", false);
}
void mouse_on(std::string& out)
{
    private_mode(out, "1000", true);
    private_mode(out, "1006", true);
}
void mouse_off(std::string& out)
{
    private_mode(out, "1006", false);
    private_mode(out, "1000", false);
}
void sync_begin(std::string& out)
{
    private_mode(out, "2026", true);
}
void sync_end(std::string& out)
{
    private_mode(out, "2026", false);
}
void autowrap_on(std::string& out)
{
    private_mode(out, "7", true);
}
void autowrap_off(std::string& out)
{
    private_mode(out, "7", false);
}

void set_title(std::string& out, std::string_view title)
{
    out += "\x1b]2;";
    for (char c : title) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u != 0x7f)
            out.push_back(c);
    }
    out += "\x1b\\";
}

void clipboard_copy(std::string& out, std::string_view text)
{
    static constexpr std::string_view digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    out += "\x1b]52;c;";
    out.reserve(out.size() + (text.size() + 2) / 3 * 4 + 2);
    size_t i = 0;
    for (; i + 3 <= text.size(); i += 3) {
        uint32_t n = (uint32_t(uint8_t(text[i])) << 16) | (uint32_t(uint8_t(text[i + 1])) << 8) | uint8_t(text[i + 2]);
        out.push_back(digits[(n >> 18) & 63]);
        out.push_back(digits[(n >> 12) & 63]);
        out.push_back(digits[(n >> 6) & 63]);
        out.push_back(digits[n & 63]);
    }
    if (size_t rest = text.size() - i; rest > 0) {
        uint32_t n = uint32_t(uint8_t(text[i])) << 16;
        if (rest == 2)
            n |= uint32_t(uint8_t(text[i + 1])) << 8;
        out.push_back(digits[(n >> 18) & 63]);
        out.push_back(digits[(n >> 12) & 63]);
        out.push_back(rest == 2 ? digits[(n >> 6) & 63] : '=');
        out.push_back('=');
    }
    out += "\x1b\\";
}

} // namespace ik::tui::esc
