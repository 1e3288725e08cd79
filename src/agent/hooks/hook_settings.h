// The hooks a session runs: plain settings, handed down by the app from the
// config's `hooks` key (config/hooks_config.h validates it), in the shape
// Claude Code documents — per event, groups of commands behind a matcher.
//
//   "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [
//       {"type": "command", "command": "./check.sh", "timeout": 30}]}]}
//
// Everything here owns its strings (heap): the settings are small and live
// as long as the session.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ik::agent {

enum class HookEvent : uint8_t { pre_tool_use, post_tool_use, user_prompt_submit, stop, session_start };
inline constexpr size_t hook_event_count = 5;

// Claude Code's names: "PreToolUse", "PostToolUse", "UserPromptSubmit", "Stop", "SessionStart".
std::string_view to_string(HookEvent event);
std::optional<HookEvent> parse_hook_event(std::string_view name);

// Claude Code's default: a hook that runs longer is killed.
inline constexpr std::chrono::seconds default_hook_timeout{ 60 };

struct HookCommand {
    std::string command; // run with /bin/sh -c in the project directory
    std::chrono::seconds timeout = default_hook_timeout;
};

struct HookGroup {
    // Tool events: a tool name or a regular expression matched against the
    // whole of ik's name and of Claude Code's ("bash" and "Bash"); empty or
    // "*": every tool. SessionStart: matched against the source ("startup",
    // "resume"). Other events ignore it.
    std::string matcher;
    std::vector<HookCommand> hooks;
};

struct HookSettings {
    std::array<std::vector<HookGroup>, hook_event_count> events{};

    const std::vector<HookGroup>& groups(HookEvent event) const { return events[static_cast<size_t>(event)]; }
    std::vector<HookGroup>& groups(HookEvent event) { return events[static_cast<size_t>(event)]; }
    bool empty() const;
};

} // namespace ik::agent
