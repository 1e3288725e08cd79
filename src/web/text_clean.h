// Text from a web page made safe to hand to the model and, through it, to the
// terminal: a page is hostile input (design.md, style.md §15).
//
// Owns nothing; returns a new string.
#pragma once

#include <string>
#include <string_view>

namespace ik::web {

// `text` as valid UTF-8 (invalid bytes become U+FFFD) without C0 control
// characters other than newline and tab, without DEL and C1 controls (so no
// terminal escape sequence survives, 7-bit or 8-bit), and without the
// bidirectional overrides and isolates that make text read differently than
// it is (U+202A–U+202E, U+2066–U+2069). A carriage return is dropped.
std::string clean_text(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` that does not end in
// the middle of a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, size_t max_bytes);

} // namespace ik::web
