#include "web/markdown_text.h"

#include <algorithm>

namespace ik::web {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void rtrim_spaces(std::string& s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.pop_back();
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

void ensure(std::string& out, Break b)
{
    rtrim_spaces(out);
    if (out.empty())
        return;
    size_t want = b == Break::blank ? 2 : 1;
    size_t have = 0;
    for (auto it = out.rbegin(); it != out.rend() && *it == '\n' && have < want; ++it)
        ++have;
    out.append(want - have, '\n');
}

// Each line of `text` with `first` before the first line and `rest` before
// the others (list markers and their indentation, quote markers).
std::string prefixed(std::string_view text, std::string_view first, std::string_view rest)
{
    std::string out;
    bool at_first = true;
    while (true) {
        size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        std::string_view prefix = at_first ? first : rest;
        if (line.empty() && !at_first) {
            std::string_view p = trim(prefix).empty() ? std::string_view() : prefix;
            out.append(p.substr(0, p.find_last_not_of(' ') + 1));
        } else {
            out.append(prefix);
            out.append(line);
        }
        at_first = false;
        if (eol == std::string_view::npos)
            break;
        out += '\n';
        text.remove_prefix(eol + 1);
    }
    return out;
}

// Newlines and runs of spaces as single spaces: for headings and table cells.
std::string one_line(std::string_view text)
{
    std::string out;
    for (char c : trim(text)) {
        if (is_space(c)) {
            if (!out.empty() && out.back() != ' ')
                out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string link_target(std::string_view url)
{
    std::string out;
    for (char c : url) {
        if (c == ' ')
            out += "%20";
        else if (c == '(')
            out += "%28";
        else if (c == ')')
            out += "%29";
        else
            out += c;
    }
    return out;
}

// The longest run of `c` in `text`: a code span or fence must be longer.
size_t longest_run(std::string_view text, char c)
{
    size_t best = 0;
    size_t run = 0;
    for (char x : text) {
        run = x == c ? run + 1 : 0;
        best = std::max(best, run);
    }
    return best;
}

// Blank lines at most one in a row, no spaces at line ends.
std::string tidy(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    size_t newlines = 0;
    for (char c : trim(text)) {
        if (c == '\n') {
            rtrim_spaces(out);
            if (++newlines > 2)
                continue;
        } else {
            newlines = 0;
        }
        out += c;
    }
    return out;
}

} // namespace ik::web
