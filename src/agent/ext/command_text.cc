#include "agent/ext/command_text.h"

namespace ik::agent {
namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

bool has_placeholder(std::string_view body)
{
    for (size_t at = body.find('$'); at != std::string_view::npos; at = body.find('$', at + 1)) {
        std::string_view rest = body.substr(at + 1);
        if (rest.starts_with("ARGUMENTS") || (!rest.empty() && rest[0] >= '1' && rest[0] <= '9'))
            return true;
    }
    return false;
}

} // namespace

std::vector<std::string> split_arguments(std::string_view args)
{
    std::vector<std::string> out;
    size_t i = 0;
    while (i < args.size()) {
        while (i < args.size() && is_space(args[i]))
            ++i;
        if (i == args.size())
            break;
        std::string word;
        while (i < args.size() && !is_space(args[i])) {
            char c = args[i];
            if (c == '"' || c == '\'') {
                size_t close = args.find(c, i + 1);
                if (close == std::string_view::npos) {
                    word += args.substr(i + 1); // an unclosed quote runs to the end
                    i = args.size();
                    break;
                }
                word += args.substr(i + 1, close - i - 1);
                i = close + 1;
                continue;
            }
            word += c;
            ++i;
        }
        out.push_back(std::move(word));
    }
    return out;
}

std::string substitute_arguments(std::string_view body, std::string_view args)
{
    args = trim(args);
    std::vector<std::string> words = split_arguments(args);
    bool placeholder = has_placeholder(body);
    std::string out;
    out.reserve(body.size() + args.size());
    for (size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '$') {
            std::string_view rest = body.substr(i + 1);
            if (rest.starts_with("ARGUMENTS")) {
                out += args;
                i += 9;
                continue;
            }
            if (!rest.empty() && rest[0] >= '1' && rest[0] <= '9') {
                auto n = static_cast<size_t>(rest[0] - '1');
                if (n < words.size())
                    out += words[n];
                ++i;
                continue;
            }
        }
        out += body[i];
    }
    if (!placeholder && !args.empty()) {
        if (!out.empty() && !out.ends_with('\n'))
            out += '\n';
        out += "\nARGUMENTS: ";
        out += args;
    }
    return out;
}

std::vector<ShellSpan> find_shell_spans(std::string_view text)
{
    std::vector<ShellSpan> out;
    for (size_t at = text.find("!`"); at != std::string_view::npos && out.size() < max_shell_spans;
         at = text.find("!`", at + 1)) {
        size_t close = text.find('`', at + 2);
        if (close == std::string_view::npos)
            break;
        std::string_view command = text.substr(at + 2, close - at - 2);
        if (command.find('\n') != std::string_view::npos || trim(command).empty())
            continue;
        out.push_back({ .begin = at, .end = close + 1, .command = std::string(trim(command)) });
        at = close;
    }
    return out;
}

std::vector<ApprovalRule> expansion_allow_rules(
    std::span<const std::string> allowed_tools, std::vector<std::string>* ignored)
{
    std::vector<ApprovalRule> out;
    for (const std::string& entry : allowed_tools) {
        std::string_view e = trim(entry);
        std::string_view prefix;
        if (e == "Bash" || e == "bash") {
            prefix = "";
        } else if ((e.starts_with("Bash(") || e.starts_with("bash(")) && e.ends_with(')')) {
            prefix = trim(e.substr(5, e.size() - 6));
            if (prefix.ends_with(":*"))
                prefix.remove_suffix(2);
            else if (prefix.ends_with("*"))
                prefix.remove_suffix(1);
            prefix = trim(prefix);
            if (prefix.empty()) {
                if (ignored)
                    ignored->emplace_back(e);
                continue;
            }
        } else {
            if (ignored)
                ignored->emplace_back(e);
            continue;
        }
        std::string text = prefix.empty() ? std::string("bash") : "bash:" + std::string(prefix);
        if (auto rule = parse_approval_rule(text))
            out.push_back(std::move(*rule));
        else if (ignored)
            ignored->emplace_back(e);
    }
    return out;
}

} // namespace ik::agent
