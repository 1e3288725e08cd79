// OpenAI Responses: POST {base}/responses with stream:true. Every SSE event
// is named (`event: response.output_text.delta`) and its data repeats the
// name in "type"; we dispatch on data.type. Tool calls are output items
// keyed by output_index; the response ends with response.completed,
// response.incomplete or response.failed.
//
// Web search (server side): web_search_call output items (the query in the
// finished item's `action`) and url_citation annotations on the text
// (response.output_text.annotation.added, and again in the finished message
// item). With store:false nothing of the search can be referred to later,
// and none is needed: the next request carries the reply's text alone.
#include "llm/providers/openai_responses.h"

#include "llm/internal/search_wire.h"
#include "llm/internal/wire.h"

namespace ik::llm {

namespace {

constexpr wire::ProviderInfo info{ "OpenAI", "OPENAI_API_KEY" };

json::object input_image(mem::Arena& a, const Image& image)
{
    json::object p(json::storage(a));
    p["type"] = "input_image";
    p["image_url"] = wire::str(a, wire::join(a, { "data:", image.media_type, ";base64,", image.data }));
    return p;
}

// Text alone, or with images a list of an input_text part and input_image
// parts (data: URLs). Both user messages and function_call_output take it.
json::value input_content(mem::Arena& a, const Message& m)
{
    if (m.images.empty())
        return wire::str(a, m.text);
    json::array parts(json::storage(a));
    if (!m.text.empty()) {
        json::object t(json::storage(a));
        t["type"] = "input_text";
        t["text"] = wire::str(a, m.text);
        parts.push_back(std::move(t));
    }
    for (const Image& image : m.images)
        parts.push_back(input_image(a, image));
    return parts;
}

Result<void> add_message(mem::Arena& a, json::array& input, const Message& m)
{
    auto text_item = [&](std::string_view role) {
        json::object o(json::storage(a));
        o["role"] = role;
        o["content"] = role == "user" ? input_content(a, m) : wire::str(a, m.text);
        input.push_back(std::move(o));
    };
    switch (m.role) {
    case Role::user:
        text_item("user");
        break;
    case Role::assistant:
        if (!m.text.empty())
            text_item("assistant");
        for (const ToolCall& c : m.tool_calls) {
            json::object o(json::storage(a));
            o["type"] = "function_call";
            o["call_id"] = wire::str(a, c.id);
            o["name"] = wire::str(a, c.name);
            o["arguments"] = wire::str(a, c.arguments.empty() ? std::string_view("{}") : c.arguments);
            input.push_back(std::move(o));
        }
        break;
    case Role::tool: {
        json::object o(json::storage(a));
        o["type"] = "function_call_output";
        o["call_id"] = wire::str(a, m.tool_call_id);
        o["output"] = input_content(a, m);
        input.push_back(std::move(o));
        break;
    }
    }
    return {};
}

class ResponsesDecoder final : public StreamDecoder {
public:
    explicit ResponsesDecoder(mem::Arena& turn)
        : m_parser(turn)
        , m_slots(turn)
    {
    }

    Result<void> on_sse(const net::SseEvent& event, mem::Arena& scratch, StreamSink& sink) override
    {
        if (m_done || event.data == "[DONE]")
            return {};
        auto parsed = m_parser.parse(event.data, scratch, "response stream event");
        if (!parsed)
            return fail(wire::malformed("openai_responses", event, parsed.error()));
        if (!parsed->is_object())
            return fail(ErrorCode::parse, "openai_responses: SSE event data is {}, expected an object",
                json::kind_name(*parsed));
        wire::View f(*parsed);
        std::string_view type = f["type"].string_or(event.type);
        if (type == "response.output_text.delta")
            return emit(sink, StreamEventKind::text_delta, f["delta"].string_or(""));
        if (type == "response.refusal.delta") {
            m_refused = true;
            return emit(sink, StreamEventKind::text_delta, f["delta"].string_or(""));
        }
        if (type == "response.reasoning_summary_text.delta" || type == "response.reasoning_text.delta")
            return emit(sink, StreamEventKind::thinking_delta, f["delta"].string_or(""));
        if (type == "response.function_call_arguments.delta")
            return arguments(f, sink);
        if (type == "response.output_item.added")
            return item_added(f, sink);
        if (type == "response.output_item.done")
            return item_done(f, sink);
        if (type == "response.output_text.annotation.added")
            return annotation(f["annotation"], sink);
        if (type == "response.created")
            return start(f["response"], sink);
        if (type == "response.completed" || type == "response.incomplete")
            return completed(f["response"], type == "response.incomplete", sink);
        if (type == "response.failed")
            return failed(f["response"]["error"], sink);
        if (type == "error")
            return failed(f.get()->as_object().contains("error") ? f["error"] : f, sink);
        return {}; // in_progress, content_part.*, *.done, unknown future events
    }

    Result<void> on_end(mem::Arena&, StreamSink& sink) override
    {
        if (m_done)
            return {};
        m_done = true;
        return wire::emit_error(sink, ErrorCode::interrupted, "the stream ended before response.completed");
    }

private:
    Result<void> start(wire::View r, StreamSink& sink)
    {
        Event e;
        e.kind = StreamEventKind::start;
        e.model = r["model"].string_or("");
        e.response_id = r["id"].string_or("");
        return sink.on_event(e);
    }

    Result<void> item_added(wire::View f, StreamSink& sink)
    {
        wire::View item = f["item"];
        if (item["type"].string_or("") != "function_call")
            return {};
        int index = m_slots.add(f["output_index"].integer_or(m_slots.count()));
        Event e;
        e.kind = StreamEventKind::tool_call_start;
        e.index = index;
        e.id = item["call_id"].string_or(item["id"].string_or(""));
        e.name = item["name"].string_or("");
        TRY(sink.on_event(e));
        if (std::string_view args = item["arguments"].string_or(""); !args.empty())
            return emit_args(sink, index, args);
        return {};
    }

    Result<void> arguments(wire::View f, StreamSink& sink)
    {
        int index = m_slots.find(f["output_index"].integer_or(-1));
        if (index < 0)
            return fail(ErrorCode::parse,
                "openai_responses: arguments delta for output_index {} with no function_call item",
                f["output_index"].integer_or(-1));
        return emit_args(sink, index, f["delta"].string_or(""));
    }

    Result<void> annotation(wire::View a, StreamSink& sink)
    {
        if (a["type"].string_or("") != "url_citation")
            return {};
        return m_search.source(sink, a["url"].string_or(""), a["title"].string_or(""), true);
    }

    // A finished web_search_call (its query) or message (its annotations,
    // which annotation.added may already have sent: the agent deduplicates).
    Result<void> search_item_done(wire::View item, StreamSink& sink)
    {
        std::string_view type = item["type"].string_or("");
        if (type == "web_search_call") {
            wire::View action = item["action"];
            if (action.exists() && action["type"].string_or("search") != "search")
                return {}; // open_page / find_in_page: part of a search already shown
            std::string_view status = item["status"].string_or("");
            return m_search.search(sink, action["query"].string_or(""), status == "failed" ? status : "");
        }
        if (type != "message")
            return {};
        wire::View content = item["content"];
        for (size_t i = 0; i < content.size(); ++i) {
            wire::View notes = content[i]["annotations"];
            for (size_t k = 0; k < notes.size(); ++k)
                TRY(annotation(notes[k], sink));
        }
        return {};
    }

    Result<void> item_done(wire::View f, StreamSink& sink)
    {
        TRY(search_item_done(f["item"], sink));
        int index = m_slots.find(f["output_index"].integer_or(-1));
        return index < 0 ? Result<void>{} : m_slots.close(index, sink);
    }

    Result<void> completed(wire::View r, bool incomplete, StreamSink& sink)
    {
        m_done = true;
        TRY(m_slots.close_all(sink));
        wire::View u = r["usage"];
        if (u.exists() && !u.is_null()) {
            Event e;
            e.kind = StreamEventKind::usage;
            e.usage.input = u["input_tokens"].integer_or(0);
            e.usage.output = u["output_tokens"].integer_or(0);
            e.usage.cached = u["input_tokens_details"]["cached_tokens"].integer_or(0);
            e.usage.reasoning = u["output_tokens_details"]["reasoning_tokens"].integer_or(0);
            TRY(sink.on_event(e));
        }
        Event e;
        e.kind = StreamEventKind::finish;
        if (incomplete) {
            e.raw_reason = r["incomplete_details"]["reason"].string_or("incomplete");
            e.finish = wire::openai_finish(e.raw_reason);
        } else {
            e.raw_reason = r["status"].string_or("completed");
            e.finish = m_refused      ? FinishReason::refusal
                : m_slots.count() > 0 ? FinishReason::tool_calls
                                      : FinishReason::stop;
        }
        return sink.on_event(e);
    }

    Result<void> failed(wire::View err, StreamSink& sink)
    {
        m_done = true;
        std::string_view message = err["message"].string_or("the response failed");
        std::string_view code = err["code"].string_or(err["type"].string_or(""));
        return wire::emit_error(sink, wire::code_for_stream_error(code, message), message);
    }

    static Result<void> emit_args(StreamSink& sink, int index, std::string_view args)
    {
        if (args.empty())
            return {};
        Event e;
        e.kind = StreamEventKind::tool_call_delta;
        e.index = index;
        e.text = args;
        return sink.on_event(e);
    }

    static Result<void> emit(StreamSink& sink, StreamEventKind kind, std::string_view text)
    {
        if (text.empty())
            return {};
        Event e;
        e.kind = kind;
        e.text = text;
        return sink.on_event(e);
    }

    json::Parser m_parser;
    wire::ToolSlots m_slots;
    wire::SearchEvents m_search;
    bool m_refused = false;
    bool m_done = false;
};

} // namespace

WireFormat OpenAiResponses::format() const
{
    return WireFormat::openai_responses;
}
std::string_view OpenAiResponses::default_base_url() const
{
    return "https://api.openai.com/v1";
}

Result<HttpRequest> OpenAiResponses::build_request(
    mem::Arena& turn, const Endpoint& endpoint, const Request& request) const
{
    mem::Arena& a = turn;
    json::object body(json::storage(a));
    body["model"] = wire::str(a, request.model);
    body["stream"] = true;
    body["store"] = false;
    if (!request.system.empty())
        body["instructions"] = wire::str(a, request.system);
    json::array input(json::storage(a));
    for (const Message& m : request.messages)
        TRY(add_message(a, input, m));
    body["input"] = std::move(input);
    if (!request.tools.empty()) {
        json::array tools(json::storage(a));
        for (const ToolSpec& t : request.tools) {
            json::object tool(json::storage(a));
            tool["type"] = "function";
            tool["name"] = wire::str(a, t.name);
            tool["description"] = wire::str(a, t.description);
            tool["parameters"] = TRY_CONTEXT(wire::parse_embedded(a, t.parameters, "tool schema"), "tool {}", t.name);
            tools.push_back(std::move(tool));
        }
        body["tools"] = std::move(tools);
    }
    if (request.web_search.enabled) {
        json::object search(json::storage(a));
        search["type"] = "web_search";
        if (!body.contains("tools"))
            body["tools"] = json::array(json::storage(a));
        body["tools"].as_array().push_back(std::move(search));
    }
    if (request.thinking != ThinkingLevel::none) {
        json::object reasoning(json::storage(a));
        reasoning["effort"] = wire::effort_name(request.thinking);
        reasoning["summary"] = "auto";
        body["reasoning"] = std::move(reasoning);
    }
    if (!request.cache_key.empty())
        body["prompt_cache_key"] = wire::str(a, request.cache_key); // prompt caching: one cache per session
    if (request.max_tokens > 0)
        body["max_output_tokens"] = request.max_tokens;
    std::string_view url = wire::join(a, { endpoint.base_url, "/responses" });
    return wire::bearer_request(a, url, endpoint.api_key, body);
}

std::unique_ptr<StreamDecoder> OpenAiResponses::make_decoder(mem::Arena& turn) const
{
    return std::make_unique<ResponsesDecoder>(turn);
}

Error OpenAiResponses::classify_http_error(int status, std::string_view body, std::string_view retry_after) const
{
    return wire::classify(info, status, body, retry_after);
}

} // namespace ik::llm
