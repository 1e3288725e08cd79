#include "core/utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <utf8proc.h>

namespace ik::utf8 {
namespace {

// Decodes one code point at `pos`; an invalid byte decodes as -1, length 1.
utf8proc_int32_t decode(std::string_view text, size_t pos, size_t& length)
{
    utf8proc_int32_t cp = -1;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
        static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
    if (n <= 0) {
        length = 1;
        return -1;
    }
    length = static_cast<size_t>(n);
    return cp;
}

// True when a grapheme break certainly follows the byte at `pos`: Unicode
// never joins two ASCII characters into one cluster except CR LF (extenders,
// ZWJ and prepend marks are all outside ASCII). This skips utf8proc for the
// common case and gives previous_grapheme() a safe place to restart from.
bool ascii_boundary_after(std::string_view text, size_t pos)
{
    auto c = static_cast<unsigned char>(text[pos]);
    if (c >= 0x80)
        return false;
    if (pos + 1 >= text.size())
        return true;
    auto n = static_cast<unsigned char>(text[pos + 1]);
    return n < 0x80 && !(c == '\r' && n == '\n');
}

} // namespace

Bytes next_grapheme(std::string_view text, Bytes offset)
{
    size_t pos = offset.value;
    if (pos >= text.size())
        return Bytes(0);
    if (ascii_boundary_after(text, pos))
        return Bytes(1);
    size_t len = 0;
    utf8proc_int32_t prev = decode(text, pos, len);
    size_t end = pos + len;
    if (prev < 0)
        return Bytes(len);
    utf8proc_int32_t state = 0;
    while (end < text.size()) {
        size_t next_len = 0;
        utf8proc_int32_t cp = decode(text, end, next_len);
        if (cp < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state))
            break;
        prev = cp;
        end += next_len;
    }
    return Bytes(end - pos);
}

Bytes previous_grapheme(std::string_view text, Bytes offset)
{
    // Graphemes are found forwards, so scan from a safe start: the nearest
    // earlier point between two ASCII bytes is always a boundary. That keeps
    // Backspace O(1) in a megabyte of mostly-ASCII text.
    size_t target = std::min(offset.value, text.size());
    size_t pos = 0;
    for (size_t p = target; p >= 2; --p) {
        if (ascii_boundary_after(text, p - 2) && p - 1 < target) {
            pos = p - 1;
            break;
        }
    }
    size_t last = pos;
    while (pos < target) {
        last = pos;
        pos += next_grapheme(text, Bytes(pos)).value;
    }
    return Bytes(last);
}

Columns grapheme_width(std::string_view grapheme)
{
    size_t len = 0;
    utf8proc_int32_t cp = decode(grapheme, 0, len);
    if (cp < 0)
        return Columns(1);
    int w = utf8proc_charwidth(cp);
    // An emoji presentation selector (U+FE0F) widens a text-default symbol.
    if (grapheme.find("\xEF\xB8\x8F") != std::string_view::npos)
        w = 2;
    // Regional-indicator pairs (flags) and ZWJ sequences render as one wide glyph.
    if (w == 1 && utf8proc_get_property(cp)->category == UTF8PROC_CATEGORY_SO && len < grapheme.size())
        w = 2;
    if (w < 0)
        w = 0;
    return Columns(static_cast<size_t>(w));
}

Columns display_width(std::string_view text)
{
    Columns total;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t n = next_grapheme(text, Bytes(pos)).value;
        total += grapheme_width(text.substr(pos, n));
        pos += n;
    }
    return total;
}

Bytes prefix_fitting(std::string_view text, Columns width)
{
    Columns used;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t n = next_grapheme(text, Bytes(pos)).value;
        Columns w = grapheme_width(text.substr(pos, n));
        if (used + w > width)
            break;
        used += w;
        pos += n;
    }
    return Bytes(pos);
}

bool is_valid(std::string_view text)
{
    size_t pos = 0;
    while (pos < text.size()) {
        // ASCII eight bytes at a time (a system prompt is tens of KiB of it).
        uint64_t word = 0;
        if (text.size() - pos >= sizeof word) {
            std::memcpy(&word, text.data() + pos, sizeof word);
            if ((word & 0x8080808080808080u) == 0) {
                pos += sizeof word;
                continue;
            }
        }
        size_t len = 0;
        if (decode(text, pos, len) < 0)
            return false;
        pos += len;
    }
    return true;
}

std::string repaired(std::string_view text, size_t* replaced)
{
    std::string out;
    out.reserve(text.size());
    size_t count = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t len = 0;
        if (decode(text, pos, len) < 0) {
            out += "\xEF\xBF\xBD";
            ++count;
        } else {
            out.append(text.substr(pos, len));
        }
        pos += len;
    }
    if (replaced)
        *replaced = count;
    return out;
}

} // namespace ik::utf8
