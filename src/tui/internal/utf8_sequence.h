// One UTF-8 sequence decoded by hand: the two text sanitisers of tui
// (styled_text's append_sanitized, visible's append_visible) walk bytes and
// need the code point and length of each sequence, and to know whether a cut
// at the end of a piece might still complete. Shortest form only; surrogates
// and code points past U+10FFFF are invalid.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ik::tui::internal {

// The length of the valid UTF-8 sequence at `p` (of `n` bytes available), its
// code point in `cp`; 0 when the bytes there are not one.
inline size_t decode_sequence(const unsigned char* p, size_t n, uint32_t& cp)
{
    unsigned char c = p[0];
    size_t len = 0;
    uint32_t min = 0;
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    uint32_t value = c & (0x7F >> len);
    for (size_t i = 1; i < len; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        value = (value << 6) | (p[i] & 0x3F);
    }
    if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return 0;
    cp = value;
    return len;
}

// True when the `n` bytes at `p` are the start of a sequence cut short: a lead
// byte and fewer continuation bytes than it announces (text streamed in pieces
// may split a character between two of them).
inline bool cut_sequence(const unsigned char* p, size_t n)
{
    unsigned char c = p[0];
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || n >= len)
        return false;
    for (size_t i = 1; i < n; ++i)
        if ((p[i] & 0xC0) != 0x80)
            return false;
    return true;
}

} // namespace ik::tui::internal
