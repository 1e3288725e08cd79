#include "web/nesting_guard.h"

#include <array>

namespace ik::web {

namespace {

bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Elements that never enclose others, or that the parser closes by itself
// when a sibling starts: they do not deepen the tree.
constexpr std::array<std::string_view, 25> not_nesting
    = { "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
          "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "frame" };

// Their content is text up to their end tag, whatever it looks like.
constexpr std::array<std::string_view, 6> raw_text = { "script", "style", "textarea", "title", "xmp", "plaintext" };

template <size_t N> bool listed(const std::array<std::string_view, N>& list, std::string_view name)
{
    for (std::string_view n : list)
        if (n == name)
            return true;
    return false;
}

} // namespace

size_t nesting_prefix(std::string_view html, size_t limit)
{
    size_t depth = 0;
    size_t i = 0;
    char name[16];
    while (i < html.size()) {
        size_t lt = html.find('<', i);
        if (lt == std::string_view::npos || lt + 1 >= html.size())
            break;
        i = lt + 1;
        if (html.substr(lt, 4) == "<!--") {
            size_t end = html.find("-->", lt + 4);
            i = end == std::string_view::npos ? html.size() : end + 3;
            continue;
        }
        bool closing = html[i] == '/';
        if (closing)
            ++i;
        if (i >= html.size() || !is_alpha(html[i]))
            continue;
        size_t n = 0;
        while (i < html.size() && (is_alpha(html[i]) || (html[i] >= '0' && html[i] <= '9') || html[i] == '-')) {
            if (n < sizeof name)
                name[n] = lower(html[i]);
            ++n;
            ++i;
        }
        std::string_view tag(name, n < sizeof name ? n : sizeof name);
        if (n > sizeof name)
            tag = "(long)";
        if (listed(not_nesting, tag))
            continue;
        if (closing) {
            depth -= depth > 0;
            continue;
        }
        if (listed(raw_text, tag)) {
            // Skip to "</tag" (any case); without one, the rest is text.
            size_t at = i;
            while (true) {
                at = html.find("</", at);
                if (at == std::string_view::npos)
                    return html.size();
                std::string_view candidate = html.substr(at + 2, tag.size());
                bool same = candidate.size() == tag.size();
                for (size_t k = 0; same && k < tag.size(); ++k)
                    same = lower(candidate[k]) == tag[k];
                at += 2;
                if (same)
                    break;
            }
            i = at;
            continue;
        }
        if (++depth > limit)
            return lt;
    }
    return html.size();
}

} // namespace ik::web
