#include "agent/hooks/hook_matcher.h"

#include <array>
#include <regex>
#include <string>
#include <utility>

namespace ik::agent {

namespace {

// ik's tool names and Claude Code's for the same tool (LS is the list tool
// of Claude Code's older releases).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> aliases{ {
    { "bash", "Bash" },
    { "read_file", "Read" },
    { "write_file", "Write" },
    { "edit_file", "Edit" },
    { "glob", "Glob" },
    { "grep", "Grep" },
    { "list_dir", "LS" },
    { "todo", "TodoWrite" },
} };

bool full_match(std::string_view pattern, std::string_view subject)
{
    if (pattern == subject)
        return true;
    try {
        std::regex re{ std::string(pattern) };
        return std::regex_match(subject.begin(), subject.end(), re);
    } catch (const std::regex_error&) {
        return false;
    }
}

bool uses_matcher(HookEvent event)
{
    return event == HookEvent::pre_tool_use || event == HookEvent::post_tool_use || event == HookEvent::session_start;
}

} // namespace

std::string_view claude_tool_name(std::string_view ik_name)
{
    for (const auto& [ik, claude] : aliases)
        if (ik == ik_name)
            return claude;
    return {};
}

bool matcher_selects(std::string_view matcher, std::string_view subject)
{
    if (matcher.empty() || matcher == "*")
        return true;
    if (full_match(matcher, subject))
        return true;
    std::string_view alias = claude_tool_name(subject);
    return !alias.empty() && full_match(matcher, alias);
}

std::vector<const HookCommand*> select_hooks(const HookSettings& settings, HookEvent event, std::string_view subject)
{
    std::vector<const HookCommand*> out;
    for (const HookGroup& group : settings.groups(event)) {
        if (uses_matcher(event) && !matcher_selects(group.matcher, subject))
            continue;
        for (const HookCommand& command : group.hooks)
            out.push_back(&command);
    }
    return out;
}

} // namespace ik::agent
