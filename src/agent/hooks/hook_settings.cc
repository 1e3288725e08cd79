#include "agent/hooks/hook_settings.h"

#include <array>

namespace ik::agent {

namespace {

constexpr std::array<std::string_view, hook_event_count> event_names{
    "PreToolUse",
    "PostToolUse",
    "UserPromptSubmit",
    "Stop",
    "SessionStart",
};

} // namespace

std::string_view to_string(HookEvent event)
{
    return event_names[static_cast<size_t>(event)];
}

std::optional<HookEvent> parse_hook_event(std::string_view name)
{
    for (size_t i = 0; i < event_names.size(); ++i)
        if (event_names[i] == name)
            return static_cast<HookEvent>(i);
    return std::nullopt;
}

bool HookSettings::empty() const
{
    for (const auto& groups : events)
        if (!groups.empty())
            return false;
    return true;
}

} // namespace ik::agent
