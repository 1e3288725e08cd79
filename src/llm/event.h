// The one normalized event stream (design.md §5).
//
// Every provider's wire format is mapped onto these events; the turn loop,
// the store, the renderer and headless output consume nothing else. A new
// provider is one file that maps its format onto them.
//
// Views inside an Event borrow from the per-event scratch arena and are valid
// only until the sink returns: a consumer copies what it keeps into its own
// arena (the turn's, the session's).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace ik::llm {

enum class StreamEventKind {
    start, // the response began; `model` and `response_id` may be set
    text_delta, // `text`
    thinking_delta, // `text` (reasoning summary or thinking); `signature` on Anthropic
    tool_call_start, // `index`, `id`, `name`; `signature` on Gemini (thoughtSignature)
    tool_call_delta, // `index`, `text` is a fragment of the JSON arguments
    tool_call_end, // `index`
    usage, // `usage` (cumulative for the response so far)
    finish, // `finish`, `raw_reason`, `cut_tool_call`; the last event of a successful stream
    error, // `error_code`, `text` (message), `retry_after_ms`; a failure inside the stream
    // The provider ran its own web search (Anthropic web_search, OpenAI
    // web_search_call, Gemini grounding): `text` is the query, possibly
    // empty; `raw_reason` the provider's error code when the search failed.
    search,
    // A web page the reply drew on: `text` its http(s) URL, `name` its title
    // (possibly empty); `index` 1 when the reply cites it, 0 when it is only
    // a search result. Both untrusted; llm/internal/search_wire.h caps them.
    source,
};

enum class FinishReason {
    stop, // the model finished its answer
    length, // max tokens reached
    tool_calls, // the model wants tools run
    content_filter, // the provider filtered the output
    refusal, // the model refused
    error, // the stream ended in an error event
    other, // anything else; see raw_reason
};

struct Usage {
    int64_t input = 0; // prompt tokens, including cached ones
    int64_t output = 0; // completion tokens, including reasoning
    int64_t cached = 0; // prompt tokens served from the provider's cache
    int64_t reasoning = 0; // of `output`, the reasoning/thinking tokens, where reported
};

struct Event {
    StreamEventKind kind = StreamEventKind::start;
    std::string_view text;
    std::string_view id;
    std::string_view name;
    std::string_view signature;
    std::string_view model;
    std::string_view response_id;
    std::string_view raw_reason;
    int index = 0;
    Usage usage;
    FinishReason finish = FinishReason::stop;
    ErrorCode error_code = ErrorCode::provider;
    int64_t retry_after_ms = -1;
    // finish: the output limit (FinishReason::length) cut the last tool
    // call's arguments off. The calls of this reply must not be run; the text
    // stays, and the user or model is told the call was cut off.
    bool cut_tool_call = false;
};

std::string_view to_string(StreamEventKind kind);
std::string_view to_string(FinishReason reason);

// Receives normalized events. Implemented by the turn loop, headless output,
// tests. Returning an error stops the stream (e.g. the store failed).
class StreamSink {
public:
    virtual ~StreamSink() = default;
    virtual Result<void> on_event(const Event& event) = 0;
};

} // namespace ik::llm
