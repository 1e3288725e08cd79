#include "llm/internal/wire.h"

#include <ctime>

#include <boost/json/serializer.hpp>

#include "llm/retry.h"

namespace ik::llm::wire {

std::string_view join(mem::Arena& arena, std::initializer_list<std::string_view> parts)
{
    size_t n = 0;
    for (auto p : parts)
        n += p.size();
    char* out = static_cast<char*>(arena.alloc(n, 1));
    size_t at = 0;
    for (auto p : parts) {
        std::copy(p.begin(), p.end(), out + at);
        at += p.size();
    }
    return { out, n };
}

std::string_view serialize(mem::Arena& arena, const json::value& v)
{
    auto* out = arena.make<std::pmr::string>(&arena); // never destroyed: arena memory
    out->reserve(1024);
    boost::json::serializer sr; // request building is off the hot path
    sr.reset(&v);
    char buf[4096];
    while (!sr.done()) {
        auto piece = sr.read(buf, sizeof buf);
        out->append(piece.data(), piece.size());
    }
    return *out;
}

Result<json::value> parse_embedded(mem::Arena& arena, std::string_view text, std::string_view what)
{
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return json::value(json::object(json::storage(arena)));
    return json::parse(arena, text, what);
}

HttpRequest make_request(
    mem::Arena& turn, std::string_view url, std::initializer_list<std::string_view> headers, const json::value& body)
{
    auto* lines = turn.make_array<std::string_view>(headers.size());
    size_t i = 0;
    for (auto h : headers)
        ::new (&lines[i++]) std::string_view(h);
    return HttpRequest{ .url = url, .headers = { lines, headers.size() }, .body = serialize(turn, body) };
}

HttpRequest bearer_request(mem::Arena& turn, std::string_view url, std::string_view api_key, const json::value& body)
{
    if (api_key.empty())
        return make_request(turn, url, { "Content-Type: application/json", "Accept: text/event-stream" }, body);
    return make_request(turn, url,
        { "Content-Type: application/json", "Accept: text/event-stream",
            join(turn, { "Authorization: Bearer ", api_key }) },
        body);
}

std::string_view effort_name(ThinkingLevel level)
{
    switch (level) {
    case ThinkingLevel::low:
        return "low";
    case ThinkingLevel::medium:
        return "medium";
    case ThinkingLevel::none:
    case ThinkingLevel::high:
        break;
    }
    return "high";
}

namespace {

const json::value* error_object(const json::value& v)
{
    const json::value* e = &v;
    if (e->is_array() && !e->as_array().empty())
        e = &e->as_array()[0];
    if (!e->is_object())
        return nullptr;
    if (auto* inner = e->as_object().if_contains("error"); inner && inner->is_object())
        return inner;
    return e;
}

std::string field_string(const json::value* e, std::initializer_list<std::string_view> keys)
{
    if (!e || !e->is_object())
        return {};
    for (auto k : keys)
        if (auto* f = e->as_object().if_contains(k); f && f->is_string())
            return std::string(f->as_string());
    return {};
}

bool contains(std::string_view hay, std::string_view needle)
{
    return hay.find(needle) != std::string_view::npos;
}

bool looks_like_context_overflow(std::string_view text)
{
    for (auto needle : { "context_length_exceeded", "prompt is too long", "maximum context length", "context window",
             "too many tokens", "input token count", "exceeds the context" })
        if (contains(text, needle))
            return true;
    return false;
}

} // namespace

std::string error_message(std::string_view body)
{
    mem::Arena tmp(mem::root(), "http-error");
    if (auto v = json::parse(tmp, body, "error body"); v.has_value()) {
        std::string m = field_string(error_object(*v), { "message", "detail" });
        if (!m.empty())
            return m;
    }
    std::string_view text = body.substr(0, 300);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.remove_suffix(1);
    return text.empty() ? std::string("(empty body)") : std::string(text);
}

std::string error_type(std::string_view body)
{
    mem::Arena tmp(mem::root(), "http-error");
    if (auto v = json::parse(tmp, body, "error body"); v.has_value())
        return field_string(error_object(*v), { "type", "code", "status" });
    return {};
}

Error classify(const ProviderInfo& info, int status, std::string_view body, std::string_view retry_after)
{
    std::string message = error_message(body);
    std::string type = error_type(body);
    if (status == 401 || status == 403)
        return Error::make(ErrorCode::auth, "{} rejected the credentials (HTTP {}): {}; check {}", info.name, status,
            message, info.key_env);
    if (status == 429 && (type == "insufficient_quota" || contains(message, "exceeded your current quota")))
        return Error::make(ErrorCode::provider,
            "{} says the account has no quota left (HTTP 429 insufficient_quota): {}; check the plan and billing, "
            "waiting will not help",
            info.name, message);
    if (status == 429) {
        int64_t ms = parse_retry_after(retry_after, static_cast<int64_t>(std::time(nullptr)));
        if (ms >= 0)
            return Error::make(ErrorCode::rate_limit, "{} rate limit (HTTP 429): {}; retry after {} s", info.name,
                message, (ms + 999) / 1000);
        return Error::make(ErrorCode::rate_limit, "{} rate limit (HTTP 429): {}", info.name, message);
    }
    // Every 5xx (529 included) and 408 are worth another attempt; the code
    // carries that decision to is_retryable() (llm/retry.h).
    if (status == 408)
        return Error::make(ErrorCode::timeout, "{} timed out reading the request (HTTP 408): {}", info.name, message);
    if ((status >= 500 && status <= 599) || type == "overloaded_error")
        return Error::make(
            ErrorCode::overloaded, "{} is overloaded or failing (HTTP {}): {}", info.name, status, message);
    if (status >= 400 && status < 500) {
        if (looks_like_context_overflow(message) || looks_like_context_overflow(type))
            return Error::make(ErrorCode::context_too_long, "the conversation is too long for the model (HTTP {}): {}",
                status, message);
        return Error::make(ErrorCode::bad_request, "{} rejected the request (HTTP {}): {}", info.name, status, message);
    }
    return Error::make(ErrorCode::provider, "{} failed (HTTP {}): {}", info.name, status, message);
}

ErrorCode code_for_stream_error(std::string_view type, std::string_view message)
{
    if (contains(type, "overloaded") || type == "server_error" || type == "api_error" || type == "UNAVAILABLE"
        || type == "INTERNAL")
        return ErrorCode::overloaded;
    if (contains(type, "rate_limit") || type == "RESOURCE_EXHAUSTED")
        return ErrorCode::rate_limit;
    if (looks_like_context_overflow(type) || looks_like_context_overflow(message))
        return ErrorCode::context_too_long;
    if (contains(type, "authentication") || contains(type, "permission") || type == "UNAUTHENTICATED"
        || type == "PERMISSION_DENIED")
        return ErrorCode::auth;
    if (contains(type, "invalid_request") || type == "INVALID_ARGUMENT")
        return ErrorCode::bad_request;
    return ErrorCode::provider;
}

Error malformed(std::string_view provider, const net::SseEvent& event, const Error& cause)
{
    std::string_view preview = event.data.substr(0, 80);
    return Error::make(ErrorCode::parse, "{}: malformed JSON in SSE event '{}': {} (data starts: {})", provider,
        event.type, cause.message(), preview);
}

Result<void> emit_error(StreamSink& sink, ErrorCode code, std::string_view message)
{
    Event e;
    e.kind = StreamEventKind::error;
    e.error_code = code;
    e.text = message;
    return sink.on_event(e);
}

FinishReason openai_finish(std::string_view reason)
{
    if (reason == "stop")
        return FinishReason::stop;
    if (reason == "length" || reason == "max_output_tokens")
        return FinishReason::length;
    if (reason == "tool_calls" || reason == "function_call")
        return FinishReason::tool_calls;
    if (reason == "content_filter")
        return FinishReason::content_filter;
    return FinishReason::other;
}

int ToolSlots::find(int64_t key) const
{
    for (size_t i = 0; i < m_slots.size(); ++i)
        if (m_slots[i].key == key)
            return static_cast<int>(i);
    return -1;
}

int ToolSlots::add(int64_t key)
{
    m_slots.push_back({ key, true });
    return static_cast<int>(m_slots.size() - 1);
}

Result<void> ToolSlots::close(int index, StreamSink& sink)
{
    auto& slot = m_slots[static_cast<size_t>(index)];
    if (!slot.open)
        return {};
    slot.open = false;
    Event e;
    e.kind = StreamEventKind::tool_call_end;
    e.index = index;
    return sink.on_event(e);
}

Result<void> ToolSlots::close_all(StreamSink& sink)
{
    for (int i = 0; i < count(); ++i)
        TRY(close(i, sink));
    return {};
}

} // namespace ik::llm::wire
