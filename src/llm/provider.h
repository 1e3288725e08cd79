// A provider maps one wire format onto ik's request and event model.
//
// Four wire formats cover every major API: OpenAI Chat Completions (also any
// OpenAI-compatible server: Ollama, llama.cpp, vLLM, OpenRouter), OpenAI
// Responses, Anthropic Messages and Gemini streamGenerateContent?alt=sse.
// A provider is stateless; the per-response state (open tool calls, block
// indexes) lives in the StreamDecoder it makes for each response.
//
// The HTTP client (llm/client.h) owns the transport: it calls
// build_request(), feeds each SSE event of the body to the decoder, and on a
// non-2xx status asks classify_http_error() what went wrong.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/arena.h"
#include "core/result.h"
#include "llm/event.h"
#include "llm/request.h"
#include "net/sse.h"

namespace ik::llm {

enum class WireFormat { openai_chat, openai_responses, anthropic, gemini };

std::string_view to_string(WireFormat format);

// Where and as whom to send. Borrowed from the config.
struct Endpoint {
    std::string_view base_url; // e.g. "https://api.openai.com/v1"; no trailing slash
    std::string_view api_key; // may be empty (local servers)
};

// A ready-to-send request. Every view points into the turn arena passed to
// build_request().
struct HttpRequest {
    std::string_view url;
    std::span<const std::string_view> headers; // "Name: value" lines, curl style
    std::string_view body; // JSON text
};

class StreamDecoder {
public:
    virtual ~StreamDecoder() = default;
    // Maps one SSE event onto zero or more normalized events. `scratch` is
    // reset by the caller after this returns. Unknown event or block types
    // are skipped, not errors; malformed JSON is an ErrorCode::parse error.
    virtual Result<void> on_sse(const net::SseEvent& event, mem::Arena& scratch, StreamSink& sink) = 0;
    // The body ended. Emits whatever the format implies (e.g. a finish that
    // never came is an error event with ErrorCode::interrupted... or nothing
    // if `finish` was already sent).
    virtual Result<void> on_end(mem::Arena& scratch, StreamSink& sink) = 0;
};

class Provider {
public:
    virtual ~Provider() = default;
    virtual WireFormat format() const = 0;
    // The default base URL of the provider's public API.
    virtual std::string_view default_base_url() const = 0;
    // Serializes `request` into the wire format, in `turn`.
    virtual Result<HttpRequest> build_request(
        mem::Arena& turn, const Endpoint& endpoint, const Request& request) const = 0;
    // Per-response state. Small; one per HTTP attempt.
    virtual std::unique_ptr<StreamDecoder> make_decoder(mem::Arena& turn) const = 0;
    // A non-2xx reply: sort it into a category (auth, rate_limit, overloaded,
    // bad_request, context_too_long, provider) with a message the user can
    // act on. `retry_after` is the Retry-After header, if any. Whether the
    // failure is retried follows from the code alone (llm/retry.h).
    virtual Error classify_http_error(int status, std::string_view body, std::string_view retry_after) const = 0;
};

const Provider& provider_for(WireFormat format);

} // namespace ik::llm
