#include "agent/turn.h"

#include <boost/json/serialize.hpp>

#include "agent/context/retry_check.h"
#include "core/json.h"

namespace ik::agent {
namespace {

using store::EventKind;

std::string json_text(const boost::json::object& o)
{
    return boost::json::serialize(o);
}

boost::json::array calls_json(std::span<const llm::ToolCall> calls)
{
    boost::json::array a;
    for (const auto& c : calls)
        a.push_back(boost::json::object{ { "id", c.id }, { "name", c.name }, { "arguments", c.arguments } });
    return a;
}

} // namespace

Turn::Turn(Session& session)
    : m_session(session)
    , m_arena(session.arena(), "turn")
    , m_tool_context{ session.m_deps.loop, session.settings().cwd }
{
}

Turn::~Turn()
{
    if (m_flush_timer)
        m_session.m_deps.loop.cancel(*m_flush_timer);
    // Children of m_arena (the round) go with it; nothing here has a destructor to run.
}

template <typename T> bool Turn::check(const Result<T>& r)
{
    if (r)
        return true;
    TurnOutcome outcome = m_outcome;
    outcome.error = r.error();
    outcome.finish = llm::FinishReason::error;
    finish(std::move(outcome));
    return false;
}

bool Turn::check(Result<void> r)
{
    return check<void>(r);
}

Result<void> Turn::start(std::string_view prompt)
{
    TRY(m_session.m_deps.store.append(m_session.id(), EventKind::user, json_text({ { "text", prompt } })));
    m_session.m_conversation.add_user(prompt);
    start_round();
    return {};
}

void Turn::start_round()
{
    if (m_finished)
        return;
    Session& s = m_session;
    if (m_outcome.rounds >= s.settings().max_tool_turns) {
        TurnOutcome outcome = m_outcome;
        outcome.hit_tool_limit = true;
        outcome.finish = llm::FinishReason::other;
        s.m_deps.observer.on_notice(
            fmt::format("stopped after {} tool rounds (max_tool_turns)", s.settings().max_tool_turns));
        (void)s.m_deps.store.append(s.id(), EventKind::error,
            json_text({ { "category", "limit" },
                { "text", fmt::format("stopped after {} tool rounds", s.settings().max_tool_turns) } }));
        finish(std::move(outcome));
        return;
    }
    ++m_outcome.rounds;
    s.m_deps.observer.on_round_start(m_outcome.rounds);

    if (m_round)
        m_round->destroy();
    m_round = &m_arena.make_child("round");
    m_text = m_round->make<std::pmr::string>(m_round);
    m_thinking = m_round->make<std::pmr::string>(m_round);
    m_signature = m_round->make<std::pmr::string>(m_round);
    m_calls = m_round->make<PendingCalls>(m_round);
    m_thinking_recorded = false;
    m_stream_error.reset();
    m_finish = llm::FinishReason::stop;
    m_round_usage = {};

    // Context hook: compacts the window first when the request would not fit
    // (agent/context/); send_round() runs at once or when the summary is written.
    s.m_context.before_request(s.m_conversation, s.request_shape(), [this] { send_round(); });
}

void Turn::send_round()
{
    if (m_finished)
        return;
    Session& s = m_session;
    if (m_cancelled) {
        finish_round_calls_cancelled(m_call_views.size());
        return;
    }
    auto reply = s.m_deps.store.begin_reply(s.id());
    if (!check(reply))
        return;
    m_reply = *reply;

    m_request = llm::Request{};
    m_request.model = s.settings().model;
    m_request.system = s.settings().system_prompt;
    m_request.messages = s.m_conversation.messages();
    m_request.tools = s.m_tools;
    m_request.thinking = s.settings().thinking;
    m_request.max_tokens = s.settings().max_tokens;
    m_request.cache_key = s.id();
    m_call
        = s.m_deps.model.start(m_request, *this, [this](Result<void> outcome) { on_model_done(std::move(outcome)); });
}

void Turn::record_thinking_if_complete()
{
    if (m_thinking_recorded || m_thinking->empty())
        return;
    m_thinking_recorded = true;
    (void)m_session.m_deps.store.append(
        m_session.id(), EventKind::thinking, json_text({ { "text", *m_thinking }, { "signature", *m_signature } }));
}

Result<void> Turn::on_event(const llm::Event& e)
{
    m_session.m_deps.observer.on_model_event(e);
    switch (e.kind) {
    case llm::EventKind::start:
        break;
    case llm::EventKind::text_delta:
        record_thinking_if_complete();
        m_text->append(e.text);
        TRY(m_session.m_deps.store.append_text(*m_reply, e.text));
        schedule_flush();
        break;
    case llm::EventKind::thinking_delta:
        m_thinking->append(e.text);
        if (!e.signature.empty())
            m_signature->assign(e.signature);
        break;
    case llm::EventKind::tool_call_start: {
        record_thinking_if_complete();
        size_t index = static_cast<size_t>(std::max(0, e.index));
        m_calls->ensure(index);
        m_calls->ids[index].assign(e.id);
        m_calls->names[index].assign(e.name);
        break;
    }
    case llm::EventKind::tool_call_delta: {
        size_t index = static_cast<size_t>(std::max(0, e.index));
        m_calls->ensure(index);
        m_calls->arguments[index].append(e.text);
        break;
    }
    case llm::EventKind::tool_call_end:
        break;
    case llm::EventKind::usage:
        m_round_usage = e.usage;
        break;
    case llm::EventKind::finish:
        m_finish = e.finish;
        break;
    case llm::EventKind::error:
        m_stream_error = Error(e.error_code, std::string(e.text));
        break;
    }
    return {};
}

void Turn::schedule_flush()
{
    if (m_flush_timer)
        return;
    auto deadline = m_session.m_deps.store.next_flush_deadline();
    if (!deadline)
        return;
    auto delay = std::chrono::ceil<std::chrono::milliseconds>(*deadline - store::Clock::now());
    m_flush_timer = m_session.m_deps.loop.after(std::max(delay, std::chrono::milliseconds(0)), [this] {
        m_flush_timer.reset();
        (void)m_session.m_deps.store.flush_if_due();
        schedule_flush();
    });
}

void Turn::on_model_done(Result<void> outcome)
{
    Session& s = m_session;
    // The call object is still on the stack that called us: retire it.
    if (m_call)
        m_spent_calls.push_back(std::move(m_call));
    record_thinking_if_complete();

    m_outcome.usage.input += m_round_usage.input;
    m_outcome.usage.output += m_round_usage.output;
    m_outcome.usage.cached += m_round_usage.cached;
    m_outcome.usage.reasoning += m_round_usage.reasoning;
    s.m_last_usage = m_round_usage;
    s.m_usage.input += m_round_usage.input;
    s.m_usage.output += m_round_usage.output;
    s.m_usage.cached += m_round_usage.cached;
    s.m_usage.reasoning += m_round_usage.reasoning;
    double cost = s.m_context.on_usage(m_round_usage); // context hook: calibrates the estimate
    // Recorded after the reply it belongs to.
    auto record_usage = [&] {
        if (m_round_usage.input || m_round_usage.output) {
            (void)s.m_deps.store.append(s.id(), EventKind::usage,
                json_text({ { "input", m_round_usage.input }, { "output", m_round_usage.output },
                    { "cached", m_round_usage.cached }, { "reasoning", m_round_usage.reasoning },
                    { "cost_usd", cost } }));
        }
    };

    if (outcome && m_stream_error)
        outcome = fail(*m_stream_error);
    if (!outcome && outcome.error().code() == ErrorCode::context_too_long && !m_cancelled)
        s.m_context.on_context_error(outcome.error()); // context hook: learn the window, compact next time
    if (!outcome && outcome.error().code() == ErrorCode::context_too_long && !m_cancelled && !m_context_retried
        && can_compact(s.m_context, s.m_conversation, s.request_shape())) {
        // Context hook, reactive: one compaction and one visible retry of the round.
        m_context_retried = true;
        Error error = outcome.error();
        (void)s.m_deps.store.abort_reply(*m_reply, error.to_string());
        m_reply.reset();
        record_usage();
        (void)s.m_deps.store.append(s.id(), EventKind::error,
            json_text({ { "category", to_string(error.code()) }, { "text", error.to_string() } }));
        s.m_deps.observer.on_notice("the conversation is longer than the model's window: compacting and retrying");
        --m_outcome.rounds;
        s.m_deps.loop.after(std::chrono::milliseconds(0), [this] { start_round(); });
        return;
    }
    if (!outcome) {
        Error error = outcome.error();
        bool interrupted = error.code() == ErrorCode::interrupted || m_cancelled;
        (void)s.m_deps.store.abort_reply(*m_reply, interrupted ? "cancelled" : error.to_string());
        m_reply.reset();
        record_usage();
        // The model said what it said: keep the partial text in the window,
        // as resume() will (from the interrupted event).
        if (!m_text->empty())
            s.m_conversation.add_assistant(*m_text, "", "", {});
        if (!interrupted) {
            (void)s.m_deps.store.append(s.id(), EventKind::error,
                json_text({ { "category", to_string(error.code()) }, { "text", error.to_string() } }));
        }
        TurnOutcome o = m_outcome;
        o.interrupted = interrupted;
        o.finish = interrupted ? llm::FinishReason::other : llm::FinishReason::error;
        if (!interrupted)
            o.error = std::move(error);
        finish(std::move(o));
        return;
    }

    m_call_views.clear();
    for (size_t i = 0; i < m_calls->ids.size(); ++i) {
        if (m_calls->names[i].empty())
            continue; // an index the provider skipped
        m_call_views.push_back(llm::ToolCall{ m_calls->ids[i], m_calls->names[i], m_calls->arguments[i] });
    }
    boost::json::object final_event{ { "text", *m_text }, { "tool_calls", calls_json(m_call_views) },
        { "stop_reason", llm::to_string(m_finish) } };
    if (!m_thinking->empty()) {
        final_event["thinking"] = *m_thinking;
        final_event["signature"] = *m_signature;
    }
    auto seq = s.m_deps.store.end_reply(*m_reply, json_text(final_event));
    m_reply.reset();
    if (!check(seq))
        return;
    record_usage();
    m_context_retried = false;
    s.m_conversation.add_assistant(*m_text, *m_thinking, *m_signature, m_call_views);
    m_outcome.finish = m_finish;
    s.relieve_memory_pressure();

    if (m_call_views.empty()) {
        finish(m_outcome);
        return;
    }
    for (const auto& c : m_call_views) {
        (void)s.m_deps.store.append(s.id(), EventKind::tool_call,
            json_text({ { "id", c.id }, { "name", c.name }, { "arguments", c.arguments } }));
    }
    m_runs.clear();
    m_runs.resize(m_call_views.size());
    run_tool(0);
}

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
    const ToolDescriptor* tool = find_tool(call.name);
    if (!tool) {
        // start_tool reports unknown tools to the model as an error result.
        m_runs[index] = start_tool(m_tool_context, call.name, call.arguments,
            [this, index](ToolResult r) { on_tool_result(index, std::move(r)); });
        return;
    }
    ToolPreview preview;
    if (auto p = preview_tool(m_tool_context, call.name, call.arguments))
        preview = std::move(*p);
    ApprovalRequest request = make_approval_request(call.id, *tool, std::move(preview));
    Decision decision = decide(m_session.settings().approval, m_session.m_allows, request);
    if (decision.verdict == Verdict::ask) {
        SessionObserver& observer = m_session.m_deps.observer;
        if (observer.can_ask()) {
            observer.ask_approval(request, [this, index, tool, request](UserAnswer answer) {
                Decision d = apply_user_answer(answer, request, m_session.m_allows);
                decide_and_run(index, *tool, request, std::move(d));
            });
            return;
        }
        decision = resolve_headless(std::move(decision));
    }
    decide_and_run(index, *tool, std::move(request), std::move(decision));
}

void Turn::decide_and_run(size_t index, const ToolDescriptor& tool, ApprovalRequest request, Decision decision)
{
    if (m_finished)
        return;
    (void)tool;
    Session& s = m_session;
    (void)s.m_deps.store.append(s.id(), EventKind::approval, make_approval_record(request, decision).to_json());
    const llm::ToolCall& call = m_call_views[index];
    if (m_cancelled) {
        finish_round_calls_cancelled(index);
        return;
    }
    if (decision.verdict != Verdict::allow) {
        std::string message = denial_message(request, decision);
        s.m_deps.observer.on_tool_denied(call, decision, message);
        on_tool_result(index, ToolResult::error(std::move(message), "denied"));
        return;
    }
    s.m_deps.observer.on_tool_start(call, request);
    m_runs[index] = start_tool(m_tool_context, call.name, call.arguments,
        [this, index](ToolResult r) { on_tool_result(index, std::move(r)); });
}

void Turn::on_tool_result(size_t index, ToolResult result)
{
    if (m_finished)
        return;
    Session& s = m_session;
    const llm::ToolCall& call = m_call_views[index];
    auto seq = s.m_deps.store.append(s.id(), EventKind::tool_result,
        json_text({ { "id", call.id }, { "name", call.name }, { "text", result.content },
            { "is_error", result.is_error }, { "summary", result.summary } }));
    s.m_conversation.add_tool_result(call.id, call.name, result.content, result.is_error);
    s.m_deps.observer.on_tool_result(call, result);
    if (!check(seq))
        return;
    if (m_cancelled) {
        finish_round_calls_cancelled(index + 1);
        return;
    }
    // Deliver the next call from a fresh loop round, not from inside this
    // completion (which may be deep in the previous tool's machinery).
    s.m_deps.loop.after(std::chrono::milliseconds(0), [this, index] { run_tool(index + 1); });
}

void Turn::finish_round_calls_cancelled(size_t from)
{
    // Every call needs a result or providers reject the next request.
    Session& s = m_session;
    for (size_t i = from; i < m_call_views.size(); ++i) {
        const llm::ToolCall& call = m_call_views[i];
        std::string text = "not run: the user interrupted the turn";
        (void)s.m_deps.store.append(s.id(), EventKind::tool_result,
            json_text({ { "id", call.id }, { "name", call.name }, { "text", text }, { "is_error", true },
                { "summary", "cancelled" } }));
        s.m_conversation.add_tool_result(call.id, call.name, text, true);
    }
    (void)s.m_deps.store.append(
        s.id(), EventKind::interrupted, json_text({ { "reason", "cancelled" }, { "text", "" } }));
    TurnOutcome o = m_outcome;
    o.interrupted = true;
    o.finish = llm::FinishReason::other;
    finish(std::move(o));
}

void Turn::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    if (m_session.m_context.busy()) {
        m_session.m_context.cancel(); // the summary call; send_round() then ends the turn
        return;
    }
    if (m_call) {
        m_call->cancel();
        return;
    }
    if (m_running < m_runs.size() && m_runs[m_running]) {
        m_runs[m_running]->cancel();
        return;
    }
    // Waiting for an approval answer, or between calls: the answer (or the
    // next call) sees m_cancelled and ends the turn.
}

void Turn::finish(TurnOutcome outcome)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_reply) {
        (void)m_session.m_deps.store.abort_reply(*m_reply, "turn ended");
        m_reply.reset();
    }
    if (m_flush_timer) {
        m_session.m_deps.loop.cancel(*m_flush_timer);
        m_flush_timer.reset();
    }
    m_session.turn_finished(outcome);
}

} // namespace ik::agent
