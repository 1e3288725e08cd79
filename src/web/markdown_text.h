// Plain-text helpers of the HTML to Markdown walk (html_markdown.cc): the
// whitespace rules, block separation, line prefixes for lists and quotes,
// and the final tidying. Nothing here knows about HTML.
//
// Owns nothing; functions return new strings or edit the one given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ik::web {

// HTML's whitespace: space, tab, newline, carriage return, form feed.
bool is_space(char c);
// Drops spaces and tabs at the end.
void rtrim_spaces(std::string& s);
// Without leading and trailing whitespace.
std::string_view trim(std::string_view s);

// Ends `out` with a blank line (blank) or a line break (newline), unless it
// is empty: the separation Markdown needs around blocks.
enum class Break : uint8_t { newline, blank };
void ensure(std::string& out, Break b);

// Each line of `text` with `first` before the first line and `rest` before
// the others (list markers and their indentation, quote markers).
std::string prefixed(std::string_view text, std::string_view first, std::string_view rest);
// Newlines and runs of spaces as single spaces: for headings and table cells.
std::string one_line(std::string_view text);
// A URL as a Markdown link target: spaces and parentheses percent-encoded.
std::string link_target(std::string_view url);
// The longest run of `c` in `text`: a code span or fence must be longer.
size_t longest_run(std::string_view text, char c);
// Blank lines at most one in a row, no spaces at line ends, no blank start or end.
std::string tidy(std::string_view text);

} // namespace ik::web
