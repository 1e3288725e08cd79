// One HTTP attempt of a Client request: the curl easy handle, the SSE
// parser, the provider's decoder, and a gate in front of the caller's sink.
//
// The gate decides what a failure means: an overloaded/rate-limit error
// event before any content makes the attempt retryable (and is not shown to
// the sink); once content went through, nothing is retried.
//
// Owns: the easy handle, header list, decoder, scratch arena. Borrows: the
// turn arena (request and decoder memory), provider, sink, loop.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/arena.h"
#include "core/loop.h"
#include "llm/client.h"
#include "llm/provider.h"
#include "net/http_handles.h"
#include "net/sse.h"

namespace ik::llm::internal {

class Attempt final : public StreamSink {
public:
    struct Outcome {
        Result<void> result;
        bool retryable = false;
        int64_t retry_after_ms = -1;
        std::string what; // "overloaded (529)" for the retry notice
    };

    Attempt(mem::Arena& turn, const Provider& provider, StreamSink& sink, const StreamLimits& limits);
    ~Attempt() override;
    Attempt(const Attempt&) = delete;
    Attempt& operator=(const Attempt&) = delete;

    Result<void> setup(const HttpRequest& request, std::chrono::milliseconds connect_timeout);
    CURL* easy() const { return m_easy.get(); }

    // After curl finished (or the watchdog/cancel removed the handle).
    Outcome finish(CURLcode rc, std::chrono::milliseconds idle_timeout);

    void mark_cancelled() { m_cancelled = true; }
    void mark_idle_timeout() { m_idle_timeout = true; }
    // The request's overall deadline passed (ClientOptions::reply_deadline).
    void mark_deadline(std::chrono::milliseconds deadline)
    {
        m_deadline_hit = true;
        m_deadline = deadline;
    }
    bool in_callback() const { return m_in_callback; }
    Loop::Clock::time_point last_byte() const { return m_last_byte; }
    int status() const { return static_cast<int>(m_status); }
    bool streamed() const { return m_streamed; }

    // StreamSink: the gate.
    Result<void> on_event(const Event& event) override;

private:
    static size_t on_body(char* data, size_t size, size_t count, void* self);
    static size_t on_header(char* data, size_t size, size_t count, void* self);
    size_t body(std::string_view bytes);
    Result<void> feed(std::string_view bytes);
    Result<void> end_of_body();
    // What a 200 body that was not (only) an event stream really said: a raw
    // JSON error object after the events, or no events at all (HTML, JSON).
    std::optional<Error> stray_error() const;

    mem::Arena& m_turn;
    const Provider& m_provider;
    StreamSink& m_sink;
    net::CurlEasy m_easy;
    net::CurlSlist m_headers;
    mem::Arena m_scratch; // one SSE event's JSON; reset after each event
    mem::Arena m_sse_arena; // the SSE parser's buffers, for this attempt
    std::unique_ptr<StreamDecoder> m_decoder;
    std::optional<net::SseParser> m_sse;

    long m_status = 0;
    std::string m_error_body; // a non-2xx body, capped
    std::string m_retry_after; // header values
    std::string m_retry_after_ms;
    std::string m_content_type;
    std::string m_url;
    Loop::Clock::time_point m_last_byte;

    std::optional<Error> m_abort; // the sink or decoder failed: stop
    std::optional<Error> m_stream_error; // an error event went to the sink
    std::optional<Error> m_retry_error; // a retryable error event before content
    int64_t m_event_retry_after_ms = -1;
    StreamLimits m_limits;
    size_t m_reply_bytes = 0; // content delivered to the sink
    std::chrono::milliseconds m_deadline{ 0 };
    bool m_deadline_hit = false;
    bool m_streamed = false;
    bool m_finished = false;
    bool m_cancelled = false;
    bool m_idle_timeout = false;
    bool m_in_callback = false;
};

} // namespace ik::llm::internal
