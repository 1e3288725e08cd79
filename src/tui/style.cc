#include "tui/style.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace ik::tui {
namespace {

// The xterm palette for the 16 basic colours, for nearest-colour mapping.
constexpr uint8_t basic_rgb[16][3] = {
    { 0, 0, 0 },
    { 205, 0, 0 },
    { 0, 205, 0 },
    { 205, 205, 0 },
    { 0, 0, 238 },
    { 205, 0, 205 },
    { 0, 205, 205 },
    { 229, 229, 229 },
    { 127, 127, 127 },
    { 255, 0, 0 },
    { 0, 255, 0 },
    { 255, 255, 0 },
    { 92, 92, 255 },
    { 255, 0, 255 },
    { 0, 255, 255 },
    { 255, 255, 255 },
};

void indexed_to_rgb(uint8_t index, uint8_t& r, uint8_t& g, uint8_t& b)
{
    if (index < 16) {
        r = basic_rgb[index][0];
        g = basic_rgb[index][1];
        b = basic_rgb[index][2];
    } else if (index < 232) {
        int i = index - 16;
        auto level = [](int v) { return static_cast<uint8_t>(v == 0 ? 0 : 55 + v * 40); };
        r = level(i / 36);
        g = level((i / 6) % 6);
        b = level(i % 6);
    } else {
        r = g = b = static_cast<uint8_t>(8 + (index - 232) * 10);
    }
}

uint8_t nearest_basic(uint8_t r, uint8_t g, uint8_t b)
{
    int best = 0;
    long best_distance = -1;
    for (int i = 0; i < 16; ++i) {
        long dr = r - basic_rgb[i][0], dg = g - basic_rgb[i][1], db = b - basic_rgb[i][2];
        long d = dr * dr + dg * dg + db * db;
        if (best_distance < 0 || d < best_distance) {
            best_distance = d;
            best = i;
        }
    }
    return static_cast<uint8_t>(best);
}

uint8_t nearest_indexed(uint8_t r, uint8_t g, uint8_t b)
{
    auto cube = [](uint8_t v) { return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40; };
    return static_cast<uint8_t>(16 + 36 * cube(r) + 6 * cube(g) + cube(b));
}

Color downgrade_color(Color c, ColorMode mode)
{
    if (c.kind == Color::Kind::none)
        return c;
    switch (mode) {
    case ColorMode::none:
        return Color{};
    case ColorMode::truecolor:
        return c;
    case ColorMode::indexed256:
        if (c.kind == Color::Kind::rgb)
            return Color::indexed(nearest_indexed(c.r, c.g, c.b));
        return c;
    case ColorMode::basic16:
        if (c.kind == Color::Kind::basic)
            return c;
        if (c.kind == Color::Kind::indexed) {
            uint8_t r, g, b;
            indexed_to_rgb(c.r, r, g, b);
            return Color::basic(nearest_basic(r, g, b));
        }
        return Color::basic(nearest_basic(c.r, c.g, c.b));
    }
    return c;
}

} // namespace

ColorMode detect_color_mode(const char* no_color, const char* term, const char* colorterm)
{
    if (no_color && *no_color)
        return ColorMode::none;
    std::string_view t = term ? term : "";
    if (t.empty() || t == "dumb")
        return ColorMode::none;
    std::string_view ct = colorterm ? colorterm : "";
    if (ct == "truecolor" || ct == "24bit")
        return ColorMode::truecolor;
    if (t.find("256color") != std::string_view::npos || t.find("direct") != std::string_view::npos)
        return ColorMode::indexed256;
    return ColorMode::basic16;
}

ColorMode detect_color_mode()
{
    return detect_color_mode(std::getenv("NO_COLOR"), std::getenv("TERM"), std::getenv("COLORTERM"));
}

Style downgrade(Style style, ColorMode mode)
{
    style.fg = downgrade_color(style.fg, mode);
    style.bg = downgrade_color(style.bg, mode);
    return style;
}

} // namespace ik::tui
