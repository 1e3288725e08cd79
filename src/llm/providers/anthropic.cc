// Anthropic Messages: POST {base}/messages with stream:true. Named SSE events
// message_start, content_block_start/delta/stop (keyed by the content block
// `index`), message_delta (stop_reason, output usage), message_stop, ping and
// error. Thinking comes back as thinking blocks whose signature must be sent
// back with the next request.
//
// Web search (server side): a server_tool_use block (its query streamed as
// input_json_delta), a web_search_tool_result block (the results, or an
// error code), and citations_delta on the text that cites them. Only the
// text goes back in later requests: the result blocks (with their encrypted
// content, tens of kilobytes) are not re-sent, which the API allows; the
// sources are kept in ik's store instead (docs/extensions.md).
#include "llm/providers/anthropic.h"

#include "llm/internal/search_wire.h"
#include "llm/internal/wire.h"

namespace ik::llm {

namespace {

constexpr wire::ProviderInfo info{ "Anthropic", "ANTHROPIC_API_KEY" };

int64_t budget_for(ThinkingLevel level)
{
    switch (level) {
    case ThinkingLevel::none:
        return 0;
    case ThinkingLevel::low:
        return 1024;
    case ThinkingLevel::medium:
        return 8192;
    case ThinkingLevel::high:
        return 24576;
    }
    return 0;
}

json::object block(mem::Arena& a, std::string_view type)
{
    json::object o(json::storage(a));
    o["type"] = type;
    return o;
}

// An `image` block with a base64 source.
json::object image_block(mem::Arena& a, const Image& image)
{
    json::object source = block(a, "base64");
    source["media_type"] = wire::str(a, image.media_type);
    source["data"] = wire::str(a, image.data);
    json::object b = block(a, "image");
    b["source"] = std::move(source);
    return b;
}

// A tool result's content: its text alone, or (with images) a list of a text
// block and the image blocks, which Anthropic accepts inside tool_result.
json::value tool_result_content(mem::Arena& a, const Message& m)
{
    if (m.images.empty())
        return wire::str(a, m.text);
    json::array content(json::storage(a));
    if (!m.text.empty()) {
        json::object t = block(a, "text");
        t["text"] = wire::str(a, m.text);
        content.push_back(std::move(t));
    }
    for (const Image& image : m.images)
        content.push_back(image_block(a, image));
    return content;
}

Result<json::array> assistant_content(mem::Arena& a, const Message& m)
{
    json::array content(json::storage(a));
    if (!m.thinking.empty() && !m.thinking_signature.empty()) {
        json::object b = block(a, "thinking");
        b["thinking"] = wire::str(a, m.thinking);
        b["signature"] = wire::str(a, m.thinking_signature);
        content.push_back(std::move(b));
    }
    if (!m.text.empty()) {
        json::object b = block(a, "text");
        b["text"] = wire::str(a, m.text);
        content.push_back(std::move(b));
    }
    for (const ToolCall& c : m.tool_calls) {
        json::object b = block(a, "tool_use");
        b["id"] = wire::str(a, c.id);
        b["name"] = wire::str(a, c.name);
        b["input"] = TRY_CONTEXT(wire::parse_embedded(a, c.arguments, "tool arguments"), "tool call {}", c.id);
        content.push_back(std::move(b));
    }
    return content;
}

// Anthropic wants strictly alternating roles: consecutive tool results (and a
// user message right after them) share one user turn.
Result<json::array> messages_json(mem::Arena& a, const Request& request)
{
    json::array out(json::storage(a));
    json::array* open_user = nullptr;
    for (const Message& m : request.messages) {
        if (m.role == Role::assistant) {
            json::object o(json::storage(a));
            o["role"] = "assistant";
            o["content"] = TRY(assistant_content(a, m));
            out.push_back(std::move(o));
            open_user = nullptr;
            continue;
        }
        if (!open_user) {
            json::object o(json::storage(a));
            o["role"] = "user";
            o["content"] = json::array(json::storage(a));
            out.push_back(std::move(o));
            open_user = &out.back().as_object()["content"].as_array();
        }
        if (m.role == Role::user) {
            // Images first: Anthropic's vision guide finds image-then-text works best.
            for (const Image& image : m.images)
                open_user->push_back(image_block(a, image));
            json::object b = block(a, "text");
            b["text"] = wire::str(a, m.text);
            open_user->push_back(std::move(b));
        } else {
            json::object b = block(a, "tool_result");
            b["tool_use_id"] = wire::str(a, m.tool_call_id);
            b["content"] = tool_result_content(a, m);
            if (m.is_error)
                b["is_error"] = true;
            open_user->push_back(std::move(b));
        }
    }
    return out;
}

json::object cache_control(mem::Arena& a)
{
    return block(a, "ephemeral");
}

// The cache breakpoint on the last message: its last block that may carry one
// (thinking blocks may not).
void mark_last_block(mem::Arena& a, json::array& messages)
{
    if (messages.empty())
        return;
    json::object* last = nullptr;
    for (json::value& block : messages.back().as_object()["content"].as_array()) {
        json::object& b = block.as_object();
        std::string_view type = b["type"].as_string();
        if (type != "thinking" && type != "redacted_thinking")
            last = &b;
    }
    if (last)
        (*last)["cache_control"] = cache_control(a);
}

FinishReason finish_for(std::string_view reason)
{
    if (reason == "end_turn" || reason == "stop_sequence")
        return FinishReason::stop;
    if (reason == "max_tokens" || reason == "model_context_window_exceeded")
        return FinishReason::length;
    if (reason == "tool_use")
        return FinishReason::tool_calls;
    if (reason == "refusal")
        return FinishReason::refusal;
    return FinishReason::other;
}

// Almost every event of a reply is one text (or thinking) delta, always in
// this shape: {"type":"content_block_delta","index":0,"delta":{"type":
// "text_delta","text":"…"}}. Such an event is read by comparing bytes
// instead of parsing it (a DOM per event was most of `ik -p`'s own work,
// docs/perf.md); any other event, or one of this shape whose text has
// escapes, goes to the parser.
struct PlainDelta {
    StreamEventKind kind;
    std::string_view text;
};

std::optional<PlainDelta> plain_delta(std::string_view data)
{
    constexpr std::string_view head = R"({"type":"content_block_delta","index":)";
    if (!data.starts_with(head))
        return std::nullopt;
    size_t end = data.find_first_not_of("0123456789", head.size());
    size_t digits = end == std::string_view::npos ? 0 : end - head.size();
    if (digits == 0 || digits > 9 || (digits > 1 && data[head.size()] == '0'))
        return std::nullopt; // JSON has no leading zeros
    std::string_view rest = data.substr(end);
    if (auto text = json::plain_string_in(rest, R"(,"delta":{"type":"text_delta","text":")", R"("}})"))
        return PlainDelta{ StreamEventKind::text_delta, *text };
    if (auto text = json::plain_string_in(rest, R"(,"delta":{"type":"thinking_delta","thinking":")", R"("}})"))
        return PlainDelta{ StreamEventKind::thinking_delta, *text };
    return std::nullopt;
}

class AnthropicDecoder final : public StreamDecoder {
public:
    explicit AnthropicDecoder(mem::Arena& turn)
        : m_turn(turn)
        , m_parser(turn)
        , m_slots(turn)
        , m_query(&turn)
    {
    }

    Result<void> on_sse(const net::SseEvent& event, mem::Arena& scratch, StreamSink& sink) override
    {
        if (m_done)
            return {};
        if (auto plain = plain_delta(event.data)) {
            Event e;
            e.kind = plain->kind;
            e.text = plain->text;
            return sink.on_event(e);
        }
        auto parsed = m_parser.parse(event.data, scratch, "Anthropic stream event");
        if (!parsed)
            return fail(wire::malformed("anthropic", event, parsed.error()));
        if (!parsed->is_object())
            return fail(
                ErrorCode::parse, "anthropic: SSE event data is {}, expected an object", json::kind_name(*parsed));
        wire::View f(*parsed);
        std::string_view type = f["type"].string_or(event.type);
        if (type == "content_block_delta")
            return delta(f, sink);
        if (type == "content_block_start")
            return block_start(f, sink);
        if (type == "content_block_stop") {
            if (m_search_block >= 0 && f["index"].integer_or(-1) == m_search_block)
                return search_stop(scratch, sink);
            int index = m_slots.find(f["index"].integer_or(-1));
            return index < 0 ? Result<void>{} : m_slots.close(index, sink);
        }
        if (type == "message_start")
            return message_start(f["message"], sink);
        if (type == "message_delta")
            return message_delta(f, sink);
        if (type == "message_stop")
            return finish(sink);
        if (type == "error") {
            m_done = true;
            std::string_view etype = f["error"]["type"].string_or("");
            std::string_view message = f["error"]["message"].string_or("unknown error");
            return wire::emit_error(sink, wire::code_for_stream_error(etype, message), message);
        }
        return {}; // ping and unknown future events
    }

    Result<void> on_end(mem::Arena&, StreamSink& sink) override
    {
        if (m_done)
            return {};
        m_done = true;
        return wire::emit_error(sink, ErrorCode::interrupted, "the stream ended before message_stop");
    }

private:
    Result<void> message_start(wire::View m, StreamSink& sink)
    {
        Event e;
        e.kind = StreamEventKind::start;
        e.model = m["model"].string_or("");
        e.response_id = m["id"].string_or("");
        TRY(sink.on_event(e));
        wire::View u = m["usage"];
        m_usage.cached = u["cache_read_input_tokens"].integer_or(0);
        // input_tokens excludes cache reads and writes; ik's `input` includes them.
        m_usage.input
            = u["input_tokens"].integer_or(0) + m_usage.cached + u["cache_creation_input_tokens"].integer_or(0);
        m_usage.output = u["output_tokens"].integer_or(0);
        return {};
    }

    Result<void> block_start(wire::View f, StreamSink& sink)
    {
        wire::View b = f["content_block"];
        std::string_view type = b["type"].string_or("");
        if (type == "server_tool_use") {
            // The query streams as input_json_delta, or comes whole in `input`.
            m_search_block = f["index"].integer_or(-1);
            m_query.clear();
            m_search_query = b["input"]["query"].string_or("");
            if (!m_search_query.empty())
                m_search_query = m_turn.copy(wire::cut_utf8(m_search_query, wire::max_query_bytes));
            return {};
        }
        if (type == "web_search_tool_result")
            return search_result(b["content"], sink);
        if (type == "text") {
            wire::View cites = b["citations"];
            for (size_t i = 0; i < cites.size(); ++i)
                TRY(m_search.source(sink, cites[i]["url"].string_or(""), cites[i]["title"].string_or(""), true));
            return {};
        }
        if (type != "tool_use")
            return {}; // thinking carries its content in deltas; others are skipped
        Event e;
        e.kind = StreamEventKind::tool_call_start;
        e.index = m_slots.add(f["index"].integer_or(-1));
        e.id = b["id"].string_or("");
        e.name = b["name"].string_or("");
        return sink.on_event(e);
    }

    Result<void> delta(wire::View f, StreamSink& sink)
    {
        wire::View d = f["delta"];
        std::string_view type = d["type"].string_or("");
        Event e;
        if (type == "text_delta") {
            e.kind = StreamEventKind::text_delta;
            e.text = d["text"].string_or("");
        } else if (type == "thinking_delta") {
            e.kind = StreamEventKind::thinking_delta;
            e.text = d["thinking"].string_or("");
        } else if (type == "signature_delta") {
            e.kind = StreamEventKind::thinking_delta;
            e.signature = d["signature"].string_or("");
        } else if (type == "citations_delta") {
            wire::View c = d["citation"];
            return m_search.source(sink, c["url"].string_or(""), c["title"].string_or(""), true);
        } else if (type == "input_json_delta" && m_search_block >= 0 && f["index"].integer_or(-1) == m_search_block) {
            // A search's query; kept whole up to a cap (a query is short).
            std::string_view piece = d["partial_json"].string_or("");
            if (m_query.size() + piece.size() <= max_query_json)
                m_query.append(piece);
            return {};
        } else if (type == "input_json_delta") {
            int64_t key = f["index"].integer_or(-1);
            e.kind = StreamEventKind::tool_call_delta;
            e.index = m_slots.find(key);
            if (e.index < 0)
                return fail(
                    ErrorCode::parse, "anthropic: input_json_delta for content block {} which is not a tool_use", key);
            e.text = d["partial_json"].string_or("");
            if (e.text.empty())
                return {};
        } else {
            return {}; // future delta types
        }
        return sink.on_event(e);
    }

    Result<void> message_delta(wire::View f, StreamSink& sink)
    {
        if (std::string_view r = f["delta"]["stop_reason"].string_or(""); !r.empty()) {
            m_raw_reason = m_turn.copy(r);
            m_reason = finish_for(r);
        }
        wire::View u = f["usage"];
        if (!u.exists())
            return {};
        m_usage.output = u["output_tokens"].integer_or(m_usage.output);
        // Newer servers repeat cumulative input counts here; prefer them when present.
        if (u["input_tokens"].exists()) {
            m_usage.cached = u["cache_read_input_tokens"].integer_or(m_usage.cached);
            m_usage.input
                = u["input_tokens"].integer_or(0) + m_usage.cached + u["cache_creation_input_tokens"].integer_or(0);
        }
        Event e;
        e.kind = StreamEventKind::usage;
        e.usage = m_usage;
        return sink.on_event(e);
    }

    Result<void> finish(StreamSink& sink)
    {
        m_done = true;
        TRY(m_slots.close_all(sink));
        Event e;
        e.kind = StreamEventKind::finish;
        e.finish = m_reason;
        e.raw_reason = m_raw_reason;
        // max_tokens after a tool_use block started: a finished call would
        // have ended with stop_reason tool_use, so the last one is cut off.
        e.cut_tool_call = m_reason == FinishReason::length && m_slots.count() > 0;
        return sink.on_event(e);
    }

    // A search's block ended: its query is the streamed input's "query".
    Result<void> search_stop(mem::Arena& scratch, StreamSink& sink)
    {
        m_search_block = -1;
        std::string_view query = m_search_query;
        if (!m_query.empty()) {
            // Malformed input JSON is the provider's slip, not worth the reply: no query shown.
            auto input = m_parser.parse(m_query, scratch, "web search input");
            if (input)
                query = wire::View(*input)["query"].string_or("");
        }
        return m_search.search(sink, query);
    }

    // The results of one search: a list of pages, or an error object.
    Result<void> search_result(wire::View content, StreamSink& sink)
    {
        if (std::string_view code = content["error_code"].string_or(""); !code.empty())
            return m_search.search(sink, "", code);
        for (size_t i = 0; i < content.size(); ++i) {
            wire::View r = content[i];
            if (r["type"].string_or("") == "web_search_result")
                TRY(m_search.source(sink, r["url"].string_or(""), r["title"].string_or(""), false));
        }
        return {};
    }

    static constexpr size_t max_query_json = 4096;

    mem::Arena& m_turn;
    json::Parser m_parser;
    wire::ToolSlots m_slots;
    wire::SearchEvents m_search;
    int64_t m_search_block = -1; // the open server_tool_use block's index
    std::pmr::string m_query; // its streamed input JSON, in the turn arena
    std::string_view m_search_query; // or its whole input's query, in the turn arena
    Usage m_usage;
    FinishReason m_reason = FinishReason::stop;
    std::string_view m_raw_reason; // in the turn arena
    bool m_done = false;
};

} // namespace

WireFormat Anthropic::format() const
{
    return WireFormat::anthropic;
}
std::string_view Anthropic::default_base_url() const
{
    return "https://api.anthropic.com/v1";
}

Result<HttpRequest> Anthropic::build_request(mem::Arena& turn, const Endpoint& endpoint, const Request& request) const
{
    mem::Arena& a = turn;
    json::object body(json::storage(a));
    body["model"] = wire::str(a, request.model);
    int64_t budget = budget_for(request.thinking);
    int64_t max_tokens = request.max_tokens > 0 ? request.max_tokens : 8192;
    if (budget > 0 && max_tokens <= budget)
        max_tokens = budget + 8192; // max_tokens must exceed the thinking budget
    body["max_tokens"] = max_tokens;
    body["stream"] = true;
    // Prompt caching: breakpoints after the tools, the system prompt and the
    // last message, so each request reads the previous one's prefix from the cache.
    if (!request.system.empty()) {
        json::array system(json::storage(a));
        json::object b = block(a, "text");
        b["text"] = wire::str(a, request.system);
        b["cache_control"] = cache_control(a);
        system.push_back(std::move(b));
        body["system"] = std::move(system);
    }
    body["messages"] = TRY(messages_json(a, request));
    mark_last_block(a, body["messages"].as_array());
    if (!request.tools.empty()) {
        json::array tools(json::storage(a));
        for (const ToolSpec& t : request.tools) {
            json::object tool(json::storage(a));
            tool["name"] = wire::str(a, t.name);
            tool["description"] = wire::str(a, t.description);
            tool["input_schema"] = TRY_CONTEXT(wire::parse_embedded(a, t.parameters, "tool schema"), "tool {}", t.name);
            tools.push_back(std::move(tool));
        }
        tools.back().as_object()["cache_control"] = cache_control(a);
        body["tools"] = std::move(tools);
    }
    if (request.web_search.enabled) {
        // After the cache breakpoint: the function tools' prefix stays cached either way.
        json::object search = block(a, "web_search_20250305");
        search["name"] = "web_search";
        search["max_uses"] = request.web_search.max_uses;
        if (!body.contains("tools"))
            body["tools"] = json::array(json::storage(a));
        body["tools"].as_array().push_back(std::move(search));
    }
    if (budget > 0) {
        json::object thinking(json::storage(a));
        thinking["type"] = "enabled";
        thinking["budget_tokens"] = budget;
        body["thinking"] = std::move(thinking);
    }
    std::string_view url = wire::join(a, { endpoint.base_url, "/messages" });
    return wire::make_request(a, url,
        { "Content-Type: application/json", "Accept: text/event-stream", "anthropic-version: 2023-06-01",
            wire::join(a, { "x-api-key: ", endpoint.api_key }) },
        body);
}

std::unique_ptr<StreamDecoder> Anthropic::make_decoder(mem::Arena& turn) const
{
    return std::make_unique<AnthropicDecoder>(turn);
}

Error Anthropic::classify_http_error(int status, std::string_view body, std::string_view retry_after) const
{
    return wire::classify(info, status, body, retry_after);
}

} // namespace ik::llm
