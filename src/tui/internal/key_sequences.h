// Pieces of the key decoder: building events, and parsing and dispatching
// CSI sequences. Private to tui/keys.cc; split out to keep files small.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "tui/keys.h"

namespace ik::tui::internal {

// A CSI longer than this without a final byte is garbage, not a slow key.
constexpr size_t max_sequence = 256;

struct Csi {
    char prefix = 0; // '<', '?', '>' or '=' for private sequences
    std::array<int, 8> params{}; // missing params are 0
    size_t count = 0;
    char final = 0;
};

KeyEvent key_event(Key key, uint8_t mods = mod_none);
// A Key::Char; an upper-case letter becomes its lower case plus Shift.
KeyEvent char_event(char32_t ch, uint8_t mods);
// xterm encodes modifiers as 1 + bits (shift 1, alt 2, ctrl 4, meta 8).
uint8_t xterm_mods(int param);
// A C0 control byte or DEL typed on its own, with `extra` modifiers (Alt when
// it followed an ESC).
KeyEvent control_event(unsigned char c, uint8_t extra);
// Bytes at the end of `s` that start a UTF-8 character not yet complete.
size_t incomplete_utf8_tail(std::string_view s);
// Appends text, merged into a preceding Text event.
void push_text(std::vector<KeyEvent>& out, std::string_view text);
// Parses "ESC [ ... final" at the start of `s`. Returns bytes consumed, 0
// when the sequence is not complete yet; csi.final stays 0 for a malformed one.
size_t parse_csi(std::string_view s, Csi& csi);
// A final byte shared by CSI and SS3: arrows, Home/End, F1-F4, keypad Enter.
bool letter_key(char final, uint8_t mods, std::vector<KeyEvent>& out);
// Dispatches a complete CSI; sets `paste_start` for CSI 200~.
void csi_event(const Csi& csi, std::vector<KeyEvent>& out, bool& paste_start);

} // namespace ik::tui::internal
