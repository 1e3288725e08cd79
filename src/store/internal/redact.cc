#include "store/internal/redact.h"

#include <cctype>
#include <vector>

namespace ik::store::internal {

namespace {

struct Span {
    size_t begin = 0;
    size_t end = 0;
};

bool space(char c)
{
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool same_word(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

// Password values of a key=value conninfo. libpq allows spaces around '='
// and single-quoted values with backslash escapes.
void conninfo_passwords(std::string_view s, std::vector<Span>& out)
{
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && space(s[i]))
            ++i;
        size_t key_begin = i;
        while (i < s.size() && s[i] != '=' && !space(s[i]))
            ++i;
        std::string_view key = s.substr(key_begin, i - key_begin);
        while (i < s.size() && space(s[i]))
            ++i;
        if (i >= s.size() || s[i] != '=') {
            if (key.empty())
                ++i; // a stray character: move on
            continue;
        }
        ++i;
        while (i < s.size() && space(s[i]))
            ++i;
        size_t value_begin = i;
        if (i < s.size() && s[i] == '\'') {
            ++i;
            while (i < s.size() && s[i] != '\'')
                i += s[i] == '\\' && i + 1 < s.size() ? 2 : 1;
            if (i < s.size())
                ++i;
        } else {
            while (i < s.size() && !space(s[i]))
                i += s[i] == '\\' && i + 1 < s.size() ? 2 : 1;
        }
        if (same_word(key, "password"))
            out.push_back({ value_begin, std::min(i, s.size()) });
    }
}

// The password of a URI: between the first ':' of the authority and the
// last '@' before the path. libpq splits at the first '@', so with an
// unescaped '@' in the password the rest would show as the host name; the
// last '@' hides all of it.
void uri_passwords(std::string_view s, size_t after_scheme, std::vector<Span>& out)
{
    size_t authority_end = s.find_first_of("/?", after_scheme);
    if (authority_end == std::string_view::npos)
        authority_end = s.size();
    std::string_view authority = s.substr(after_scheme, authority_end - after_scheme);
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
        size_t colon = authority.find(':');
        if (colon != std::string_view::npos && colon < at)
            out.push_back({ after_scheme + colon + 1, after_scheme + at });
    }
    // ?password=…&… among the options (any case, as a careless user types it).
    size_t query = s.find('?', after_scheme);
    for (size_t i = query; i != std::string_view::npos && i < s.size();) {
        size_t name_begin = i + 1;
        size_t eq = s.find('=', name_begin);
        size_t amp = s.find('&', name_begin);
        size_t end = amp == std::string_view::npos ? s.size() : amp;
        if (eq != std::string_view::npos && eq < end && same_word(s.substr(name_begin, eq - name_begin), "password"))
            out.push_back({ eq + 1, end });
        i = amp;
    }
}

std::vector<Span> password_spans(std::string_view url)
{
    std::vector<Span> spans;
    // libpq's own test for a URI.
    if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
        uri_passwords(url, url.find("://") + 3, spans);
    else
        conninfo_passwords(url, spans);
    return spans;
}

} // namespace

std::string redact_url(std::string_view url)
{
    std::vector<Span> spans = password_spans(url);
    std::string out;
    size_t at = 0;
    for (const Span& s : spans) {
        if (s.begin < at)
            continue;
        out.append(url.substr(at, s.begin - at));
        out += "***";
        at = s.end;
    }
    out.append(url.substr(at));
    return out;
}

bool has_password(std::string_view url)
{
    for (const Span& s : password_spans(url)) {
        if (s.end > s.begin)
            return true;
    }
    return false;
}

std::string escape_password_at(std::string_view url)
{
    std::string out(url);
    if (!url.starts_with("postgresql://") && !url.starts_with("postgres://"))
        return out;
    size_t begin = url.find("://") + 3;
    size_t end = url.find_first_of("/?", begin);
    std::string_view authority = url.substr(begin, end == std::string_view::npos ? end : end - begin);
    size_t last = authority.rfind('@');
    if (last == std::string_view::npos || authority.find('@') == last)
        return out;
    out = url.substr(0, begin);
    for (size_t i = 0; i < authority.size(); ++i)
        out += authority[i] == '@' && i != last ? std::string_view("%40") : authority.substr(i, 1);
    if (end != std::string_view::npos)
        out += url.substr(end);
    return out;
}

} // namespace ik::store::internal
