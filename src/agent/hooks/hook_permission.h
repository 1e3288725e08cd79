// A PreToolUse hook's word, combined with ik's own approval decision.
//
// A hook is the user's own policy, so it may answer the questions ik would
// have put to the user, but it cannot lift ik's hard boundaries:
//
//   deny  -> the call does not run (whatever the policy said); the hook's
//            reason is the tool result the model reads
//   allow -> an `ask` of the mode or the home-credentials check becomes
//            allow; a deny (config deny rules, ik's own files) stays a deny,
//            and the asks that guard a boundary stay asks: a command outside
//            the OS sandbox, and one that deny rules cannot see into
//   ask   -> an `allow` becomes ask (headless: denied with the reason)
//
// Pure; owns nothing.
#pragma once

#include <string_view>

#include "agent/approval.h"
#include "agent/hooks/hook_outcome.h"

namespace ik::agent {

Decision apply_hook_permission(Decision policy, HookPermission hook, std::string_view reason);

} // namespace ik::agent
