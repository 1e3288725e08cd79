#include "tui/visible.h"

#include <algorithm>

#include <unistd.h>

#include "tui/internal/utf8_sequence.h"

namespace ik::tui {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD
constexpr std::string_view escape_symbol = "\xE2\x90\x9B"; // U+241B SYMBOL FOR ESCAPE

// Bytes that pass as they are: printable ASCII, LF and TAB.
bool passes(unsigned char c)
{
    return (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t';
}

// A C0 control, DEL or a C1 control, as text.
void append_control(std::string& out, uint32_t cp)
{
    if (cp == 0x1B) {
        out += escape_symbol;
    } else if (cp < 0x20) {
        out += '^';
        out += static_cast<char>(cp + 0x40);
    } else if (cp == 0x7F) {
        out += "^?";
    } else {
        // A C1 control is ESC and its 7-bit twin to a terminal (ECMA-48 §5.3).
        out += escape_symbol;
        out += static_cast<char>(cp - 0x40);
    }
}

// Appends `text` made visible and returns how many of its bytes it used: all
// of them when `at_end`, else all but a tail that the next piece may complete
// (a cut UTF-8 character, a CR that may precede an LF).
size_t append_part(std::string& out, std::string_view text, bool at_end)
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && passes(p[run]))
            ++run;
        if (run > i) {
            out.append(text.data() + i, run - i);
            i = run;
            continue;
        }
        if (p[i] == '\r') {
            if (i + 1 == n && !at_end)
                return i;
            if (i + 1 < n && p[i + 1] == '\n') {
                out += "\r\n";
                i += 2;
            } else {
                out += "^M";
                ++i;
            }
            continue;
        }
        uint32_t cp = 0;
        size_t len = internal::decode_sequence(p + i, n - i, cp);
        if (len == 0) {
            if (!at_end && internal::cut_sequence(p + i, n - i))
                return i;
            out += replacement;
            ++i;
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            append_control(out, cp);
            i += len;
        } else {
            out.append(text.data() + i, len);
            i += len;
        }
    }
    return n;
}

} // namespace

Rendering rendering_for(std::FILE* file)
{
    return ::isatty(::fileno(file)) == 1 ? Rendering::visible : Rendering::exact;
}

void append_visible(std::string& out, std::string_view text)
{
    append_part(out, text, true);
}

void VisibleStream::append(std::string& out, std::string_view piece)
{
    if (m_held_size > 0) {
        // The held bytes and the start of the piece: enough to finish any
        // character (4 bytes at most) or CR LF that the held bytes began.
        std::array<char, 8> joined{};
        size_t taken = std::min<size_t>(piece.size(), 4);
        std::copy_n(m_held.begin(), m_held_size, joined.begin());
        std::copy_n(piece.begin(), taken, joined.begin() + static_cast<ptrdiff_t>(m_held_size));
        std::string_view both(joined.data(), m_held_size + taken);
        size_t used = append_part(out, both, false);
        if (taken == piece.size()) {
            // The whole piece was in `both`: what is left of it waits.
            m_held_size = both.size() - used;
            std::copy_n(both.begin() + static_cast<ptrdiff_t>(used), m_held_size, m_held.begin());
            return;
        }
        // With 4 bytes after them the held bytes always resolve, so `used`
        // covers them; the piece goes on from what `both` used of it.
        piece.remove_prefix(used - m_held_size);
        m_held_size = 0;
    }
    size_t used = append_part(out, piece, false);
    m_held_size = piece.size() - used;
    std::copy_n(piece.begin() + static_cast<ptrdiff_t>(used), m_held_size, m_held.begin());
}

void VisibleStream::finish(std::string& out)
{
    append_part(out, std::string_view(m_held.data(), m_held_size), true);
    m_held_size = 0;
}

void TextWriter::write(std::string_view text)
{
    if (m_rendering == Rendering::visible) {
        m_visible.clear();
        append_visible(m_visible, text);
        text = m_visible;
    }
    std::fwrite(text.data(), 1, text.size(), m_file);
}

} // namespace ik::tui
