#include "web/text_clean.h"

#include "core/utf8.h"

namespace ik::web {

std::string clean_text(std::string_view text)
{
    std::string valid = utf8::repaired(text);
    std::string out;
    out.reserve(valid.size());
    std::string_view v = valid;
    for (size_t i = 0; i < v.size(); ++i) {
        auto c = static_cast<unsigned char>(v[i]);
        if (c < 0x20 && c != '\n' && c != '\t')
            continue;
        if (c == 0x7f)
            continue;
        // C1 controls, U+0080–U+009F: C2 80 … C2 9F.
        if (c == 0xc2 && i + 1 < v.size() && static_cast<unsigned char>(v[i + 1]) <= 0x9f) {
            ++i;
            continue;
        }
        // U+202A–U+202E: E2 80 AA…AE; U+2066–U+2069: E2 81 A6…A9.
        if (c == 0xe2 && i + 2 < v.size()) {
            auto b1 = static_cast<unsigned char>(v[i + 1]);
            auto b2 = static_cast<unsigned char>(v[i + 2]);
            if ((b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae) || (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9)) {
                i += 2;
                continue;
            }
        }
        out += static_cast<char>(c);
    }
    return out;
}

std::string_view utf8_prefix(std::string_view text, size_t max_bytes)
{
    if (text.size() <= max_bytes)
        return text;
    size_t n = max_bytes;
    // Back off continuation bytes (10xxxxxx) to the start of the sequence.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xc0) == 0x80)
        --n;
    return text.substr(0, n);
}

} // namespace ik::web
