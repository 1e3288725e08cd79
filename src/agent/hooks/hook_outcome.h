// What a hook command said, read from its exit status and output the way
// Claude Code reads it:
//
//   exit 0   success; stdout may be JSON that decides: `decision: "block"`
//            with `reason`; `hookSpecificOutput.permissionDecision` allow /
//            deny / ask with `permissionDecisionReason` (PreToolUse; the old
//            `decision: "approve"` is allow); `additionalContext`;
//            `systemMessage` (a notice for the user). For UserPromptSubmit
//            and SessionStart, stdout that is not JSON is added context.
//   exit 2   block: stderr is the reason (PreToolUse: a deny).
//   other    a non-blocking error: stderr becomes a notice; the action
//            proceeds as if the hook had not spoken.
//   timeout  killed with its process group; a notice; proceeds likewise.
//
// Several commands of one event combine with merge(): the first block or
// deny wins (the runner stops there), ask beats allow, contexts and notices
// add up.
//
// Owns its strings (heap). Every text from a hook is capped, made valid
// UTF-8 and reaches the terminal only as a notice through the observer.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "agent/hooks/hook_settings.h"
#include "core/process.h"

namespace ik::agent {

enum class HookPermission : uint8_t { none, allow, ask, deny };

struct HookOutcome {
    bool blocked = false; // exit 2, `decision: "block"`, or a PreToolUse deny
    HookPermission permission = HookPermission::none; // PreToolUse only
    std::string reason; // for the model (block, deny) or the prompt (ask)
    std::string context; // additionalContext, or plain stdout where it counts
    std::vector<std::string> notices; // for the user
};

// Reads one finished command. `command` and `timeout` word the notices.
HookOutcome interpret_hook(
    HookEvent event, const ProcessResult& result, std::string_view command, std::chrono::seconds timeout);

// Adds `next` (a later command of the same event) to `into`.
void merge(HookOutcome& into, HookOutcome next);

} // namespace ik::agent
