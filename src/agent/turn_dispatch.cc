// The dispatch of a reply's tool calls (turn.h): each call through its
// PreToolUse hooks and the approval policy, then run, then past its
// PostToolUse hooks and recorded, in the calls' order.
#include <fmt/format.h>

#include "agent/hooks/hook_permission.h"
#include "agent/turn.h"
#include "store/records.h"

namespace ik::agent {

void Turn::run_tool(size_t index)
{
    if (m_finished)
        return;
    if (index >= m_call_views.size()) {
        start_round();
        return;
    }
    if (m_cancelled) {
        finish_round_calls_cancelled(index);
        return;
    }
    m_running = index;
    const llm::ToolCall& call = m_call_views[index];
    auto done = [this, index](ToolResult r) { on_tool_result(index, std::move(r)); };
    const ToolDescriptor* tool = find_tool(call.name);
    if (!tool) {
        m_runs[index] = deliver_result(m_tool_context, unknown_tool_result(call.name), done);
        return;
    }
    // Parsed once, here, into the round arena: the preview and the run share it.
    m_call_args[index] = parse_tool_args(*m_round, *tool, call.arguments);
    ToolPreview preview;
    if (m_call_args[index]) {
        if (auto p = preview_tool(m_tool_context, *tool, *m_call_args[index]))
            preview = std::move(*p);
    }
    run_pre_tool_hooks(index, tool, make_approval_request(call.id, *tool, std::move(preview)));
}

// ik's policy, then what a PreToolUse hook said (hook_permission.h), then the
// user when the result is `ask`.
void Turn::approve(size_t index, const ToolDescriptor* tool, const ApprovalRequest& request, const HookOutcome& hook)
{
    Decision decision = decide(m_host.settings().approval, m_host.allows(), request);
    decision = apply_hook_permission(std::move(decision), hook.permission, hook.reason);
    if (decision.verdict == Verdict::ask) {
        SessionObserver& observer = m_host.observer();
        if (observer.can_ask()) {
            observer.ask_approval(request, [this, index, tool, request](UserAnswer answer) {
                Decision d = apply_user_answer(answer, request, m_host.allows());
                decide_and_run(index, tool, request, d);
            });
            return;
        }
        decision = resolve_headless(std::move(decision));
    }
    decide_and_run(index, tool, request, decision);
}

void Turn::decide_and_run(
    size_t index, const ToolDescriptor* tool, const ApprovalRequest& request, const Decision& decision)
{
    if (m_finished)
        return;
    if (!record(make_approval_record(request, decision), "approval"))
        return;
    const llm::ToolCall& call = m_call_views[index];
    if (m_cancelled) {
        finish_round_calls_cancelled(index);
        return;
    }
    auto done = [this, index](ToolResult r) { on_tool_result(index, std::move(r)); };
    if (decision.verdict != Verdict::allow) {
        std::string message = denial_message(request, decision);
        m_host.observer().on_tool_denied(call, decision, message);
        ToolResult denied = ToolResult::error(std::move(message), "denied");
        denied.state = ToolState::denied;
        on_tool_result(index, std::move(denied));
        return;
    }
    m_host.observer().on_tool_start(call, request);
    const Result<json::value>& args = m_call_args[index];
    if (!args) {
        m_runs[index] = deliver_result(m_tool_context, ToolResult::from(args.error()), done);
        return;
    }
    // File tools run synchronously inside start_tool: the confinement holds
    // for exactly this call.
    m_checkpoint.before_call(tool->kind, m_host.observer()); // the pre-turn snapshot, once
    m_tool_context.beneath = confinement_for(m_host.settings().approval, request);
    m_runs[index] = start_tool(m_tool_context, *tool, *args, done);
    m_tool_context.beneath.clear();
}

// A call that ran goes past its PostToolUse hooks first.
void Turn::on_tool_result(size_t index, ToolResult result)
{
    if (m_finished)
        return;
    if (result.state == ToolState::ran) {
        run_post_tool_hooks(index, std::move(result));
        return;
    }
    record_tool_result(index, std::move(result));
}

void Turn::record_tool_result(size_t index, ToolResult result)
{
    if (m_finished)
        return;
    const llm::ToolCall& call = m_call_views[index];
    std::optional<int64_t> exit_code;
    if (result.exit_code)
        exit_code = *result.exit_code;
    auto seq = m_host.recorder().record(store::ToolResultRecord{ .id = call.id,
        .name = call.name,
        .text = result.content,
        .is_error = result.is_error,
        .summary = result.summary,
        .state = result.state,
        .exit_code = exit_code });
    m_host.window().add_tool_result(call.id, call.name, result.content, result.is_error);
    m_host.observer().on_tool_result(call, result);
    if (!recorded(seq, "tool result"))
        return;
    if (m_cancelled) {
        finish_round_calls_cancelled(index + 1);
        return;
    }
    // Deliver the next call from a fresh loop round, not from inside this
    // completion (which may be deep in the previous tool's machinery).
    m_host.loop().after(std::chrono::milliseconds(0), [this, index] { run_tool(index + 1); });
}

void Turn::finish_round_calls_cancelled(size_t from)
{
    // Every call needs a result or providers reject the next request.
    for (size_t i = from; i < m_call_views.size(); ++i) {
        const llm::ToolCall& call = m_call_views[i];
        std::string_view text = "not run: the user interrupted the turn";
        noted(m_host.recorder().record(store::ToolResultRecord{ .id = call.id,
                  .name = call.name,
                  .text = text,
                  .is_error = true,
                  .summary = "cancelled",
                  .state = ToolState::cancelled }),
            "tool result");
        m_host.window().add_tool_result(call.id, call.name, text, true);
    }
    noted(m_host.recorder().record(store::InterruptedRecord{ .reason = "cancelled" }), "interruption");
    TurnOutcome o = m_outcome;
    o.interrupted = true;
    o.finish = llm::FinishReason::other;
    finish(std::move(o));
}

} // namespace ik::agent
