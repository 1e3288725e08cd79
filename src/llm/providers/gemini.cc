// Gemini: POST {base}/models/{model}:streamGenerateContent?alt=sse. Every SSE
// event is a whole GenerateContentResponse: candidates[0].content.parts[]
// (text, text with thought:true, whole functionCall objects), usageMetadata
// (cumulative) and, on the last one, finishReason. There is no end sentinel:
// the body simply ends, so finish is emitted from on_end(). Google Search
// grounding comes as candidates[0].groundingMetadata (queries and pages);
// nothing of it goes back in later requests.
#include "llm/providers/gemini.h"

#include <cctype>
#include <optional>

#include "llm/internal/search_wire.h"
#include "llm/internal/wire.h"

namespace ik::llm {

namespace {

// The model id is a path segment: a model named "../../x?key=1" must not
// change the path or add a query (RFC 3986 unreserved characters pass).
std::string percent_encode(std::string_view text)
{
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

constexpr wire::ProviderInfo info{ "Gemini", "GEMINI_API_KEY" };

json::object text_part(mem::Arena& a, std::string_view text)
{
    json::object p(json::storage(a));
    p["text"] = wire::str(a, text);
    return p;
}

json::object image_part(mem::Arena& a, const Image& image)
{
    json::object data(json::storage(a));
    data["mimeType"] = wire::str(a, image.media_type);
    data["data"] = wire::str(a, image.data);
    json::object p(json::storage(a));
    p["inlineData"] = std::move(data);
    return p;
}

Result<json::object> content_json(mem::Arena& a, const Message& m)
{
    json::object c(json::storage(a));
    json::array parts(json::storage(a));
    c["role"] = m.role == Role::assistant ? "model" : "user";
    if (m.role == Role::tool) {
        json::object response(json::storage(a));
        response[m.is_error ? "error" : "result"] = wire::str(a, m.text);
        json::object fr(json::storage(a));
        fr["name"] = wire::str(a, m.tool_name);
        fr["response"] = std::move(response);
        json::object p(json::storage(a));
        p["functionResponse"] = std::move(fr);
        parts.push_back(std::move(p));
    } else if (!m.text.empty() || m.tool_calls.empty()) {
        parts.push_back(text_part(a, m.text));
    }
    // A user's images follow its text; a tool's go beside its functionResponse
    // in the same user content.
    for (const Image& image : m.images)
        parts.push_back(image_part(a, image));
    for (const ToolCall& call : m.tool_calls) {
        json::object fc(json::storage(a));
        fc["name"] = wire::str(a, call.name);
        fc["args"] = TRY_CONTEXT(wire::parse_embedded(a, call.arguments, "tool arguments"), "tool call {}", call.id);
        json::object p(json::storage(a));
        p["functionCall"] = std::move(fc);
        // Gemini 2.5+ rejects a function call without the signature it sent.
        if (!call.signature.empty())
            p["thoughtSignature"] = wire::str(a, call.signature);
        parts.push_back(std::move(p));
    }
    c["parts"] = std::move(parts);
    return c;
}

FinishReason finish_for(std::string_view reason)
{
    if (reason == "STOP")
        return FinishReason::stop;
    if (reason == "MAX_TOKENS")
        return FinishReason::length;
    if (reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" || reason == "PROHIBITED_CONTENT"
        || reason == "SPII" || reason == "IMAGE_SAFETY")
        return FinishReason::content_filter;
    return FinishReason::other;
}

class GeminiDecoder final : public StreamDecoder {
public:
    explicit GeminiDecoder(mem::Arena& turn)
        : m_turn(turn)
        , m_parser(turn)
        , m_slots(turn)
    {
    }

    Result<void> on_sse(const net::SseEvent& event, mem::Arena& scratch, StreamSink& sink) override
    {
        if (m_done)
            return {};
        auto parsed = m_parser.parse(event.data, scratch, "GenerateContentResponse");
        if (!parsed)
            return fail(wire::malformed("gemini", event, parsed.error()));
        if (!parsed->is_object())
            return fail(ErrorCode::parse, "gemini: SSE event data is {}, expected an object", json::kind_name(*parsed));
        wire::View f(*parsed);
        if (f["error"].exists()) {
            m_done = true;
            std::string_view message = f["error"]["message"].string_or("unknown error");
            return wire::emit_error(
                sink, wire::code_for_stream_error(f["error"]["status"].string_or(""), message), message);
        }
        if (!m_started) {
            m_started = true;
            Event e;
            e.kind = StreamEventKind::start;
            e.model = f["modelVersion"].string_or("");
            e.response_id = f["responseId"].string_or("");
            TRY(sink.on_event(e));
        }
        std::string_view block = f["promptFeedback"]["blockReason"].string_or("");
        if (!block.empty() && f["candidates"].size() == 0) {
            // The prompt itself was refused: no candidate will ever come.
            m_done = true;
            std::string_view detail = f["promptFeedback"]["blockReasonMessage"].string_or("");
            std::string message = fmt::format("Gemini refused the prompt (promptFeedback.blockReason {}){}{}", block,
                detail.empty() ? "" : ": ", detail);
            return wire::emit_error(sink, ErrorCode::provider, message);
        }
        if (!block.empty())
            set_reason(FinishReason::content_filter, block);
        wire::View c = f["candidates"][0];
        wire::View parts = c["content"]["parts"];
        for (size_t i = 0; i < parts.size(); ++i)
            TRY(part(parts[i], scratch, sink));
        TRY(grounding(c["groundingMetadata"], sink));
        if (std::string_view r = c["finishReason"].string_or(""); !r.empty())
            set_reason(finish_for(r), r);
        if (wire::View u = f["usageMetadata"]; u.exists()) {
            Event e;
            e.kind = StreamEventKind::usage;
            e.usage.input = u["promptTokenCount"].integer_or(0);
            e.usage.reasoning = u["thoughtsTokenCount"].integer_or(0);
            // candidatesTokenCount excludes thoughts; ik's `output` includes them.
            e.usage.output = u["candidatesTokenCount"].integer_or(0) + e.usage.reasoning;
            e.usage.cached = u["cachedContentTokenCount"].integer_or(0);
            TRY(sink.on_event(e));
        }
        return {};
    }

    Result<void> on_end(mem::Arena&, StreamSink& sink) override
    {
        if (m_done)
            return {};
        m_done = true;
        if (!m_reason)
            return wire::emit_error(sink, ErrorCode::interrupted, "the stream ended without a finishReason");
        TRY(m_slots.close_all(sink));
        Event e;
        e.kind = StreamEventKind::finish;
        e.finish = *m_reason == FinishReason::stop && m_slots.count() > 0 ? FinishReason::tool_calls : *m_reason;
        e.raw_reason = m_raw_reason;
        return sink.on_event(e);
    }

private:
    void set_reason(FinishReason reason, std::string_view raw)
    {
        m_reason = reason;
        m_raw_reason = m_turn.copy(raw);
    }

    // Google Search grounding: the queries the model ran and the pages it
    // drew on. Gemini 2.x sends it once, with the last chunk; a chunk that
    // repeats it adds nothing (the agent deduplicates sources).
    Result<void> grounding(wire::View g, StreamSink& sink)
    {
        if (!g.exists())
            return {};
        wire::View queries = g["webSearchQueries"];
        for (size_t i = 0; i < queries.size(); ++i)
            TRY(m_search.search(sink, queries[i].string_or("")));
        wire::View chunks = g["groundingChunks"];
        for (size_t i = 0; i < chunks.size(); ++i) {
            wire::View web = chunks[i]["web"];
            TRY(m_search.source(sink, web["uri"].string_or(""), web["title"].string_or(""), true));
        }
        return {};
    }

    Result<void> part(wire::View p, mem::Arena& scratch, StreamSink& sink)
    {
        if (wire::View call = p["functionCall"]; call.exists())
            return function_call(p, call, scratch, sink);
        std::string_view text = p["text"].string_or("");
        if (text.empty())
            return {};
        Event e;
        e.kind = p["thought"].boolean_or(false) ? StreamEventKind::thinking_delta : StreamEventKind::text_delta;
        e.text = text;
        return sink.on_event(e);
    }

    // Gemini sends each call whole: start, one delta with all arguments, end.
    Result<void> function_call(wire::View p, wire::View call, mem::Arena& scratch, StreamSink& sink)
    {
        int index = m_slots.add(m_slots.count());
        char id[32];
        auto n = fmt::format_to_n(id, sizeof id, "call_{}", index).size;
        Event e;
        e.kind = StreamEventKind::tool_call_start;
        e.index = index;
        e.id = call["id"].string_or(std::string_view(id, std::min(n, sizeof id)));
        e.name = call["name"].string_or("");
        e.signature = p["thoughtSignature"].string_or("");
        TRY(sink.on_event(e));
        Event d;
        d.kind = StreamEventKind::tool_call_delta;
        d.index = index;
        d.text = call["args"].exists() ? wire::serialize(scratch, *call["args"].get()) : std::string_view("{}");
        TRY(sink.on_event(d));
        return m_slots.close(index, sink);
    }

    mem::Arena& m_turn;
    json::Parser m_parser;
    wire::ToolSlots m_slots;
    wire::SearchEvents m_search;
    std::optional<FinishReason> m_reason;
    std::string_view m_raw_reason; // in the turn arena
    bool m_started = false;
    bool m_done = false;
};

} // namespace

WireFormat Gemini::format() const
{
    return WireFormat::gemini;
}
std::string_view Gemini::default_base_url() const
{
    return "https://generativelanguage.googleapis.com/v1beta";
}

Result<HttpRequest> Gemini::build_request(mem::Arena& turn, const Endpoint& endpoint, const Request& request) const
{
    mem::Arena& a = turn;
    json::object body(json::storage(a));
    if (!request.system.empty()) {
        json::object sys(json::storage(a));
        json::array parts(json::storage(a));
        parts.push_back(text_part(a, request.system));
        sys["parts"] = std::move(parts);
        body["systemInstruction"] = std::move(sys);
    }
    json::array contents(json::storage(a));
    for (const Message& m : request.messages)
        contents.push_back(TRY(content_json(a, m)));
    body["contents"] = std::move(contents);
    if (!request.tools.empty()) {
        json::array decls(json::storage(a));
        for (const ToolSpec& t : request.tools) {
            json::object d(json::storage(a));
            d["name"] = wire::str(a, t.name);
            d["description"] = wire::str(a, t.description);
            d["parametersJsonSchema"]
                = TRY_CONTEXT(wire::parse_embedded(a, t.parameters, "tool schema"), "tool {}", t.name);
            decls.push_back(std::move(d));
        }
        json::object tool(json::storage(a));
        tool["functionDeclarations"] = std::move(decls);
        json::array tools(json::storage(a));
        tools.push_back(std::move(tool));
        body["tools"] = std::move(tools);
    }
    if (request.web_search.enabled) {
        // Its own Tool object; only Gemini 3 accepts it beside functionDeclarations
        // (the catalog offers search to no other Gemini model).
        json::object search(json::storage(a));
        search["google_search"] = json::object(json::storage(a));
        if (!body.contains("tools"))
            body["tools"] = json::array(json::storage(a));
        body["tools"].as_array().push_back(std::move(search));
    }
    json::object config(json::storage(a));
    if (request.max_tokens > 0)
        config["maxOutputTokens"] = request.max_tokens;
    if (request.thinking != ThinkingLevel::none) {
        json::object thinking(json::storage(a));
        thinking["thinkingBudget"] = request.thinking == ThinkingLevel::low ? 1024
            : request.thinking == ThinkingLevel::medium                     ? 8192
                                                                            : 24576;
        thinking["includeThoughts"] = true;
        config["thinkingConfig"] = std::move(thinking);
    }
    if (!config.empty())
        body["generationConfig"] = std::move(config);
    std::string model = percent_encode(request.model);
    std::string_view url = wire::join(a, { endpoint.base_url, "/models/", model, ":streamGenerateContent?alt=sse" });
    return wire::make_request(a, url,
        { "Content-Type: application/json", "Accept: text/event-stream",
            wire::join(a, { "x-goog-api-key: ", endpoint.api_key }) },
        body);
}

std::unique_ptr<StreamDecoder> Gemini::make_decoder(mem::Arena& turn) const
{
    return std::make_unique<GeminiDecoder>(turn);
}

Error Gemini::classify_http_error(int status, std::string_view body, std::string_view retry_after) const
{
    return wire::classify(info, status, body, retry_after);
}

} // namespace ik::llm
