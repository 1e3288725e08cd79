#include "llm/client.h"

#include <cstdio>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "core/panic.h"
#include "llm/image_fit.h"
#include "llm/internal/attempt.h"
#include "net/http_handles.h"
#include "net/http_multi.h"

namespace ik::llm {

using internal::Attempt;

struct Client::State {
    Loop& loop;
    ClientOptions options;
    net::HttpMulti multi;
    Backoff backoff;
    ClientStats stats;

    // The request in flight; all borrowed until done runs.
    bool active = false;
    mem::Arena* turn = nullptr;
    const Provider* provider = nullptr;
    HttpRequest http;
    StreamSink* sink = nullptr;
    DoneCallback done;
    std::optional<Attempt> attempt;
    Loop::TimerId retry_timer = 0;
    Loop::TimerId watchdog = 0;
    Loop::TimerId deadline = 0; // the whole request's reply_deadline

    State(Loop& l, ClientOptions o)
        : loop(l)
        , options(std::move(o))
        , multi(l)
        , backoff(options.retry)
    {
    }

    void notice(std::string_view line)
    {
        if (options.notice)
            options.notice(line);
        else
            std::fprintf(stderr, "ik: %.*s\n", static_cast<int>(line.size()), line.data());
    }

    void begin_attempt();
    void on_transfer_done(CURLcode rc);
    void arm_watchdog(std::chrono::milliseconds in);
    void on_watchdog();
    void on_deadline();
    void conclude(Result<void> result);
};

void Client::State::arm_watchdog(std::chrono::milliseconds in)
{
    watchdog = loop.after(in, [this] {
        watchdog = 0;
        on_watchdog();
    });
}

void Client::State::on_watchdog()
{
    if (!attempt)
        return;
    auto idle = Loop::now() - attempt->last_byte();
    if (idle < options.idle_timeout) {
        arm_watchdog(std::chrono::duration_cast<std::chrono::milliseconds>(options.idle_timeout - idle)
            + std::chrono::milliseconds(1));
        return;
    }
    attempt->mark_idle_timeout();
    multi.remove(attempt->easy());
    on_transfer_done(CURLE_OPERATION_TIMEDOUT);
}

void Client::State::on_deadline()
{
    if (attempt) {
        attempt->mark_deadline(options.reply_deadline);
        multi.remove(attempt->easy());
        on_transfer_done(CURLE_OPERATION_TIMEDOUT);
        return;
    }
    if (retry_timer) {
        loop.cancel(retry_timer);
        retry_timer = 0;
    }
    conclude(fail(
        ErrorCode::timeout, "no complete reply within {} s (timeouts.reply_s)", options.reply_deadline.count() / 1000));
}

void Client::State::begin_attempt()
{
    ++stats.attempts;
    attempt.emplace(*turn, *provider, *sink, options.limits);
    Result<void> setup = attempt->setup(http, options.connect_timeout);
    if (!setup) {
        attempt.reset();
        conclude(fail(std::move(setup.error())));
        return;
    }
    multi.add(attempt->easy(), [this](CURLcode rc) { on_transfer_done(rc); });
    arm_watchdog(options.idle_timeout);
}

void Client::State::on_transfer_done(CURLcode rc)
{
    if (watchdog) {
        loop.cancel(watchdog);
        watchdog = 0;
    }
    Attempt::Outcome outcome = attempt->finish(rc, options.idle_timeout);
    stats.http_status = attempt->status();
    stats.streamed = stats.streamed || attempt->streamed();
    attempt.reset();
    if (outcome.result || !outcome.retryable || stats.attempts > options.retry.max_retries) {
        if (!outcome.result && outcome.retryable && options.retry.max_retries > 0)
            outcome.result.error().add_context(fmt::format("gave up after {} attempts", stats.attempts));
        conclude(std::move(outcome.result));
        return;
    }
    int64_t delay = backoff.delay_ms(stats.attempts, outcome.retry_after_ms);
    notice(retry_notice(outcome.what, stats.attempts + 1, options.retry.max_retries + 1, delay));
    retry_timer = loop.after(std::chrono::milliseconds(delay), [this] {
        retry_timer = 0;
        begin_attempt();
    });
}

void Client::State::conclude(Result<void> result)
{
    if (deadline) {
        loop.cancel(deadline);
        deadline = 0;
    }
    active = false;
    DoneCallback callback = std::move(done);
    done = nullptr;
    sink = nullptr;
    turn = nullptr;
    provider = nullptr;
    if (callback)
        callback(std::move(result));
}

const ClientOptions& Client::options() const
{
    return m_state->options;
}

Client::Client(Loop& loop, ClientOptions options)
    : m_state(std::make_unique<State>(loop, std::move(options)))
{
}

Client::~Client()
{
    if (m_state->attempt)
        m_state->multi.remove(m_state->attempt->easy());
    if (m_state->retry_timer)
        m_state->loop.cancel(m_state->retry_timer);
    if (m_state->watchdog)
        m_state->loop.cancel(m_state->watchdog);
    if (m_state->deadline)
        m_state->loop.cancel(m_state->deadline);
}

Result<void> Client::start(mem::Arena& turn, const Provider& provider, const Endpoint& endpoint, const Request& request,
    StreamSink& sink, DoneCallback done)
{
    State& s = *m_state;
    IK_ASSERT(!s.active, "Client::start while a request is in flight");
    // Images the model or the provider cannot take become notes (image_fit.h).
    s.http = TRY(provider.build_request(turn, endpoint, fit_images(turn, request, provider.format())));
    s.active = true;
    s.turn = &turn;
    s.provider = &provider;
    s.sink = &sink;
    s.done = std::move(done);
    s.stats = {};
    if (s.options.reply_deadline.count() > 0) {
        State* state = &s;
        s.deadline = s.loop.after(s.options.reply_deadline, [state] {
            state->deadline = 0;
            state->on_deadline();
        });
    }
    s.begin_attempt();
    return {};
}

Result<void> Client::run(
    mem::Arena& turn, const Provider& provider, const Endpoint& endpoint, const Request& request, StreamSink& sink)
{
    std::optional<Result<void>> outcome;
    TRY(start(turn, provider, endpoint, request, sink, [&](Result<void> r) { outcome.emplace(std::move(r)); }));
    Result<void> looped = m_state->loop.run_until([&] { return outcome.has_value(); });
    if (!looped) {
        cancel();
        return looped;
    }
    return std::move(*outcome);
}

void Client::cancel()
{
    State& s = *m_state;
    if (!s.active)
        return;
    if (s.retry_timer) {
        s.loop.cancel(s.retry_timer);
        s.retry_timer = 0;
        s.conclude(fail(ErrorCode::interrupted, "cancelled"));
        return;
    }
    if (!s.attempt)
        return;
    s.attempt->mark_cancelled();
    // Inside a curl callback the write callback aborts the transfer itself;
    // removing the handle there is not allowed.
    if (s.attempt->in_callback())
        return;
    s.multi.remove(s.attempt->easy());
    s.on_transfer_done(CURLE_ABORTED_BY_CALLBACK);
}

bool Client::busy() const
{
    return m_state->active;
}
const ClientStats& Client::stats() const
{
    return m_state->stats;
}

} // namespace ik::llm
