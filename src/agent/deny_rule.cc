#include "agent/deny_rule.h"

#include <algorithm>
#include <string>
#include <vector>

namespace ik::agent {

namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

std::vector<std::string> words(std::string_view s)
{
    std::vector<std::string> w;
    std::string cur;
    for (char c : s) {
        if (is_space(c)) {
            if (!cur.empty())
                w.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty())
        w.push_back(std::move(cur));
    return w;
}

// A bash deny rule's prefix, as matched against a simple command: the
// command name (a basename), the letters of its short-option words, its
// long options and its other words in order. "rm -rf" is rm with r and f.
struct DenyPattern {
    std::string name;
    std::string shorts;
    std::vector<std::string> longs;
    std::vector<std::string> operands;
};

bool is_long_option(std::string_view word)
{
    return word.size() > 2 && word.starts_with("--");
}

bool is_short_options(std::string_view word)
{
    return word.size() > 1 && word[0] == '-' && word[1] != '-';
}

DenyPattern parse_deny_prefix(std::string_view prefix)
{
    DenyPattern p;
    auto w = words(prefix);
    for (size_t i = 0; i < w.size(); ++i) {
        if (i == 0)
            p.name = w[0].substr(std::min(w[0].size(), w[0].rfind('/') + 1));
        else if (is_long_option(w[i]))
            p.longs.push_back(w[i].substr(0, w[i].find('=')));
        else if (is_short_options(w[i]))
            p.shorts += w[i].substr(1);
        else
            p.operands.push_back(w[i]);
    }
    return p;
}

// Every flag letter and long option of the rule appears somewhere among the
// command's options (before `--`), and the rule's other words are the first
// of the command's other words, in order; a word right after an option may
// be skipped as that option's argument (git -C dir push).
bool deny_pattern_matches(const DenyPattern& p, const SimpleCommand& command)
{
    const auto& w = command.words;
    if (w.empty() || w[0] != p.name)
        return false;
    std::string shorts;
    std::vector<std::string_view> longs;
    size_t next = 0;
    bool options = true;
    bool after_option = false;
    for (size_t i = 1; i < w.size(); ++i) {
        std::string_view word = w[i];
        if (options && word == "--") {
            options = false;
        } else if (options && is_long_option(word)) {
            longs.push_back(word.substr(0, word.find('=')));
            after_option = word.find('=') == std::string_view::npos;
        } else if (options && is_short_options(word)) {
            shorts += word.substr(1);
            after_option = true;
        } else {
            if (next < p.operands.size() && word == p.operands[next])
                ++next;
            else if (next < p.operands.size() && !after_option)
                return false;
            after_option = false;
        }
    }
    for (char f : p.shorts)
        if (shorts.find(f) == std::string::npos)
            return false;
    for (const auto& l : p.longs)
        if (std::find(longs.begin(), longs.end(), l) == longs.end())
            return false;
    return next == p.operands.size();
}

} // namespace

bool deny_rule_matches(std::string_view prefix, const CommandSplit& split)
{
    DenyPattern p = parse_deny_prefix(prefix);
    for (const SimpleCommand& c : split.commands)
        if (deny_pattern_matches(p, c))
            return true;
    return false;
}

} // namespace ik::agent
