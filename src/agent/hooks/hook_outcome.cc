#include "agent/hooks/hook_outcome.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/tools/internal/files.h"
#include "core/arena.h"
#include "core/json.h"

namespace ik::agent {

namespace {

using internal::sanitize_utf8;

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::string clean(std::string_view s)
{
    return sanitize_utf8(trim(s));
}

// Notices name the command by its first line, shortened.
std::string short_command(std::string_view command)
{
    command = trim(command);
    std::string_view first = command.substr(0, command.find('\n'));
    constexpr size_t max = 60;
    if (first.size() > max || first.size() < command.size())
        return sanitize_utf8(first.substr(0, max)) + "…";
    return sanitize_utf8(first);
}

std::string_view string_at(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

// exit 0 with JSON on stdout. false: stdout was not a JSON object.
bool read_json(HookEvent event, std::string_view out, HookOutcome& o)
{
    if (!out.starts_with('{'))
        return false;
    mem::Arena arena(mem::root(), "hook-output");
    auto parsed = json::parse(arena, out, "hook output");
    if (!parsed || !parsed->is_object())
        return false;
    const json::object& root = parsed->get_object();
    std::string_view decision = string_at(root, "decision");
    std::string_view reason = string_at(root, "reason");
    if (decision == "block") {
        o.blocked = true;
        o.reason = clean(reason);
        if (event == HookEvent::pre_tool_use)
            o.permission = HookPermission::deny;
    } else if (decision == "approve" && event == HookEvent::pre_tool_use) {
        o.permission = HookPermission::allow;
        o.reason = clean(reason);
    }
    if (std::string_view message = string_at(root, "systemMessage"); !message.empty())
        o.notices.push_back(fmt::format("hook: {}", clean(message)));
    const json::value* specific = root.if_contains("hookSpecificOutput");
    if (!specific || !specific->is_object())
        return true;
    const json::object& s = specific->get_object();
    std::string_view permission = string_at(s, "permissionDecision");
    if (event == HookEvent::pre_tool_use && !permission.empty()) {
        if (permission == "allow")
            o.permission = HookPermission::allow;
        else if (permission == "ask")
            o.permission = HookPermission::ask;
        else if (permission == "deny") {
            o.permission = HookPermission::deny;
            o.blocked = true;
        }
        if (std::string_view r = string_at(s, "permissionDecisionReason"); !r.empty())
            o.reason = clean(r);
    }
    if (std::string_view context = string_at(s, "additionalContext"); !context.empty())
        o.context = clean(context);
    return true;
}

} // namespace

HookOutcome interpret_hook(
    HookEvent event, const ProcessResult& result, std::string_view command, std::chrono::seconds timeout)
{
    HookOutcome o;
    std::string name = fmt::format("{} hook '{}'", to_string(event), short_command(command));
    if (result.cancelled)
        return o;
    if (result.timed_out) {
        o.notices.push_back(fmt::format(
            "{} timed out after {} s and was killed; ik went on as if it had not run", name, timeout.count()));
        return o;
    }
    if (result.term_signal != 0) {
        o.notices.push_back(
            fmt::format("{} was killed by {}; ik went on as if it had not run", name, signal_name(result.term_signal)));
        return o;
    }
    if (result.exit_code == 2) {
        o.blocked = true;
        o.reason = clean(result.err);
        if (o.reason.empty())
            o.reason = fmt::format("blocked by the {} (exit 2, no message)", name);
        if (event == HookEvent::pre_tool_use)
            o.permission = HookPermission::deny;
        return o;
    }
    if (result.exit_code != 0) {
        std::string err = clean(result.err);
        o.notices.push_back(fmt::format("{} failed (exit {}){}{}; ik went on as if it had not run", name,
            result.exit_code, err.empty() ? "" : ": ", err));
        return o;
    }
    std::string_view out = trim(result.out);
    if (read_json(event, out, o))
        return o;
    if (event == HookEvent::user_prompt_submit || event == HookEvent::session_start)
        o.context = clean(out);
    return o;
}

void merge(HookOutcome& into, HookOutcome next)
{
    // The reason that stands is the one behind the strongest word so far.
    bool takes_reason = !into.blocked && (next.blocked || next.permission > into.permission);
    into.blocked = into.blocked || next.blocked;
    into.permission = std::max(into.permission, next.permission);
    if (takes_reason)
        into.reason = std::move(next.reason);
    if (!next.context.empty())
        into.context += (into.context.empty() ? "" : "\n") + next.context;
    for (auto& n : next.notices)
        into.notices.push_back(std::move(n));
}

} // namespace ik::agent
