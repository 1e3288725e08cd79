// ik::llm::Client — streams one model response at a time over HTTP.
//
// Data flow: Provider::build_request() → libcurl (multi interface on the
// caller's ik::Loop, see http_multi.h) → body bytes → SseParser → the
// provider's StreamDecoder → normalized events (event.h) → the caller's
// StreamSink. Everything runs on the loop thread; nothing blocks.
//
// Around that pipe the client adds what every provider needs: a connect
// timeout, an idle-stream watchdog (no byte for idle_timeout aborts the
// attempt with ErrorCode::timeout), an overall reply deadline, byte caps on
// lines, events and the reply (StreamLimits), retries with exponential backoff and full
// jitter on 429/5xx/529 and on overloaded errors that arrive before any
// content (see retry.h; each retry is announced through `notice`), no retry
// once content reached the sink, errors sorted into categories (auth,
// rate_limit, overloaded, bad_request, context_too_long, network, timeout,
// interrupted) with a message a user can act on, and cancel() for Ctrl-C.
//
// Memory: the request (URL, headers, body) and the decoder live in the
// caller's per-turn arena; each SSE event is decoded into a scratch arena
// (a child of the turn arena) that is reset after the event, so a streamed
// delta costs zero heap allocations in steady state. Event views are valid
// only during StreamSink::on_event (event.h).
//
// Usage — one request, then a follow-up (tool results) on the same loop:
//
//   Loop loop;
//   Client client(loop, {.idle_timeout = 60s});
//   mem::Arena turn(session, "turn");
//   Result<void> r = client.run(turn, provider, endpoint, request, sink);
//   // ... run the tools, append results to the conversation, then:
//   mem::Arena turn2(session, "turn");
//   r = client.run(turn2, provider, endpoint, follow_up, sink);
//
// or asynchronously, with other work on the loop meanwhile:
//
//   TRY(client.start(turn, provider, endpoint, request, sink, [&](Result<void> r) { ... }));
//   loop.watch_signal(SIGINT, [&](int) { client.cancel(); });  // done gets ErrorCode::interrupted
//
// Owns: the curl handles and per-request state. Borrows: the loop (for its
// lifetime), and during a request the turn arena, provider, endpoint,
// request and sink — they must stay alive until `done` has run.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "core/arena.h"
#include "core/loop.h"
#include "core/result.h"
#include "llm/provider.h"
#include "llm/retry.h"

namespace ik::llm {

// Every byte a provider sends passes one of these caps (config key `limits`).
// Past a cap the reply ends with ErrorCode::cap_exceeded; what reached the
// sink before stays delivered, nothing beyond the cap is buffered.
struct StreamLimits {
    size_t sse_line_bytes = size_t{ 4 } << 20; // one SSE line
    size_t sse_event_bytes = size_t{ 4 } << 20; // one SSE event's data
    size_t reply_bytes = size_t{ 8 } << 20; // one reply: text, thinking and tool-call arguments
};

struct ClientOptions {
    std::chrono::milliseconds connect_timeout{ 10'000 };
    // No byte for this long aborts an attempt (retried before content). SSE
    // comments count as bytes: queueing proxies send them to keep a request
    // alive, so the idle watchdog alone never ends a stream that trickles.
    std::chrono::milliseconds idle_timeout{ 60'000 };
    // The whole request, retries included, may take at most this long; then
    // it ends with ErrorCode::timeout (never retried). 0: no deadline.
    std::chrono::milliseconds reply_deadline{ 1'800'000 };
    StreamLimits limits;
    RetryPolicy retry;
    // Progress lines such as "overloaded (529), retrying in 1.2 s (attempt 2
    // of 4)". Default (empty): written to stderr as "ik: <line>".
    std::function<void(std::string_view line)> notice;
};

// What happened in the last request; for logs and tests.
struct ClientStats {
    int attempts = 0; // HTTP attempts made (1 + retries)
    int http_status = 0; // of the last attempt; 0 if no response
    bool streamed = false; // content reached the sink
};

class Client {
public:
    using DoneCallback = std::function<void(Result<void> result)>;

    Client(Loop& loop, ClientOptions options = {});
    // What it was made with (a second client for a background agent copies them).
    const ClientOptions& options() const;
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Starts one streamed response. Returns an error only if the request
    // could not be built (then `done` is never called); otherwise `done` runs
    // exactly once, from the loop, with success (a finish event was
    // delivered) or the final error after retries. `done` may start the next
    // request. Only one request at a time: start() while busy() is a bug.
    Result<void> start(mem::Arena& turn, const Provider& provider, const Endpoint& endpoint, const Request& request,
        StreamSink& sink, DoneCallback done);

    // start(), then runs the loop until done. Other loop users keep running.
    Result<void> run(
        mem::Arena& turn, const Provider& provider, const Endpoint& endpoint, const Request& request, StreamSink& sink);

    // Aborts the request in flight (or the wait before a retry): `done` gets
    // ErrorCode::interrupted. Safe to call from any loop callback, including
    // from inside the sink. No-op when idle.
    void cancel();

    bool busy() const;
    const ClientStats& stats() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace ik::llm
