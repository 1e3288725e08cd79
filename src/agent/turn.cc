#include "agent/turn.h"

#include "agent/context/retry_check.h"
#include "store/records.h"

namespace ik::agent {

Turn::Turn(TurnHost& host)
    : m_host(host)
    , m_arena(host.arena(), "turn")
    , m_tool_context{ .loop = host.loop(),
        .cwd = host.settings().cwd,
        .sandbox = host.settings().sandbox.get(),
        .private_dirs = host.settings().approval.private_dirs,
        .jobs = &host.jobs(),
        .todos = &host.todos(),
        .web = &host.settings().web,
        .client_files = host.settings().client_files,
        .agents = &host.agents() }
    , m_checkpoint(host.settings().checkpoints)
{
}

Turn::~Turn()
{
    if (m_flush_timer)
        m_host.loop().cancel(*m_flush_timer);
    m_call_args.clear(); // views into the round arena, which goes with m_arena
}

template <typename T> bool Turn::noted(const Result<T>& r, std::string_view what)
{
    if (r)
        return true;
    // A write cut short by SIGINT/SIGTERM (the store gives up waiting at once)
    // is the interruption it reports, not a failing store.
    ErrorCode code = r.error().code() == ErrorCode::interrupted ? ErrorCode::interrupted : ErrorCode::store;
    if (!m_store_error)
        m_store_error = Error(code, fmt::format("could not record the {}: {}", what, r.error().to_string()));
    return false;
}

template <typename T> bool Turn::recorded(const Result<T>& r, std::string_view what)
{
    if (noted(r, what))
        return true;
    if (!m_finished) {
        // What the model said so far stays in the window, as it stays on the
        // screen: the next turn (or a retry) builds on it.
        keep_text_in_window();
        TurnOutcome o = m_outcome;
        o.finish = llm::FinishReason::error;
        finish(std::move(o));
    }
    return false;
}

// The other files of the turn (turn_dispatch.cc, turn_hooks.cc) record through
// these; the Result types the recorder returns are all there are.
template bool Turn::noted(const Result<void>&, std::string_view);
template bool Turn::noted(const Result<int64_t>&, std::string_view);
template bool Turn::recorded(const Result<void>&, std::string_view);
template bool Turn::recorded(const Result<int64_t>&, std::string_view);

Result<void> Turn::start(std::string_view prompt, std::span<const llm::Image> images)
{
    std::string_view source = m_host.take_session_start();
    m_checkpoint.set_prompt(prompt);
    keep_prompt_images(images);
    if (m_host.settings().hooks.empty()) {
        // No hooks: the prompt is recorded now, so a store failure is the caller's error.
        if (!noted(m_host.recorder().record(user_record(prompt)), "prompt"))
            return fail(*m_store_error);
        m_host.window().add_user(prompt, m_images);
        start_round();
        return {};
    }
    m_prompt = prompt;
    run_prompt_hooks(source);
    return {};
}

// The prompt with what the prompt hooks added, recorded as the one user
// message the model reads.
void Turn::begin(std::string_view prompt)
{
    if (!record(user_record(prompt), "prompt"))
        return;
    m_host.window().add_user(prompt, m_images);
    start_round();
}

void Turn::start_round()
{
    if (m_finished)
        return;
    const SessionSettings& settings = m_host.settings();
    if (m_outcome.rounds >= settings.max_tool_turns) {
        TurnOutcome outcome = m_outcome;
        outcome.hit_tool_limit = true;
        outcome.finish = llm::FinishReason::other;
        std::string text = fmt::format("stopped after {} tool rounds", settings.max_tool_turns);
        m_host.observer().on_notice(fmt::format("{} (max_tool_turns)", text));
        if (!record(store::ErrorRecord{ .category = "limit", .text = text }, "tool-round limit"))
            return;
        finish(std::move(outcome));
        return;
    }
    ++m_outcome.rounds;
    m_host.observer().on_round_start(m_outcome.rounds);

    m_call_args.clear();
    if (m_round)
        m_round->destroy();
    m_round = &m_arena.make_child("round");
    m_text = m_round->make<mem::ChunkedText>(*m_round);
    m_held_text.reset();
    m_thinking = m_round->make<std::pmr::string>(m_round);
    m_signature = m_round->make<std::pmr::string>(m_round);
    m_calls = m_round->make<PendingCalls>(m_round);
    m_sources = m_round->make<ReplySources>(*m_round);
    m_thinking_recorded = false;
    m_text_in_window = false;
    m_stream_error.reset();
    m_finish = llm::FinishReason::stop;
    m_round_usage = {};
    m_round_cost = 0;

    // Context hook: compacts the window first when the request would not fit
    // (agent/context/); send_round() runs at once or when the summary is written.
    m_host.context_manager().before_request(
        m_host.window(), m_host.request_shape(), [this](const Result<void>& written) {
            if (recorded(written, "compaction"))
                send_round();
        });
}

void Turn::send_round()
{
    if (m_finished)
        return;
    if (m_cancelled) {
        finish_round_calls_cancelled(m_call_views.size()); // cancelled while the summary was written
        return;
    }
    const SessionSettings& settings = m_host.settings();
    auto reply = m_host.recorder().begin_reply();
    if (!recorded(reply, "start of the reply"))
        return;
    m_reply = *reply;

    m_request = llm::Request{};
    m_request.model = settings.model;
    m_request.accepts_images = (m_host.context_manager().limits().caps & llm::cap_images) != 0; // current after /model
    m_request.system = settings.system_prompt;
    m_request.messages = m_host.window().messages();
    m_request.tools = m_host.tools();
    m_request.thinking = settings.thinking;
    m_request.max_tokens = settings.max_tokens;
    m_request.cache_key = m_host.recorder().id(); // prompt caching: one cache per session
    m_request.web_search = offered_search(settings.web_search, m_host.context_manager().limits().caps);
    m_call
        = m_host.model().start(m_request, *this, [this](Result<void> outcome) { on_model_done(std::move(outcome)); });
}

void Turn::record_thinking_if_complete()
{
    if (m_thinking_recorded || m_thinking->empty())
        return;
    m_thinking_recorded = true;
    record(store::ThinkingRecord{ .text = *m_thinking, .signature = *m_signature }, "thinking");
}

Result<void> Turn::on_event(const llm::Event& e)
{
    if (m_finished)
        return fail(*m_store_error); // only a store failure ends a turn mid-stream
    m_host.observer().on_model_event(e);
    m_sources->add(e); // source events: the reply's numbered links
    switch (e.kind) {
    case llm::StreamEventKind::start:
    case llm::StreamEventKind::search:
    case llm::StreamEventKind::source:
        break;
    case llm::StreamEventKind::text_delta:
        record_thinking_if_complete();
        if (m_finished)
            return fail(*m_store_error);
        m_text->append(e.text);
        if (!recorded(m_host.recorder().append_text(*m_reply, e.text), "reply text"))
            return fail(*m_store_error);
        schedule_flush();
        break;
    case llm::StreamEventKind::thinking_delta:
        m_thinking->append(e.text);
        if (!e.signature.empty())
            m_signature->assign(e.signature);
        break;
    case llm::StreamEventKind::tool_call_start: {
        record_thinking_if_complete();
        size_t index = static_cast<size_t>(std::max(0, e.index));
        m_calls->ensure(index);
        m_calls->ids[index].assign(e.id);
        m_calls->names[index].assign(e.name);
        m_calls->signatures[index].assign(e.signature);
        break;
    }
    case llm::StreamEventKind::tool_call_delta: {
        size_t index = static_cast<size_t>(std::max(0, e.index));
        m_calls->ensure(index);
        m_calls->arguments[index].append(e.text);
        break;
    }
    case llm::StreamEventKind::tool_call_end:
        break;
    case llm::StreamEventKind::usage:
        m_round_usage = e.usage;
        break;
    case llm::StreamEventKind::finish:
        m_finish = e.finish;
        if (e.cut_tool_call && !m_calls->ids.empty()) {
            // Half a call's JSON must not run: keep the text, drop the calls.
            m_calls->clear();
            m_host.observer().on_notice(
                "the reply reached the output token limit in the middle of a tool call; the call was not run");
        }
        break;
    case llm::StreamEventKind::error:
        m_stream_error = Error(e.error_code, std::string(e.text));
        break;
    }
    if (m_finished)
        return fail(*m_store_error);
    return {};
}

void Turn::schedule_flush()
{
    if (m_flush_timer)
        return;
    auto deadline = m_host.recorder().next_flush_deadline();
    if (!deadline)
        return;
    auto delay = std::chrono::ceil<std::chrono::milliseconds>(*deadline - store::Clock::now());
    m_flush_timer = m_host.loop().after(std::max(delay, std::chrono::milliseconds(0)), [this] {
        m_flush_timer.reset();
        if (!recorded(m_host.recorder().flush_if_due(), "reply text")) {
            if (m_call)
                m_call->cancel(); // its completion finds the turn finished
            return;
        }
        schedule_flush();
    });
}

std::string_view Turn::held_text()
{
    if (!m_held_text) {
        m_held_text = m_host.window().hold(*m_text);
        m_text->release();
    }
    return *m_held_text;
}

// The text alone (no calls, no thinking): what a reply cut short leaves.
void Turn::keep_text_in_window()
{
    if (m_text_in_window || !m_text || (m_text->empty() && !m_held_text))
        return;
    std::string_view text = held_text();
    if (text.empty())
        return;
    m_host.window().add_held_assistant(text, "", "", {});
    m_text_in_window = true;
}

void Turn::on_model_done(Result<void> outcome)
{
    // The call object is still on the stack that called us: retire it.
    if (m_call)
        m_spent_calls.push_back(std::move(m_call));
    m_outcome.usage.input += m_round_usage.input;
    m_outcome.usage.output += m_round_usage.output;
    m_outcome.usage.cached += m_round_usage.cached;
    m_outcome.usage.reasoning += m_round_usage.reasoning;
    m_host.add_usage(m_round_usage);
    m_round_cost = m_host.context_manager().on_usage(m_round_usage); // context hook: calibrates the estimate
    if (m_finished)
        return; // a store failure ended the turn during the stream
    record_thinking_if_complete();
    if (m_finished)
        return;

    if (outcome && m_stream_error)
        outcome = fail(*m_stream_error);
    if (!outcome && outcome.error().code() == ErrorCode::context_too_long && !m_cancelled) {
        // Context hook, reactive: learn the window from the error; then one
        // compaction and one visible retry, when compacting can change the window.
        ContextManager& context = m_host.context_manager();
        context.on_context_error(outcome.error());
        if (!m_context_retried && can_compact(context, m_host.window(), m_host.request_shape())) {
            retry_after_context_error(outcome.error());
            return;
        }
    }
    if (!outcome) {
        end_round_failed(outcome.error());
        return;
    }

    m_call_views.clear();
    std::pmr::vector<store::ToolCallRecord> call_records(m_round);
    for (size_t i = 0; i < m_calls->ids.size(); ++i) {
        if (m_calls->names[i].empty())
            continue; // an index the provider skipped
        m_call_views.push_back(
            llm::ToolCall{ m_calls->ids[i], m_calls->names[i], m_calls->arguments[i], m_calls->signatures[i] });
        call_records.push_back(store::ToolCallRecord{ .id = m_calls->ids[i],
            .name = m_calls->names[i],
            .arguments = m_calls->arguments[i],
            .signature = m_calls->signatures[i] });
    }
    // Copied into the window's arena once; the final event is written from
    // that copy, and the message added below is that copy too.
    std::string_view text = held_text();
    store::AssistantRecord final_record{ .text = text,
        .thinking = *m_thinking,
        .signature = *m_signature,
        .tool_calls = call_records,
        .stop_reason = llm::to_string(m_finish),
        .sources = m_sources->list() };
    auto seq = m_host.recorder().end_reply(*m_reply, final_record, round_usage());
    if (seq)
        m_reply.reset();
    if (!recorded(seq, "reply"))
        return;
    m_host.window().add_held_assistant(text, *m_thinking, *m_signature, m_call_views);
    if (!m_sources->list().empty())
        m_host.observer().on_sources(m_sources->list());
    m_text_in_window = true;
    m_context_retried = false;
    m_outcome.finish = m_finish;
    if (!recorded(m_host.relieve_memory_pressure(), "eviction"))
        return;

    if (m_call_views.empty()) {
        run_stop_hooks();
        return;
    }
    for (const store::ToolCallRecord& c : call_records) {
        if (!record(c, "tool call"))
            return;
    }
    start_calls();
}

// The provider said the prompt is longer than the window: record that (the
// error stays visible in the store and on screen), and run the round again;
// before_request() compacts first.
void Turn::retry_after_context_error(const Error& error)
{
    m_context_retried = true;
    auto aborted = m_host.recorder().abort_reply(*m_reply, error.to_string(), round_usage());
    if (aborted)
        m_reply.reset();
    if (!recorded(aborted, "interrupted reply"))
        return;
    if (!record(store::ErrorRecord{ .category = to_string(error.code()), .text = error.to_string() }, "error"))
        return;
    m_host.observer().on_notice("the conversation is longer than the model's window: compacting and retrying");
    --m_outcome.rounds;
    m_host.loop().after(std::chrono::milliseconds(0), [this] { start_round(); });
}

// The model call failed (provider error or cancel): keep what it said, record
// why, end the turn.
void Turn::end_round_failed(Error error)
{
    bool interrupted = error.code() == ErrorCode::interrupted || m_cancelled;
    auto aborted
        = m_host.recorder().abort_reply(*m_reply, interrupted ? "cancelled" : error.to_string(), round_usage());
    if (aborted)
        m_reply.reset();
    noted(aborted, "interrupted reply");
    // The model said what it said: keep the partial text in the window,
    // as resume() will (from the interrupted event).
    keep_text_in_window();
    if (!interrupted) {
        std::string text = error.to_string();
        noted(
            m_host.recorder().record(store::ErrorRecord{ .category = to_string(error.code()), .text = text }), "error");
    }
    TurnOutcome o = m_outcome;
    o.interrupted = interrupted;
    o.finish = interrupted ? llm::FinishReason::other : llm::FinishReason::error;
    if (!interrupted)
        o.error = std::move(error);
    finish(std::move(o));
}

void Turn::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    if (m_host.context_manager().busy()) {
        m_host.context_manager().cancel(); // the summary call; send_round() then ends the turn
        return;
    }
    if (m_call) {
        m_call->cancel();
        return;
    }
    // Every call in flight; a hook's completion, an approval answer or the
    // next call see m_cancelled, and the turn ends once the results are in.
    cancel_calls();
    if (m_hook && !m_finished)
        m_hook->cancel();
}

void Turn::finish(TurnOutcome outcome)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_reply) {
        noted(m_host.recorder().abort_reply(*m_reply, "turn ended"), "interrupted reply");
        m_reply.reset();
    }
    if (m_flush_timer) {
        m_host.loop().cancel(*m_flush_timer);
        m_flush_timer.reset();
    }
    // A store failure is the turn's error unless it already had one (the
    // provider's, which the store failure followed).
    if (m_store_error && !outcome.error) {
        outcome.error = *m_store_error;
        outcome.finish = llm::FinishReason::error;
    }
    m_checkpoint.after_turn(m_host.recorder(), m_host.observer());
    m_host.turn_finished(outcome);
}

} // namespace ik::agent
