#include "agent/hooks/hook_permission.h"

#include <string>

namespace ik::agent {

namespace {

Decision by_hook(Verdict verdict, std::string_view reason, std::string_view fallback)
{
    return Decision{ .verdict = verdict,
        .source = DecisionSource::hook,
        .rule = {},
        .reason = std::string(reason.empty() ? fallback : reason) };
}

} // namespace

Decision apply_hook_permission(Decision policy, HookPermission hook, std::string_view reason)
{
    switch (hook) {
    case HookPermission::none:
        return policy;
    case HookPermission::deny:
        return by_hook(Verdict::deny, reason, "denied by a PreToolUse hook");
    case HookPermission::allow:
        if (policy.verdict != Verdict::ask)
            return policy; // already allowed, or denied by a rule the hook cannot lift
        if (policy.source == DecisionSource::sandbox || policy.source == DecisionSource::unknowable)
            return policy;
        return by_hook(Verdict::allow, reason, "allowed by a PreToolUse hook");
    case HookPermission::ask:
        if (policy.verdict != Verdict::allow)
            return policy;
        return by_hook(Verdict::ask, reason, "a PreToolUse hook asks for the user's approval");
    }
    return policy;
}

} // namespace ik::agent
