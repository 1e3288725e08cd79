// What a fetched body is, from its Content-Type and its first bytes: HTML
// (converted to Markdown), text (passed through: text/*, JSON, XML,
// JavaScript, YAML…), or anything else, which web_fetch refuses with a
// message naming the type rather than handing the model bytes it cannot read.
//
// Owns nothing.
#pragma once

#include <string>
#include <string_view>

namespace ik::web {

enum class BodyKind : uint8_t { html, text, binary };

// "text/html" from "Text/HTML; charset=UTF-8": lower case, no parameters.
std::string media_type(std::string_view content_type);

// A declared type decides; without one (or application/octet-stream) the
// first bytes do: a NUL means binary, "<!doctype html" or "<html" means HTML.
BodyKind body_kind(std::string_view content_type, std::string_view head);

// The body as UTF-8: ISO-8859-1 / windows-1252 / US-ASCII (the charset
// parameter) are converted; any other charset is passed on as it is (the
// caller repairs invalid UTF-8).
std::string to_utf8(std::string_view body, std::string_view content_type);

} // namespace ik::web
