// The `hooks` key of config.json, in the shape Claude Code's settings use,
// so a user's existing hook settings can be copied over unchanged:
//
//   "hooks": {
//     "PreToolUse": [
//       {"matcher": "Bash", "hooks": [{"type": "command", "command": "./guard.sh", "timeout": 30}]}
//     ]
//   }
//
// Events: PreToolUse, PostToolUse, UserPromptSubmit, Stop, SessionStart.
// A matcher is a tool name or a regular expression (ECMAScript, as
// std::regex reads it), checked here; `type` must be "command"; `timeout` is
// in seconds (default 60). The app hands the result to the agent as plain
// settings (agent/hooks/hook_settings.h); nothing here runs anything.
//
// Owns its strings.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace ik::config {

inline constexpr std::array<std::string_view, 5> hook_events{
    "PreToolUse",
    "PostToolUse",
    "UserPromptSubmit",
    "Stop",
    "SessionStart",
};

struct HookCommandConfig {
    std::string command;
    int64_t timeout_s = 60;
};

struct HookGroupConfig {
    std::string matcher; // empty: all
    std::vector<HookCommandConfig> hooks;
};

struct HookEventConfig {
    std::string event; // one of hook_events
    std::vector<HookGroupConfig> groups;
};

struct HooksConfig {
    std::vector<HookEventConfig> events; // in the order of hook_events; only those configured
};

// Reads `hooks` (the field at that key) into `out`; errors name `source` and
// the key path ("hooks.PreToolUse[0].matcher: ...").
Result<void> read_hooks(json::Field field, HooksConfig& out, std::string_view source);

// Back to JSON for `ik config` (into `arena`'s storage).
json::value hooks_to_json(const HooksConfig& hooks, mem::Arena& arena);

} // namespace ik::config
