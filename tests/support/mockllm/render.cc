// Renders a scripted response in each wire format, as the providers'
// public documentation describes their streams.
#include <boost/json.hpp>

#include "script.h"

namespace mockllm {

namespace bj = boost::json;

namespace {

std::vector<std::string> split(const std::string& s, size_t chunk)
{
    std::vector<std::string> out;
    if (chunk == 0 || s.size() <= chunk) {
        out.push_back(s);
        return out;
    }
    for (size_t i = 0; i < s.size(); i += chunk)
        out.push_back(s.substr(i, chunk));
    return out;
}

class Renderer {
public:
    Renderer(const Response& r, Format f)
        : m_r(r)
        , m_f(f)
    {
    }

    std::vector<Action> run()
    {
        start();
        for (const Step& s : m_r.steps) {
            switch (s.kind) {
            case Step::Kind::text:
                for (const auto& piece : split(s.text, s.chunk))
                    text(piece, false);
                break;
            case Step::Kind::thinking:
                for (const auto& piece : split(s.text, s.chunk))
                    text(piece, true);
                break;
            case Step::Kind::tool_calls:
                tool_calls(s);
                break;
            case Step::Kind::delay:
                m_out.push_back(Action{ Action::Kind::sleep, {}, s.ms });
                break;
            case Step::Kind::stall:
                m_out.push_back(Action{ Action::Kind::stall, {}, s.ms });
                return m_out;
            case Step::Kind::drop:
                m_out.push_back(Action{ Action::Kind::drop, {}, 0 });
                return m_out;
            case Step::Kind::malformed:
                send_raw("data: {\"choices\": [{\"delta\": {\"content\": \"x\"\n\n");
                break;
            case Step::Kind::raw:
                send_raw(s.text);
                break;
            case Step::Kind::error:
                error(s);
                return m_out;
            case Step::Kind::search:
                search(s);
                break;
            case Step::Kind::flood:
                flood(s.text, s);
                break;
            case Step::Kind::comments:
                flood(": " + s.text + "\n\n", s);
                break;
            case Step::Kind::endless_text: {
                // Render one delta the usual way, then repeat its bytes.
                text(s.text, false);
                std::string unit = std::move(m_out.back().bytes);
                m_out.pop_back();
                flood(std::move(unit), s);
                break;
            }
            }
        }
        finish();
        return m_out;
    }

private:
    void flood(std::string unit, const Step& s)
    {
        Action a{ Action::Kind::flood, std::move(unit), s.ms };
        a.total_bytes = s.total_bytes;
        a.for_ms = s.for_ms;
        m_out.push_back(std::move(a));
    }
    void send_raw(std::string bytes) { m_out.push_back(Action{ Action::Kind::send, std::move(bytes), 0 }); }
    void data(const bj::value& v) { send_raw("data: " + bj::serialize(v) + "\n\n"); }
    void event(std::string_view type, const bj::value& v)
    {
        send_raw("event: " + std::string(type) + "\ndata: " + bj::serialize(v) + "\n\n");
    }

    std::string finish_reason() const
    {
        if (!m_r.finish.empty())
            return m_r.finish;
        return m_saw_tools ? "tool_calls" : "stop";
    }

    // ---- OpenAI Chat Completions ----
    bj::object chat_chunk(bj::object delta, bj::value finish = nullptr)
    {
        bj::object choice{ { "index", 0 }, { "delta", std::move(delta) }, { "finish_reason", std::move(finish) } };
        return bj::object{ { "id", "chatcmpl-mock" }, { "object", "chat.completion.chunk" }, { "created", 1700000000 },
            { "model", m_r.model }, { "choices", bj::array{ std::move(choice) } } };
    }

    // ---- Anthropic ----
    void anthropic_open(std::string_view type)
    {
        if (m_block_type == type)
            return;
        anthropic_close();
        bj::object block{ { "type", type } };
        if (type == "text")
            block["text"] = "";
        else
            block["thinking"] = "";
        event("content_block_start",
            bj::object{ { "type", "content_block_start" }, { "index", m_block }, { "content_block", block } });
        m_block_type = std::string(type);
    }
    void anthropic_close()
    {
        if (m_block_type.empty())
            return;
        if (m_block_type == "thinking")
            event("content_block_delta",
                bj::object{ { "type", "content_block_delta" }, { "index", m_block },
                    { "delta", { { "type", "signature_delta" }, { "signature", "mock-signature" } } } });
        event("content_block_stop", bj::object{ { "type", "content_block_stop" }, { "index", m_block } });
        m_block_type.clear();
        ++m_block;
    }

    // ---- OpenAI Responses ----
    void responses_open(std::string_view type)
    {
        if (m_block_type == type)
            return;
        responses_close();
        m_item_id = std::string(type == "message" ? "msg_" : "rs_") + std::to_string(m_block);
        bj::object item{ { "type", type }, { "id", m_item_id } };
        if (type == "message") {
            item["role"] = "assistant";
            item["content"] = bj::array{};
        } else {
            item["summary"] = bj::array{};
        }
        item["status"] = "in_progress";
        event("response.output_item.added",
            bj::object{ { "type", "response.output_item.added" }, { "output_index", m_block }, { "item", item } });
        m_block_type = std::string(type);
    }
    void responses_close()
    {
        if (m_block_type.empty())
            return;
        bj::object item{ { "type", m_block_type }, { "id", m_item_id }, { "status", "completed" } };
        event("response.output_item.done",
            bj::object{ { "type", "response.output_item.done" }, { "output_index", m_block }, { "item", item } });
        m_block_type.clear();
        ++m_block;
    }

    void start()
    {
        switch (m_f) {
        case Format::openai_chat:
            data(chat_chunk(bj::object{ { "role", "assistant" }, { "content", "" } }));
            break;
        case Format::openai_responses:
            event("response.created",
                bj::object{ { "type", "response.created" },
                    { "response",
                        { { "id", "resp_mock" }, { "object", "response" }, { "status", "in_progress" },
                            { "model", m_r.model }, { "output", bj::array{} } } } });
            break;
        case Format::anthropic:
            event("message_start",
                bj::object{ { "type", "message_start" },
                    { "message",
                        { { "id", "msg_mock" }, { "type", "message" }, { "role", "assistant" }, { "model", m_r.model },
                            { "content", bj::array{} }, { "stop_reason", nullptr },
                            { "usage",
                                { { "input_tokens", m_r.usage.input - m_r.usage.cached },
                                    { "cache_read_input_tokens", m_r.usage.cached }, { "output_tokens", 1 } } } } } });
            event("ping", bj::object{ { "type", "ping" } });
            break;
        case Format::gemini:
        case Format::unknown:
            break;
        }
    }

    void text(const std::string& piece, bool thinking)
    {
        switch (m_f) {
        case Format::openai_chat:
            data(chat_chunk(bj::object{ { thinking ? "reasoning_content" : "content", piece } }));
            break;
        case Format::openai_responses:
            if (thinking) {
                responses_open("reasoning");
                event("response.reasoning_summary_text.delta",
                    bj::object{ { "type", "response.reasoning_summary_text.delta" }, { "item_id", m_item_id },
                        { "output_index", m_block }, { "summary_index", 0 }, { "delta", piece } });
            } else {
                responses_open("message");
                event("response.output_text.delta",
                    bj::object{ { "type", "response.output_text.delta" }, { "item_id", m_item_id },
                        { "output_index", m_block }, { "content_index", 0 }, { "delta", piece } });
            }
            break;
        case Format::anthropic:
            anthropic_open(thinking ? "thinking" : "text");
            event("content_block_delta",
                bj::object{ { "type", "content_block_delta" }, { "index", m_block },
                    { "delta",
                        thinking ? bj::object{ { "type", "thinking_delta" }, { "thinking", piece } }
                                 : bj::object{ { "type", "text_delta" }, { "text", piece } } } });
            break;
        case Format::gemini: {
            bj::object part{ { "text", piece } };
            if (thinking)
                part["thought"] = true;
            data(gemini_chunk(bj::array{ part }));
            break;
        }
        case Format::unknown:
            break;
        }
    }

    bj::object gemini_chunk(bj::array parts)
    {
        bj::object cand{ { "content", { { "parts", std::move(parts) }, { "role", "model" } } }, { "index", 0 } };
        return bj::object{ { "candidates", bj::array{ std::move(cand) } }, { "modelVersion", m_r.model },
            { "responseId", "mock-response" } };
    }

    void tool_calls(const Step& s)
    {
        m_saw_tools = true;
        if (m_f == Format::gemini) {
            bj::array parts;
            for (const auto& c : s.calls) {
                bj::value args = bj::parse(c.arguments);
                parts.push_back(bj::object{ { "functionCall", { { "name", c.name }, { "args", args } } } });
            }
            data(gemini_chunk(std::move(parts)));
            return;
        }
        // Starts of all calls first, then their argument pieces interleaved:
        // parallel calls whose arguments are split anywhere.
        if (m_f == Format::anthropic)
            anthropic_close();
        if (m_f == Format::openai_responses)
            responses_close();
        std::vector<std::vector<std::string>> pieces;
        for (size_t i = 0; i < s.calls.size(); ++i) {
            const auto& c = s.calls[i];
            int idx = m_block + static_cast<int>(i);
            pieces.push_back(split(c.arguments, s.chunk));
            if (m_f == Format::openai_chat) {
                bj::object tc{ { "index", static_cast<int>(i) }, { "id", c.id }, { "type", "function" },
                    { "function", { { "name", c.name }, { "arguments", "" } } } };
                data(chat_chunk(bj::object{ { "tool_calls", bj::array{ tc } } }));
            } else if (m_f == Format::anthropic) {
                event("content_block_start",
                    bj::object{ { "type", "content_block_start" }, { "index", idx },
                        { "content_block",
                            { { "type", "tool_use" }, { "id", c.id }, { "name", c.name },
                                { "input", bj::object{} } } } });
            } else if (m_f == Format::openai_responses) {
                event("response.output_item.added",
                    bj::object{ { "type", "response.output_item.added" }, { "output_index", idx },
                        { "item",
                            { { "type", "function_call" }, { "id", "fc_" + c.id }, { "call_id", c.id },
                                { "name", c.name }, { "arguments", "" }, { "status", "in_progress" } } } });
            }
        }
        size_t longest = 0;
        for (auto& p : pieces)
            longest = std::max(longest, p.size());
        for (size_t k = 0; k < longest; ++k) {
            for (size_t i = 0; i < pieces.size(); ++i) {
                if (k >= pieces[i].size())
                    continue;
                int idx = m_block + static_cast<int>(i);
                const std::string& piece = pieces[i][k];
                if (m_f == Format::openai_chat) {
                    bj::object tc{ { "index", static_cast<int>(i) }, { "function", { { "arguments", piece } } } };
                    data(chat_chunk(bj::object{ { "tool_calls", bj::array{ tc } } }));
                } else if (m_f == Format::anthropic) {
                    event("content_block_delta",
                        bj::object{ { "type", "content_block_delta" }, { "index", idx },
                            { "delta", { { "type", "input_json_delta" }, { "partial_json", piece } } } });
                } else {
                    event("response.function_call_arguments.delta",
                        bj::object{ { "type", "response.function_call_arguments.delta" },
                            { "item_id", "fc_" + s.calls[i].id }, { "output_index", idx }, { "delta", piece } });
                }
            }
        }
        for (size_t i = 0; i < s.calls.size(); ++i) {
            int idx = m_block + static_cast<int>(i);
            const auto& c = s.calls[i];
            if (m_f == Format::anthropic) {
                event("content_block_stop", bj::object{ { "type", "content_block_stop" }, { "index", idx } });
            } else if (m_f == Format::openai_responses) {
                event("response.function_call_arguments.done",
                    bj::object{ { "type", "response.function_call_arguments.done" }, { "item_id", "fc_" + c.id },
                        { "output_index", idx }, { "arguments", c.arguments } });
                event("response.output_item.done",
                    bj::object{ { "type", "response.output_item.done" }, { "output_index", idx },
                        { "item",
                            { { "type", "function_call" }, { "id", "fc_" + c.id }, { "call_id", c.id },
                                { "name", c.name }, { "arguments", c.arguments }, { "status", "completed" } } } });
            }
        }
        if (m_f != Format::openai_chat)
            m_block += static_cast<int>(s.calls.size());
    }

    // A search the provider ran, in each format's shape (docs/extensions.md
    // "Web search" names the events); the text that follows cites the sources.
    void search(const Step& s)
    {
        switch (m_f) {
        case Format::anthropic: {
            anthropic_close();
            event("content_block_start",
                bj::object{ { "type", "content_block_start" }, { "index", m_block },
                    { "content_block",
                        { { "type", "server_tool_use" }, { "id", "srvtoolu_mock" }, { "name", "web_search" },
                            { "input", bj::object{} } } } });
            std::string input = bj::serialize(bj::object{ { "query", s.text } });
            for (const auto& piece : split(input, 7))
                event("content_block_delta",
                    bj::object{ { "type", "content_block_delta" }, { "index", m_block },
                        { "delta", { { "type", "input_json_delta" }, { "partial_json", piece } } } });
            event("content_block_stop", bj::object{ { "type", "content_block_stop" }, { "index", m_block } });
            ++m_block;
            bj::value content;
            if (!s.error_type.empty()) {
                content = bj::object{ { "type", "web_search_tool_result_error" }, { "error_code", s.error_type } };
            } else {
                bj::array results;
                for (const auto& [url, title] : s.sources)
                    results.push_back(bj::object{ { "type", "web_search_result" }, { "url", url }, { "title", title },
                        { "encrypted_content", "mock-encrypted" }, { "page_age", nullptr } });
                content = std::move(results);
            }
            event("content_block_start",
                bj::object{ { "type", "content_block_start" }, { "index", m_block },
                    { "content_block",
                        { { "type", "web_search_tool_result" }, { "tool_use_id", "srvtoolu_mock" },
                            { "content", content } } } });
            event("content_block_stop", bj::object{ { "type", "content_block_stop" }, { "index", m_block } });
            ++m_block;
            anthropic_open("text");
            for (const auto& [url, title] : s.sources)
                event("content_block_delta",
                    bj::object{ { "type", "content_block_delta" }, { "index", m_block },
                        { "delta",
                            { { "type", "citations_delta" },
                                { "citation",
                                    { { "type", "web_search_result_location" }, { "url", url }, { "title", title },
                                        { "cited_text", "mock" }, { "encrypted_index", "mock" } } } } } });
            break;
        }
        case Format::openai_responses: {
            responses_close();
            std::string id = "ws_" + std::to_string(m_block);
            event("response.output_item.added",
                bj::object{ { "type", "response.output_item.added" }, { "output_index", m_block },
                    { "item", { { "type", "web_search_call" }, { "id", id }, { "status", "in_progress" } } } });
            event("response.web_search_call.searching",
                bj::object{
                    { "type", "response.web_search_call.searching" }, { "output_index", m_block }, { "item_id", id } });
            event("response.output_item.done",
                bj::object{ { "type", "response.output_item.done" }, { "output_index", m_block },
                    { "item",
                        { { "type", "web_search_call" }, { "id", id },
                            { "status", s.error_type.empty() ? "completed" : "failed" },
                            { "action", { { "type", "search" }, { "query", s.text } } } } } });
            ++m_block;
            responses_open("message");
            for (const auto& [url, title] : s.sources)
                event("response.output_text.annotation.added",
                    bj::object{ { "type", "response.output_text.annotation.added" }, { "item_id", m_item_id },
                        { "output_index", m_block }, { "content_index", 0 }, { "annotation_index", 0 },
                        { "annotation",
                            { { "type", "url_citation" }, { "url", url }, { "title", title }, { "start_index", 0 },
                                { "end_index", 1 } } } });
            break;
        }
        case Format::gemini: {
            bj::array chunks;
            for (const auto& [url, title] : s.sources)
                chunks.push_back(bj::object{ { "web", { { "uri", url }, { "title", title } } } });
            bj::object chunk = gemini_chunk(bj::array{ bj::object{ { "text", "" } } });
            chunk["candidates"].as_array()[0].as_object()["groundingMetadata"]
                = bj::object{ { "webSearchQueries", bj::array{ bj::value(s.text) } }, { "groundingChunks", chunks },
                      { "searchEntryPoint", { { "renderedContent", "<div>mock</div>" } } } };
            data(chunk);
            break;
        }
        default:
            break; // OpenAI Chat has no server-side search
        }
    }

    void error(const Step& s)
    {
        switch (m_f) {
        case Format::anthropic:
            event("error",
                bj::object{ { "type", "error" }, { "error", { { "type", s.error_type }, { "message", s.text } } } });
            break;
        case Format::openai_responses:
            event("error",
                bj::object{
                    { "type", "error" }, { "code", s.error_type }, { "message", s.text }, { "param", nullptr } });
            break;
        case Format::gemini:
            data(bj::object{ { "error", { { "code", 503 }, { "message", s.text }, { "status", "UNAVAILABLE" } } } });
            break;
        default:
            data(bj::object{ { "error", { { "message", s.text }, { "type", s.error_type }, { "code", nullptr } } } });
            break;
        }
    }

    void finish()
    {
        const Usage& u = m_r.usage;
        std::string reason = finish_reason();
        switch (m_f) {
        case Format::openai_chat: {
            data(chat_chunk(bj::object{}, bj::value(reason)));
            if (u.present) {
                bj::object chunk{ { "id", "chatcmpl-mock" }, { "object", "chat.completion.chunk" },
                    { "created", 1700000000 }, { "model", m_r.model }, { "choices", bj::array{} } };
                chunk["usage"] = bj::object{ { "prompt_tokens", u.input }, { "completion_tokens", u.output },
                    { "total_tokens", u.input + u.output },
                    { "prompt_tokens_details", { { "cached_tokens", u.cached } } },
                    { "completion_tokens_details", { { "reasoning_tokens", u.reasoning } } } };
                data(chunk);
            }
            send_raw("data: [DONE]\n\n");
            break;
        }
        case Format::openai_responses: {
            responses_close();
            bool incomplete = reason == "length";
            bj::object resp{ { "id", "resp_mock" }, { "object", "response" },
                { "status", incomplete ? "incomplete" : "completed" }, { "model", m_r.model } };
            if (incomplete)
                resp["incomplete_details"] = bj::object{ { "reason", "max_output_tokens" } };
            resp["usage"] = bj::object{ { "input_tokens", u.input },
                { "input_tokens_details", { { "cached_tokens", u.cached } } }, { "output_tokens", u.output },
                { "output_tokens_details", { { "reasoning_tokens", u.reasoning } } },
                { "total_tokens", u.input + u.output } };
            std::string type = incomplete ? "response.incomplete" : "response.completed";
            event(type, bj::object{ { "type", type }, { "response", resp } });
            break;
        }
        case Format::anthropic: {
            anthropic_close();
            std::string stop = reason == "tool_calls" ? "tool_use" : reason == "length" ? "max_tokens" : "end_turn";
            event("message_delta",
                bj::object{ { "type", "message_delta" },
                    { "delta", { { "stop_reason", stop }, { "stop_sequence", nullptr } } },
                    { "usage", { { "output_tokens", u.output } } } });
            event("message_stop", bj::object{ { "type", "message_stop" } });
            break;
        }
        case Format::gemini: {
            bj::object chunk = gemini_chunk(bj::array{ bj::object{ { "text", "" } } });
            chunk["candidates"].as_array()[0].as_object()["finishReason"] = reason == "length" ? "MAX_TOKENS" : "STOP";
            if (u.present)
                chunk["usageMetadata"] = bj::object{ { "promptTokenCount", u.input },
                    { "candidatesTokenCount", u.output - u.reasoning }, { "totalTokenCount", u.input + u.output },
                    { "cachedContentTokenCount", u.cached }, { "thoughtsTokenCount", u.reasoning } };
            data(chunk);
            break;
        }
        case Format::unknown:
            break;
        }
    }

    const Response& m_r;
    Format m_f;
    std::vector<Action> m_out;
    int m_block = 0;
    std::string m_block_type;
    std::string m_item_id;
    bool m_saw_tools = false;
};

} // namespace

std::vector<Action> render(const Response& r, Format f)
{
    return Renderer(r, f).run();
}

} // namespace mockllm
