// The dispatch of a reply's tool calls (turn.h).
//
// The calls run in the reply's order, with one exception: consecutive calls
// that may run alongside each other (ToolDescriptor::runs_alongside(): the
// tools that only read, web_fetch, task) are started together. Each still
// goes through its PreToolUse hooks and the approval policy in turn (one
// question on screen at a time), but the next one starts as soon as this one
// has started, not when it has finished. Results arrive in any order and wait
// in m_results until every call before them is recorded: the store, the
// window and the model see them in the calls' order, each after its
// PostToolUse hooks. A call that edits or runs a command starts only once
// every call before it is recorded, and nothing after it starts before it is
// recorded. Hooks run one at a time: results wait while a later call is in
// its hooks or its approval.
//
// Ctrl-C (cancel()) stops every call in flight; each reports a cancelled
// result, recorded in order, and the calls never started get "not run" ones.
#include <fmt/format.h>

#include "agent/hooks/hook_permission.h"
#include "agent/turn.h"
#include "store/records.h"

namespace ik::agent {

namespace {

using namespace std::chrono_literals;

bool alongside(const llm::ToolCall& call)
{
    const ToolDescriptor* tool = find_tool(call.name);
    return tool && tool->runs_alongside();
}

} // namespace

void Turn::start_calls()
{
    size_t n = m_call_views.size();
    m_runs.clear();
    m_runs.resize(n);
    m_call_args.clear();
    m_call_args.resize(n);
    m_results.clear();
    m_results.resize(n);
    m_next_start = 0;
    m_next_record = 0;
    m_recording = false;
    m_starting = true;
    run_tool(0);
}

void Turn::run_tool(size_t index)
{
    m_starting = false;
    if (m_finished)
        return;
    if (index >= m_call_views.size()) {
        start_round();
        return;
    }
    if (m_cancelled) {
        drain_results(); // ends the turn once the calls in flight are recorded
        return;
    }
    m_starting = true;
    const llm::ToolCall& call = m_call_views[index];
    auto done = [this, index](ToolResult r) { on_tool_result(index, std::move(r)); };
    const ToolDescriptor* tool = find_tool(call.name);
    if (!tool) {
        m_runs[index] = deliver_result(m_tool_context, unknown_tool_result(call.name), done);
        call_started(index);
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

// Call `index` has started (or has its answer): the next one starts now when
// both may run alongside each other; otherwise results are recorded first.
void Turn::call_started(size_t index)
{
    m_next_start = index + 1;
    size_t next = index + 1;
    if (next < m_call_views.size() && !m_cancelled && alongside(m_call_views[index]) && alongside(m_call_views[next])) {
        // Still starting (m_starting): results wait, so no PostToolUse hook
        // runs while the next call's PreToolUse hooks may.
        m_host.loop().after(0ms, [this, next] { run_tool(next); });
        return;
    }
    stop_starting();
}

// No call is starting any more (the last one started, or the turn was
// cancelled before this one could): what arrived can be recorded.
void Turn::stop_starting()
{
    m_starting = false;
    drain_results();
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
        stop_starting();
        return;
    }
    auto done = [this, index](ToolResult r) { on_tool_result(index, std::move(r)); };
    if (decision.verdict != Verdict::allow) {
        std::string message = denial_message(request, decision);
        m_host.observer().on_tool_denied(call, decision, message);
        ToolResult denied = ToolResult::error(std::move(message), "denied");
        denied.state = ToolState::denied;
        on_tool_result(index, std::move(denied)); // waits: this call is still starting
        call_started(index);
        return;
    }
    m_host.observer().on_tool_start(call, request);
    const Result<json::value>& args = m_call_args[index];
    if (!args) {
        m_runs[index] = deliver_result(m_tool_context, ToolResult::from(args.error()), done);
        call_started(index);
        return;
    }
    // File tools run synchronously inside start_tool: the confinement holds
    // for exactly this call.
    m_checkpoint.before_call(tool->kind, m_host.observer()); // the pre-turn snapshot, once
    m_tool_context.beneath = confinement_for(m_host.settings().approval, request);
    m_tool_context.call_id = call.id;
    m_runs[index] = start_tool(m_tool_context, *tool, *args, done);
    m_tool_context.call_id = {};
    m_tool_context.beneath.clear();
    call_started(index);
}

// Held until every call before it is recorded (drain_results()).
void Turn::on_tool_result(size_t index, ToolResult result)
{
    if (m_finished)
        return;
    m_results[index] = std::move(result);
    drain_results();
}

// Records the results that are next in the calls' order, each past its
// PostToolUse hooks (which may answer later: record_tool_result() comes back
// here). Once every started call is recorded, the next call starts (or the
// next round, or the end of a cancelled turn) from a fresh loop round, not
// from inside a completion that may be deep in a tool's machinery.
void Turn::drain_results()
{
    if (m_draining)
        return; // record_tool_result() inside the loop below: it goes on
    m_draining = true;
    while (!m_finished && !m_starting && !m_recording && m_next_record < m_next_start && m_results[m_next_record]) {
        size_t index = m_next_record;
        ToolResult result = std::move(*m_results[index]);
        m_results[index].reset();
        m_recording = true;
        if (result.state == ToolState::ran)
            run_post_tool_hooks(index, std::move(result));
        else
            record_tool_result(index, result);
    }
    m_draining = false;
    if (m_finished || m_starting || m_recording || m_next_record < m_next_start)
        return;
    if (m_cancelled) {
        finish_round_calls_cancelled(m_next_record);
        return;
    }
    m_starting = true;
    size_t next = m_next_record;
    m_host.loop().after(0ms, [this, next] { run_tool(next); });
}

void Turn::record_tool_result(size_t index, const ToolResult& result)
{
    if (m_finished)
        return;
    const llm::ToolCall& call = m_call_views[index];
    auto seq = keep_tool_result(call, result); // recorded and added to the window, images included
    m_host.observer().on_tool_result(call, result);
    m_recording = false;
    m_next_record = index + 1;
    if (!recorded(seq, "tool result"))
        return;
    drain_results();
}

// Ctrl-C: every call in flight is asked to stop; each still reports (a
// cancelled result), and drain_results() ends the turn after the last.
void Turn::cancel_calls()
{
    size_t from = m_next_record + (m_recording ? 1 : 0); // that one has its result
    for (size_t i = from; i < m_next_start && i < m_runs.size() && !m_finished; ++i) {
        if (!m_results[i] && m_runs[i])
            m_runs[i]->cancel();
    }
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
