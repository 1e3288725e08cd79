// OpenAI Chat Completions: POST {base}/chat/completions with stream:true.
// Each SSE data line is one chat.completion.chunk; "[DONE]" ends the body.
// Also spoken by Ollama, llama.cpp, vLLM and OpenRouter, whose reasoning
// arrives as delta.reasoning_content or delta.reasoning.
#include "llm/providers/openai_chat.h"

#include <optional>
#include <vector>

#include "llm/internal/wire.h"

namespace ik::llm {

namespace {

constexpr wire::ProviderInfo info{ "OpenAI", "OPENAI_API_KEY" };

std::string_view data_url(mem::Arena& a, const Image& image)
{
    return wire::join(a, { "data:", image.media_type, ";base64,", image.data });
}

// A user message's content: its text, or with images a list of a text part
// and image_url parts carrying data: URLs.
json::value user_content(mem::Arena& a, std::string_view text, std::span<const Image> images)
{
    if (images.empty())
        return wire::str(a, text);
    json::array parts(json::storage(a));
    if (!text.empty()) {
        json::object t(json::storage(a));
        t["type"] = "text";
        t["text"] = wire::str(a, text);
        parts.push_back(std::move(t));
    }
    for (const Image& image : images) {
        json::object url(json::storage(a));
        url["url"] = wire::str(a, data_url(a, image));
        json::object p(json::storage(a));
        p["type"] = "image_url";
        p["image_url"] = std::move(url);
        parts.push_back(std::move(p));
    }
    return parts;
}

json::value message_json(mem::Arena& a, const Message& m)
{
    json::object o(json::storage(a));
    switch (m.role) {
    case Role::user:
        o["role"] = "user";
        o["content"] = user_content(a, m.text, m.images);
        break;
    case Role::assistant: {
        o["role"] = "assistant";
        o["content"] = m.text.empty() && !m.tool_calls.empty() ? json::value(nullptr) : wire::str(a, m.text);
        if (!m.tool_calls.empty()) {
            json::array calls(json::storage(a));
            for (const ToolCall& c : m.tool_calls) {
                json::object fn(json::storage(a));
                fn["name"] = wire::str(a, c.name);
                fn["arguments"] = wire::str(a, c.arguments.empty() ? std::string_view("{}") : c.arguments);
                json::object call(json::storage(a));
                call["id"] = wire::str(a, c.id);
                call["type"] = "function";
                call["function"] = std::move(fn);
                calls.push_back(std::move(call));
            }
            o["tool_calls"] = std::move(calls);
        }
        break;
    }
    case Role::tool:
        o["role"] = "tool";
        o["tool_call_id"] = wire::str(a, m.tool_call_id);
        o["content"] = wire::str(a, m.text);
        break;
    }
    return o;
}

class ChatDecoder final : public StreamDecoder {
public:
    explicit ChatDecoder(mem::Arena& turn)
        : m_turn(turn)
        , m_parser(turn)
        , m_slots(turn)
    {
    }

    Result<void> on_sse(const net::SseEvent& event, mem::Arena& scratch, StreamSink& sink) override
    {
        if (m_done)
            return {};
        if (event.data == "[DONE]")
            return finish(sink);
        auto parsed = m_parser.parse(event.data, scratch, "chat.completion.chunk");
        if (!parsed)
            return fail(wire::malformed("openai_chat", event, parsed.error()));
        const json::value& v = *parsed;
        if (!v.is_object())
            return fail(ErrorCode::parse, "openai_chat: SSE event data is {}, expected an object", json::kind_name(v));
        wire::View f(v);
        if (f["error"].exists() && !f["error"].is_null())
            return stream_error(f["error"], sink);
        if (!m_started) {
            m_started = true;
            Event e;
            e.kind = StreamEventKind::start;
            e.model = f["model"].string_or("");
            e.response_id = f["id"].string_or("");
            TRY(sink.on_event(e));
        }
        // With n > 1 the choices of one chunk are interleaved by `index`;
        // ik shows choice 0 only (a choice without an index is choice 0).
        wire::View choices = f["choices"];
        for (size_t i = 0; i < choices.size(); ++i)
            if (choices[i]["index"].integer_or(0) == 0) {
                TRY(choice(choices[i], sink));
                break;
            }
        if (f["usage"].exists() && !f["usage"].is_null())
            TRY(usage(f["usage"], sink));
        return {};
    }

    Result<void> on_end(mem::Arena&, StreamSink& sink) override
    {
        if (m_done)
            return {};
        if (m_reason.has_value()) // some servers omit [DONE]
            return finish(sink);
        m_done = true;
        return wire::emit_error(sink, ErrorCode::interrupted, "the stream ended before the response finished");
    }

private:
    Result<void> choice(wire::View c, StreamSink& sink)
    {
        wire::View d = c["delta"];
        for (auto key : { "reasoning_content", "reasoning" }) {
            std::string_view t = d[key].string_or("");
            if (!t.empty())
                TRY(emit(sink, StreamEventKind::thinking_delta, t));
        }
        if (std::string_view t = d["content"].string_or(""); !t.empty())
            TRY(emit(sink, StreamEventKind::text_delta, t));
        if (std::string_view t = d["refusal"].string_or(""); !t.empty()) {
            m_refused = true;
            TRY(emit(sink, StreamEventKind::text_delta, t));
        }
        wire::View calls = d["tool_calls"];
        for (size_t i = 0; i < calls.size(); ++i)
            TRY(tool_call(calls[i], i, sink));
        if (std::string_view r = c["finish_reason"].string_or(""); !r.empty()) {
            m_raw_reason = m_turn.copy(r);
            m_reason = wire::openai_finish(r);
            TRY(m_slots.close_all(sink));
        }
        return {};
    }

    // The key of a call fragment. Servers that omit `index` (some
    // OpenAI-compatible ones) send each call's fragments in their own
    // chunks: a new `id` starts a new call, a fragment without one continues
    // the last call, so parallel calls are never merged into one.
    int64_t call_key(wire::View t, size_t position)
    {
        if (wire::View i = t["index"]; i.exists())
            return i.integer_or(static_cast<int64_t>(position));
        constexpr int64_t unindexed = int64_t{ 1 } << 40; // never a real index
        std::string_view id = t["id"].string_or("");
        if (m_unindexed_calls == 0 || (!id.empty() && id != m_last_call_id)) {
            ++m_unindexed_calls;
            m_last_call_id = m_turn.copy(id);
        }
        return unindexed + m_unindexed_calls;
    }

    Result<void> tool_call(wire::View t, size_t position, StreamSink& sink)
    {
        int64_t key = call_key(t, position);
        int index = m_slots.find(key);
        if (index < 0) {
            index = m_slots.add(key);
            Event e;
            e.kind = StreamEventKind::tool_call_start;
            e.index = index;
            e.id = t["id"].string_or("");
            e.name = t["function"]["name"].string_or("");
            TRY(sink.on_event(e));
        }
        std::string_view args = t["function"]["arguments"].string_or("");
        if (args.empty())
            return {};
        Event e;
        e.kind = StreamEventKind::tool_call_delta;
        e.index = index;
        e.text = args;
        return sink.on_event(e);
    }

    Result<void> usage(wire::View u, StreamSink& sink)
    {
        Event e;
        e.kind = StreamEventKind::usage;
        e.usage.input = u["prompt_tokens"].integer_or(0);
        e.usage.output = u["completion_tokens"].integer_or(0);
        e.usage.cached = u["prompt_tokens_details"]["cached_tokens"].integer_or(0);
        e.usage.reasoning = u["completion_tokens_details"]["reasoning_tokens"].integer_or(0);
        return sink.on_event(e);
    }

    Result<void> stream_error(wire::View err, StreamSink& sink)
    {
        m_done = true;
        std::string_view message = err["message"].string_or("unknown error");
        std::string_view type = err["type"].string_or(err["code"].string_or(""));
        return wire::emit_error(sink, wire::code_for_stream_error(type, message), message);
    }

    Result<void> finish(StreamSink& sink)
    {
        m_done = true;
        TRY(m_slots.close_all(sink));
        Event e;
        e.kind = StreamEventKind::finish;
        e.finish = m_refused ? FinishReason::refusal : m_reason.value_or(FinishReason::stop);
        e.raw_reason = m_raw_reason;
        e.cut_tool_call = e.finish == FinishReason::length && m_slots.count() > 0;
        return sink.on_event(e);
    }

    static Result<void> emit(StreamSink& sink, StreamEventKind kind, std::string_view text)
    {
        Event e;
        e.kind = kind;
        e.text = text;
        return sink.on_event(e);
    }

    mem::Arena& m_turn;
    json::Parser m_parser;
    wire::ToolSlots m_slots;
    std::optional<FinishReason> m_reason;
    std::string_view m_raw_reason; // in the turn arena: survives the scratch reset
    std::string_view m_last_call_id; // in the turn arena; see call_key()
    int64_t m_unindexed_calls = 0;
    bool m_started = false;
    bool m_refused = false;
    bool m_done = false;
};

} // namespace

WireFormat OpenAiChat::format() const
{
    return WireFormat::openai_chat;
}
std::string_view OpenAiChat::default_base_url() const
{
    return "https://api.openai.com/v1";
}

Result<HttpRequest> OpenAiChat::build_request(mem::Arena& turn, const Endpoint& endpoint, const Request& request) const
{
    mem::Arena& a = turn;
    json::object body(json::storage(a));
    body["model"] = wire::str(a, request.model);
    body["stream"] = true;
    json::object opts(json::storage(a));
    opts["include_usage"] = true;
    body["stream_options"] = std::move(opts);
    json::array messages(json::storage(a));
    if (!request.system.empty()) {
        json::object sys(json::storage(a));
        sys["role"] = "system";
        sys["content"] = wire::str(a, request.system);
        messages.push_back(std::move(sys));
    }
    // A `tool` message carries text only in Chat Completions: the images of a
    // run of tool results go in one user message right after the run (never
    // inside it: the tool messages must follow their assistant message).
    std::vector<Image> tool_images;
    auto flush_tool_images = [&] {
        if (tool_images.empty())
            return;
        json::object u(json::storage(a));
        u["role"] = "user";
        u["content"] = user_content(a, "The images the tool calls above returned:", tool_images);
        messages.push_back(std::move(u));
        tool_images.clear();
    };
    for (const Message& m : request.messages) {
        if (m.role != Role::tool)
            flush_tool_images();
        messages.push_back(message_json(a, m));
        if (m.role == Role::tool)
            tool_images.insert(tool_images.end(), m.images.begin(), m.images.end());
    }
    flush_tool_images();
    body["messages"] = std::move(messages);
    if (!request.tools.empty()) {
        json::array tools(json::storage(a));
        for (const ToolSpec& t : request.tools) {
            json::object fn(json::storage(a));
            fn["name"] = wire::str(a, t.name);
            fn["description"] = wire::str(a, t.description);
            fn["parameters"] = TRY_CONTEXT(wire::parse_embedded(a, t.parameters, "tool schema"), "tool {}", t.name);
            json::object tool(json::storage(a));
            tool["type"] = "function";
            tool["function"] = std::move(fn);
            tools.push_back(std::move(tool));
        }
        body["tools"] = std::move(tools);
    }
    if (request.thinking != ThinkingLevel::none)
        body["reasoning_effort"] = wire::effort_name(request.thinking);
    if (!request.cache_key.empty())
        body["prompt_cache_key"] = wire::str(a, request.cache_key); // prompt caching: one cache per session
    if (request.max_tokens > 0)
        body["max_completion_tokens"] = request.max_tokens;
    std::string_view url = wire::join(a, { endpoint.base_url, "/chat/completions" });
    return wire::bearer_request(a, url, endpoint.api_key, body);
}

std::unique_ptr<StreamDecoder> OpenAiChat::make_decoder(mem::Arena& turn) const
{
    return std::make_unique<ChatDecoder>(turn);
}

Error OpenAiChat::classify_http_error(int status, std::string_view body, std::string_view retry_after) const
{
    return wire::classify(info, status, body, retry_after);
}

} // namespace ik::llm
