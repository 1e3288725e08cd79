#include "tui/internal/key_sequences.h"

#include <cctype>
#include <string>

namespace ik::tui::internal {

KeyEvent key_event(Key key, uint8_t mods)
{
    KeyEvent e;
    e.key = key;
    e.mods = mods;
    return e;
}

KeyEvent char_event(char32_t ch, uint8_t mods)
{
    KeyEvent e = key_event(Key::Char, mods);
    if (ch >= 'A' && ch <= 'Z') {
        ch = ch - 'A' + 'a';
        e.mods |= mod_shift;
    }
    e.ch = ch;
    return e;
}

// xterm encodes modifiers as 1 + bits (shift 1, alt 2, ctrl 4, meta 8).
uint8_t xterm_mods(int param)
{
    if (param <= 1)
        return mod_none;
    int bits = param - 1;
    auto mods = static_cast<uint8_t>(bits & 7);
    if (bits & 8)
        mods |= mod_alt;
    return mods;
}

// A C0 control byte or DEL typed on its own, with `extra` modifiers (Alt when
// it followed an ESC).
KeyEvent control_event(unsigned char c, uint8_t extra)
{
    switch (c) {
    case '\r':
        return key_event(Key::Enter, extra);
    case '\t':
        return key_event(Key::Tab, extra);
    case 0x7f:
    case 0x08:
        return key_event(Key::Backspace, extra);
    case 0x00:
        return char_event(' ', mod_ctrl | extra);
    default:
        break;
    }
    if (c <= 26)
        return char_event(U'a' + c - 1, mod_ctrl | extra);
    static constexpr std::array<char, 4> high = { '\\', ']', '^', '_' };
    return char_event(static_cast<char32_t>(high[c - 0x1c]), mod_ctrl | extra);
}

// Bytes at the end of `s` that start a UTF-8 character not yet complete.
size_t incomplete_utf8_tail(std::string_view s)
{
    for (size_t k = 1; k <= 3 && k <= s.size(); ++k) {
        auto b = static_cast<unsigned char>(s[s.size() - k]);
        if ((b & 0xC0) == 0x80)
            continue;
        if (b < 0xC0)
            return 0;
        size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        return need > k ? k : 0;
    }
    return 0;
}

namespace {

void append_utf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

} // namespace

void push_text(std::vector<KeyEvent>& out, std::string_view text)
{
    if (!out.empty() && out.back().key == Key::Text) {
        out.back().text.append(text);
        return;
    }
    KeyEvent e;
    e.text.assign(text);
    out.push_back(std::move(e));
}

// Parses "ESC [ ... final" at the start of `s`. Returns bytes consumed, 0
// when the sequence is not complete yet.
size_t parse_csi(std::string_view s, Csi& csi)
{
    size_t j = 2;
    if (j < s.size() && (s[j] == '<' || s[j] == '?' || s[j] == '>' || s[j] == '='))
        csi.prefix = s[j++];
    bool any = false;
    for (; j < s.size(); ++j) {
        auto c = static_cast<unsigned char>(s[j]);
        if (c >= '0' && c <= '9') {
            if (csi.count < csi.params.size()) {
                int& p = csi.params[csi.count];
                p = p > 100000 ? p : p * 10 + (c - '0');
            }
            any = true;
        } else if (c == ';') {
            ++csi.count;
            any = true;
        } else if (c == ':') {
            // Kitty sub-parameters (alternate keys): keep the first only.
            while (j + 1 < s.size() && (std::isdigit(static_cast<unsigned char>(s[j + 1])) || s[j + 1] == ':'))
                ++j;
        } else if (c >= 0x20 && c <= 0x3f) {
            // other parameter / intermediate bytes: part of the sequence
        } else if (c >= 0x40 && c <= 0x7e) {
            csi.final = static_cast<char>(c);
            if (any || csi.count > 0)
                ++csi.count;
            return j + 1;
        } else {
            // A control byte inside a CSI: malformed; drop what we have.
            return j;
        }
        if (j >= max_sequence)
            return j;
    }
    return 0;
}

namespace {

KeyEvent tilde_key(int code, uint8_t mods, bool& known)
{
    known = true;
    switch (code) {
    case 1:
    case 7:
        return key_event(Key::Home, mods);
    case 2:
        return key_event(Key::Insert, mods);
    case 3:
        return key_event(Key::Delete, mods);
    case 4:
    case 8:
        return key_event(Key::End, mods);
    case 5:
        return key_event(Key::PageUp, mods);
    case 6:
        return key_event(Key::PageDown, mods);
    default:
        break;
    }
    // F5..F12 are 15,17-21,23,24; F1-F4 also appear as 11-14.
    static constexpr std::array<int, 12> fkeys = { 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 23, 24 };
    for (size_t i = 0; i < fkeys.size(); ++i) {
        if (fkeys[i] == code) {
            KeyEvent e = key_event(Key::Function, mods);
            e.number = static_cast<int>(i) + 1;
            return e;
        }
    }
    known = false;
    return {};
}

} // namespace

// A final byte shared by CSI and SS3: arrows, Home/End, F1-F4, keypad Enter.
bool letter_key(char final, uint8_t mods, std::vector<KeyEvent>& out)
{
    switch (final) {
    case 'A':
        out.push_back(key_event(Key::Up, mods));
        return true;
    case 'B':
        out.push_back(key_event(Key::Down, mods));
        return true;
    case 'C':
        out.push_back(key_event(Key::Right, mods));
        return true;
    case 'D':
        out.push_back(key_event(Key::Left, mods));
        return true;
    case 'H':
        out.push_back(key_event(Key::Home, mods));
        return true;
    case 'F':
        out.push_back(key_event(Key::End, mods));
        return true;
    case 'M':
        out.push_back(key_event(Key::Enter, mods));
        return true;
    case 'P':
    case 'Q':
    case 'R':
    case 'S': {
        KeyEvent e = key_event(Key::Function, mods);
        e.number = final - 'P' + 1;
        out.push_back(e);
        return true;
    }
    default:
        return false;
    }
}

namespace {

void mouse_event(const Csi& csi, std::vector<KeyEvent>& out)
{
    int b = csi.params[0];
    uint8_t mods = mod_none;
    if (b & 4)
        mods |= mod_shift;
    if (b & 8)
        mods |= mod_alt;
    if (b & 16)
        mods |= mod_ctrl;
    KeyEvent e;
    e.mods = mods;
    e.x = csi.params[1];
    e.y = csi.params[2];
    if (b & 64) {
        if ((b & 3) > 1)
            return; // horizontal wheel
        e.key = (b & 3) == 0 ? Key::WheelUp : Key::WheelDown;
    } else if (b & 32) {
        return; // motion while a button is held
    } else {
        e.key = csi.final == 'M' ? Key::MousePress : Key::MouseRelease;
        e.number = b & 3;
    }
    out.push_back(e);
}

} // namespace

namespace {

// Kitty's "CSI code ; mods u" and xterm's "CSI 27 ; mods ; code ~".
void codepoint_key(int code, uint8_t mods, std::vector<KeyEvent>& out)
{
    switch (code) {
    case 13:
        out.push_back(key_event(Key::Enter, mods));
        return;
    case 9:
        out.push_back(key_event(mods == mod_shift ? Key::BackTab : Key::Tab, mods & ~mod_shift));
        return;
    case 27:
        out.push_back(key_event(Key::Escape, mods));
        return;
    case 127:
    case 8:
        out.push_back(key_event(Key::Backspace, mods));
        return;
    default:
        break;
    }
    if (code < 0x20 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return;
    if ((mods & (mod_ctrl | mod_alt)) != 0) {
        out.push_back(char_event(static_cast<char32_t>(code), mods));
        return;
    }
    std::string text;
    append_utf8(text, static_cast<char32_t>(code));
    push_text(out, text);
}

} // namespace

// Dispatches a complete CSI; sets `paste_start` for CSI 200~.
void csi_event(const Csi& csi, std::vector<KeyEvent>& out, bool& paste_start)
{
    if (csi.prefix == '<') {
        if (csi.final == 'M' || csi.final == 'm')
            mouse_event(csi, out);
        return;
    }
    if (csi.prefix != 0)
        return; // replies to queries (DA, DECRQM...): not keys
    uint8_t mods = xterm_mods(csi.params[1]);
    if (csi.final == '~') {
        int code = csi.params[0];
        if (code == 200) {
            paste_start = true;
            return;
        }
        if (code == 27) {
            codepoint_key(csi.params[2], mods, out);
            return;
        }
        bool known = false;
        KeyEvent e = tilde_key(code, mods, known);
        if (known)
            out.push_back(e);
        return;
    }
    if (csi.final == 'u') {
        codepoint_key(csi.params[0], mods, out);
        return;
    }
    if (csi.final == 'Z') {
        out.push_back(key_event(Key::BackTab));
        return;
    }
    // "CSI row;col R" is a cursor position report, not F3.
    if (csi.final == 'R' && csi.params[0] > 1)
        return;
    // I/O are focus in/out; everything else unknown: swallowed.
    letter_key(csi.final, mods, out);
}

} // namespace ik::tui::internal
