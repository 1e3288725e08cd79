// The hook steps of a turn (turn.h): where the user's hook commands run and
// what their answers do to the turn.
//
// Each step selects the commands configured for it (hook_matcher.h); with
// none it goes straight on, so a session without hooks never waits on one.
// Otherwise the commands run on the loop (hook_run.h) and the step goes on
// from their completion, checking first that the turn was not cancelled or
// ended meanwhile. Hooks' notices (failures, timeouts, systemMessage) go to
// the observer; what changes the conversation is written with the records
// the turn writes anyway, so resume needs nothing new:
//
//   SessionStart, UserPromptSubmit   context: added to the recorded prompt
//   UserPromptSubmit blocks           nothing recorded; the turn ends denied
//   PreToolUse deny / exit 2          the approval record (source "hook") and
//                                     the tool result carrying the reason
//   PostToolUse block / context       appended to the recorded tool result
//   Stop blocks                       a user message with the feedback, and
//                                     the turn goes on (at most
//                                     max_stop_continuations times)
#include <fmt/format.h>

#include "agent/hooks/hook_matcher.h"
#include "agent/hooks/hook_payload.h"
#include "agent/turn.h"

namespace ik::agent {

namespace {

// Claude Code passes stop_hook_active and leaves the loop to the script; a
// script that forgets it would keep the model going forever, so ik caps it.
constexpr int max_stop_continuations = 5;

std::string tagged(HookEvent event, std::string_view text)
{
    return fmt::format("<hook event=\"{}\">\n{}\n</hook>", to_string(event), text);
}

} // namespace

// Hooks run in the project's root (IK_PROJECT_DIR), as Claude Code's run in
// CLAUDE_PROJECT_DIR; the payload's cwd is the session's directory.
HookSubject Turn::hook_subject() const
{
    return HookSubject{ .session_id = m_host.recorder().id(), .cwd = m_host.settings().cwd };
}

std::filesystem::path Turn::hook_dir() const
{
    const SessionSettings& s = m_host.settings();
    return s.approval.project_root.empty() ? s.cwd : s.approval.project_root;
}

void Turn::run_hooks(HookEvent event, std::vector<const HookCommand*> commands, std::string payload,
    std::function<void(HookOutcome)> then)
{
    // Earlier runs have called their `done`, after which they touch nothing of
    // themselves (hook_run.h): they can go now, even from inside that `done`.
    m_spent_hooks.clear();
    m_hook = HookRun::start(m_host.loop(), event, std::move(commands), std::move(payload), hook_dir(),
        [this, then = std::move(then)](HookOutcome outcome) {
            m_spent_hooks.push_back(std::move(m_hook)); // on the stack now; freed later
            for (const std::string& notice : outcome.notices)
                m_host.observer().on_notice(notice);
            if (m_finished)
                return;
            then(std::move(outcome));
        });
}

void Turn::run_prompt_hooks(std::string_view source)
{
    const HookSettings& hooks = m_host.settings().hooks;
    if (!source.empty()) {
        auto commands = select_hooks(hooks, HookEvent::session_start, source);
        if (!commands.empty()) {
            run_hooks(HookEvent::session_start, std::move(commands), session_start_payload(hook_subject(), source),
                [this](const HookOutcome& o) {
                    if (!o.context.empty())
                        m_prompt_context += tagged(HookEvent::session_start, o.context);
                    run_prompt_hooks({});
                });
            return;
        }
    }
    if (m_cancelled) {
        TurnOutcome o = m_outcome;
        o.interrupted = true;
        o.finish = llm::FinishReason::other;
        finish(std::move(o));
        return;
    }
    auto go = [this](const HookOutcome& o) {
        if (m_cancelled) {
            run_prompt_hooks({}); // ends the turn, above
            return;
        }
        if (o.blocked) {
            TurnOutcome outcome = m_outcome;
            outcome.finish = llm::FinishReason::error;
            outcome.error = Error::make(ErrorCode::denied, "a UserPromptSubmit hook blocked the prompt: {}", o.reason);
            finish(std::move(outcome));
            return;
        }
        std::string context = m_prompt_context;
        if (!o.context.empty())
            context += (context.empty() ? "" : "\n") + tagged(HookEvent::user_prompt_submit, o.context);
        begin(context.empty() ? m_prompt : fmt::format("{}\n\n{}", m_prompt, context));
    };
    auto commands = select_hooks(hooks, HookEvent::user_prompt_submit, {});
    if (commands.empty()) {
        go(HookOutcome{});
        return;
    }
    run_hooks(HookEvent::user_prompt_submit, std::move(commands), prompt_payload(hook_subject(), m_prompt), go);
}

void Turn::run_pre_tool_hooks(size_t index, const ToolDescriptor* tool, ApprovalRequest request)
{
    const llm::ToolCall& call = m_call_views[index];
    auto commands = select_hooks(m_host.settings().hooks, HookEvent::pre_tool_use, call.name);
    if (commands.empty()) {
        approve(index, tool, request, HookOutcome{});
        return;
    }
    const Result<json::value>& args = m_call_args[index];
    std::string payload = pre_tool_payload(hook_subject(), call.name, call.id, args ? &*args : nullptr, call.arguments);
    run_hooks(HookEvent::pre_tool_use, std::move(commands), std::move(payload),
        [this, index, tool, request = std::move(request)](const HookOutcome& o) {
            if (m_cancelled) {
                stop_starting(); // the calls in flight are recorded, then the turn ends
                return;
            }
            approve(index, tool, request, o);
        });
}

void Turn::run_post_tool_hooks(size_t index, ToolResult result)
{
    const llm::ToolCall& call = m_call_views[index];
    auto commands = select_hooks(m_host.settings().hooks, HookEvent::post_tool_use, call.name);
    if (commands.empty()) {
        record_tool_result(index, result);
        return;
    }
    const Result<json::value>& args = m_call_args[index];
    std::string payload
        = post_tool_payload(hook_subject(), call.name, call.id, args ? &*args : nullptr, call.arguments, result);
    run_hooks(HookEvent::post_tool_use, std::move(commands), std::move(payload),
        [this, index, result = std::move(result)](const HookOutcome& o) mutable {
            // What the hook says goes to the model with the result (the call has run).
            if (o.blocked && !o.reason.empty())
                result.content += "\n\n" + tagged(HookEvent::post_tool_use, o.reason);
            if (!o.context.empty())
                result.content += "\n\n" + tagged(HookEvent::post_tool_use, o.context);
            record_tool_result(index, result);
        });
}

void Turn::run_stop_hooks()
{
    auto commands = select_hooks(m_host.settings().hooks, HookEvent::stop, {});
    if (commands.empty()) {
        finish(m_outcome);
        return;
    }
    run_hooks(HookEvent::stop, std::move(commands), stop_payload(hook_subject(), m_stop_continuations > 0),
        [this](const HookOutcome& o) {
            if (m_cancelled) {
                TurnOutcome outcome = m_outcome;
                outcome.interrupted = true;
                outcome.finish = llm::FinishReason::other;
                finish(std::move(outcome));
                return;
            }
            if (!o.blocked) {
                finish(m_outcome);
                return;
            }
            if (m_stop_continuations >= max_stop_continuations) {
                m_host.observer().on_notice(
                    fmt::format("Stop hooks kept the turn going {} times; it ends here", max_stop_continuations));
                finish(m_outcome);
                return;
            }
            ++m_stop_continuations;
            std::string feedback = tagged(HookEvent::stop, o.reason);
            m_host.observer().on_notice(fmt::format("a Stop hook keeps the turn going: {}", o.reason));
            if (!record(store::UserRecord{ .text = feedback }, "Stop hook feedback"))
                return;
            m_host.window().add_user(feedback);
            start_round();
        });
}

} // namespace ik::agent
