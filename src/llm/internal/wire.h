// Shared pieces of the four wire formats: arena string building, request
// assembly, HTTP error classification, in-stream error mapping, and the
// tool-call slot table that maps a wire key (block index, output_index,
// item id) onto ik's dense tool-call index.
//
// Everything returned lives in the arena passed in; nothing here owns memory.
#pragma once

#include <initializer_list>
#include <memory_resource>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/json.h"
#include "core/result.h"
#include "llm/event.h"
#include "llm/provider.h"

namespace ik::llm::wire {

// A pointer-sized, path-less reader for the streaming hot path. json::Field
// carries its path for precise error messages; decoders only read optional
// fields with fallbacks, so they use this instead (profiling showed Field's
// path copies at a quarter of decode time).
class View {
public:
    explicit View(const json::value& v)
        : m_v(&v)
    {
    }
    explicit View(const json::value* v)
        : m_v(v)
    {
    }
    View operator[](std::string_view key) const
    {
        if (!m_v || !m_v->is_object())
            return View(nullptr);
        return View(m_v->get_object().if_contains(boost::json::string_view(key.data(), key.size())));
    }
    View operator[](size_t i) const
    {
        return View(m_v && m_v->is_array() && i < m_v->get_array().size() ? &m_v->get_array()[i] : nullptr);
    }
    bool exists() const { return m_v != nullptr; }
    bool is_null() const { return !m_v || m_v->is_null(); }
    const json::value* get() const { return m_v; }
    size_t size() const
    {
        return !m_v ? 0 : m_v->is_array() ? m_v->get_array().size() : m_v->is_object() ? m_v->get_object().size() : 0;
    }
    std::string_view string_or(std::string_view fallback) const
    {
        return m_v && m_v->is_string() ? std::string_view(m_v->get_string().data(), m_v->get_string().size())
                                       : fallback;
    }
    int64_t integer_or(int64_t fallback) const
    {
        if (m_v && m_v->is_int64())
            return m_v->get_int64();
        if (m_v && m_v->is_uint64() && m_v->get_uint64() <= uint64_t(INT64_MAX))
            return static_cast<int64_t>(m_v->get_uint64());
        return fallback;
    }
    bool boolean_or(bool fallback) const { return m_v && m_v->is_bool() ? m_v->get_bool() : fallback; }

private:
    const json::value* m_v;
};

std::string_view join(mem::Arena& arena, std::initializer_list<std::string_view> parts);
// Serializes `v` into arena memory (no std::string).
std::string_view serialize(mem::Arena& arena, const json::value& v);
// A JSON string value (for keys/values borrowed from the request).
inline json::value str(mem::Arena& arena, std::string_view s)
{
    // Braces would pick json::value's initializer_list<value_ref> constructor
    // (the storage pointer as an element), which does not compile.
    // NOLINTNEXTLINE(modernize-return-braced-init-list): braces pick initializer_list<value_ref>
    return json::value(boost::json::string_view(s.data(), s.size()), json::storage(arena));
}
// `text` must be a JSON document (tool arguments, a schema); empty text is {}.
Result<json::value> parse_embedded(mem::Arena& arena, std::string_view text, std::string_view what);

HttpRequest make_request(
    mem::Arena& turn, std::string_view url, std::initializer_list<std::string_view> headers, const json::value& body);

// OpenAI's two APIs: a JSON POST for an SSE stream, with a Bearer key when
// there is one (local OpenAI-compatible servers often need none).
HttpRequest bearer_request(mem::Arena& turn, std::string_view url, std::string_view api_key, const json::value& body);

// "low" | "medium" | "high" — OpenAI's reasoning effort names for a level
// other than none.
std::string_view effort_name(ThinkingLevel level);

struct ProviderInfo {
    std::string_view name; // "OpenAI"
    std::string_view key_env; // "OPENAI_API_KEY"
};

// The message in a provider error body: {"error":{"message":...}}, Gemini's
// [{"error":...}], or the body itself when it is not JSON (trimmed, capped).
std::string error_message(std::string_view body);
// The error `type`/`code`/`status` string in the body, if any.
std::string error_type(std::string_view body);
Error classify(const ProviderInfo& info, int status, std::string_view body, std::string_view retry_after);
// An error object met inside a stream ({"type":"overloaded_error",...}).
ErrorCode code_for_stream_error(std::string_view type, std::string_view message);

// A JSON parse failure of one SSE event, with the event type and a preview.
Error malformed(std::string_view provider, const net::SseEvent& event, const Error& cause);

Result<void> emit_error(StreamSink& sink, ErrorCode code, std::string_view message);
FinishReason openai_finish(std::string_view reason);

// Maps wire keys to dense indexes 0, 1, 2... and remembers which are open.
class ToolSlots {
public:
    explicit ToolSlots(mem::Arena& turn)
        : m_slots(&turn)
    {
        m_slots.reserve(8);
    }
    // -1 if unknown.
    int find(int64_t key) const;
    int add(int64_t key);
    int count() const { return static_cast<int>(m_slots.size()); }
    bool is_open(int index) const { return m_slots[static_cast<size_t>(index)].open; }
    // Emits tool_call_end for one open slot / all open slots.
    Result<void> close(int index, StreamSink& sink);
    Result<void> close_all(StreamSink& sink);

private:
    struct Slot {
        int64_t key;
        bool open;
    };
    std::pmr::vector<Slot> m_slots;
};

} // namespace ik::llm::wire
