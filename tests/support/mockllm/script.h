// ik-mockllm's script: what to answer to each request, in order.
//
// A script is a JSON list of responses (or {"responses": [...]}). Each
// response is rendered in the wire format implied by the request path, so one
// script serves OpenAI Chat, OpenAI Responses, Anthropic and Gemini alike.
// docs/testing.md documents the format. The renderer turns a response into a
// list of actions (send these bytes, sleep, stall, drop) that the server plays.
//
// Owns: everything (plain std::string values; this is a test tool).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mockllm {

enum class Format { openai_chat, openai_responses, anthropic, gemini, unknown };
Format format_for_path(std::string_view path);
std::string_view format_name(Format f);

struct ToolCall {
    std::string id;
    std::string name;
    std::string arguments; // JSON text
};

struct Step {
    enum class Kind {
        text,
        thinking,
        tool_calls,
        delay,
        stall,
        drop,
        malformed,
        raw,
        error,
        flood, // `text` (raw bytes) sent again and again; see Action::Kind::flood
        endless_text, // a text delta of `text` in the format's shape, as a flood
        comments, // the SSE comment ": <text>", as a flood
        search, // a server-side web search: `text` the query, `sources`, `error_type` an error code
    } kind
        = Kind::text;
    std::string text; // text / thinking / raw bytes / error message
    std::string error_type; // error: e.g. overloaded_error
    size_t chunk = 0; // split text/thinking/arguments into pieces of this many bytes; 0: whole
    int ms = 0; // delay / stall duration
    std::vector<ToolCall> calls;
    size_t total_bytes = 0; // flood: stop after this many bytes; 0: no bound
    int for_ms = 0; // flood: stop after this long; 0: no bound
    std::vector<std::pair<std::string, std::string>> sources; // search: (url, title), cited by the text after
};

struct Usage {
    long input = 0, output = 0, cached = 0, reasoning = 0;
    bool present = false;
};

struct Response {
    int status = 200;
    std::map<std::string, std::string> headers;
    std::string body; // non-200: the body; "" means a format-specific default
    std::vector<Step> steps;
    Usage usage;
    std::string finish; // stop | length | tool_calls; "" = inferred
    std::string model = "mock-model";
    std::string match; // non-empty: answers every request whose body contains this (never used up)
};

// A model with a context window, for compaction tests: a request's prompt
// tokens are its body's bytes / bytes_per_token; past `window` the server
// answers with the provider's own context-length error (using up no
// response), and a response without scripted usage reports the count.
struct Window {
    long tokens = 0; // 0: no window, no counting
    long bytes_per_token = 4;
};

struct Script {
    std::vector<Response> responses; // in order
    std::vector<Response> matched; // by "match"
    Window window;
    int max_requests = 0; // 0: the command line's
    // Ollama's POST /api/show: "show" in the script is the answer (an
    // object is sent as JSON, a string verbatim, to test bad answers), with
    // "show_status" (200) and "show_delay_ms" (0). No "show": 404, as a
    // server that is not Ollama.
    std::string show_body;
    bool has_show = false;
    int show_status = 200;
    long show_delay_ms = 0;
};

// Parses script text; on error returns false and sets `error`. A response
// with "times": N is repeated N times.
bool parse_script(std::string_view text, Script& out, std::string& error);

// The prompt tokens of a request body under `window`.
long prompt_tokens(const Window& window, std::string_view body);

// The provider's context-length error body (HTTP 400) for a prompt of
// `tokens` against a window of `window` tokens.
std::string context_error_body(Format f, long tokens, long window);

struct Action {
    // flood: `bytes` sent repeatedly, `ms` apart, until `total_bytes` or
    // `for_ms` (0: unbounded), the client hangs up, or the server stops.
    enum class Kind { send, sleep, stall, drop, flood } kind = Kind::send;
    std::string bytes;
    int ms = 0;
    size_t total_bytes = 0;
    int for_ms = 0;
};

// The whole reply body for a 200 response, as actions.
std::vector<Action> render(const Response& r, Format f);

// A default error body for a non-200 response.
std::string default_error_body(Format f, int status);

} // namespace mockllm
