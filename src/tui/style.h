// Text style: foreground/background colour and attribute bits.
//
// A Style is a small value (12 bytes) stored beside every span of text in
// frames, scrollback lines and Markdown output. Colours keep what the caller
// asked for (16-colour index, 256-colour index or 24-bit RGB); the screen
// downgrades them to what the terminal supports (ColorMode) only when it
// emits escapes, so NO_COLOR or a 16-colour terminal changes nothing upstream.
// Owns nothing.
#pragma once

#include <cstdint>

namespace ik::tui {

struct Color {
    enum class Kind : uint8_t { none, basic, indexed, rgb };
    Kind kind = Kind::none; // none: the terminal's default colour
    uint8_t r = 0; // basic/indexed: the index; rgb: red
    uint8_t g = 0;
    uint8_t b = 0;

    static constexpr Color basic(uint8_t index) { return { Kind::basic, index, 0, 0 }; }
    static constexpr Color indexed(uint8_t index) { return { Kind::indexed, index, 0, 0 }; }
    static constexpr Color rgb(uint8_t red, uint8_t green, uint8_t blue) { return { Kind::rgb, red, green, blue }; }
    constexpr bool operator==(const Color&) const = default;
};

// The 16 basic colours, by index.
namespace color {
inline constexpr Color black = Color::basic(0), red = Color::basic(1), green = Color::basic(2),
                       yellow = Color::basic(3), blue = Color::basic(4), magenta = Color::basic(5),
                       cyan = Color::basic(6), white = Color::basic(7), gray = Color::basic(8),
                       bright_red = Color::basic(9), bright_green = Color::basic(10), bright_yellow = Color::basic(11),
                       bright_blue = Color::basic(12), bright_magenta = Color::basic(13),
                       bright_cyan = Color::basic(14), bright_white = Color::basic(15);
} // namespace color

enum Attr : uint8_t {
    attr_none = 0,
    attr_bold = 1 << 0,
    attr_dim = 1 << 1,
    attr_italic = 1 << 2,
    attr_underline = 1 << 3,
    attr_reverse = 1 << 4,
    attr_strike = 1 << 5,
};

struct Style {
    Color fg;
    Color bg;
    uint8_t attrs = attr_none;

    constexpr bool operator==(const Style&) const = default;
    constexpr Style with_fg(Color c) const
    {
        Style s = *this;
        s.fg = c;
        return s;
    }
    constexpr Style with_bg(Color c) const
    {
        Style s = *this;
        s.bg = c;
        return s;
    }
    constexpr Style with(uint8_t a) const
    {
        Style s = *this;
        s.attrs = static_cast<uint8_t>(s.attrs | a);
        return s;
    }
    constexpr bool has(uint8_t a) const { return (attrs & a) != 0; }
};

// What the terminal can show. `none` keeps attributes (bold, reverse...) but
// drops every colour: NO_COLOR and TERM=dumb.
enum class ColorMode : uint8_t { none, basic16, indexed256, truecolor };

// NO_COLOR (non-empty) -> none; TERM=dumb or unset -> none;
// COLORTERM=truecolor|24bit -> truecolor; TERM=*256color* -> indexed256;
// otherwise basic16. Reads the environment through the given values so tests
// need not set real variables (null = unset).
ColorMode detect_color_mode(const char* no_color, const char* term, const char* colorterm);
ColorMode detect_color_mode();

// `style` as the terminal in `mode` can show it: colours mapped to the
// nearest supported ones, or dropped.
Style downgrade(Style style, ColorMode mode);

} // namespace ik::tui
