#include "script.h"

#include <boost/json.hpp>

namespace mockllm {

namespace bj = boost::json;

Format format_for_path(std::string_view path)
{
    if (path.find(":streamGenerateContent") != std::string_view::npos
        || path.find(":generateContent") != std::string_view::npos)
        return Format::gemini;
    if (path.ends_with("/chat/completions"))
        return Format::openai_chat;
    if (path.ends_with("/responses"))
        return Format::openai_responses;
    if (path.ends_with("/messages"))
        return Format::anthropic;
    return Format::unknown;
}

std::string_view format_name(Format f)
{
    switch (f) {
    case Format::openai_chat:
        return "openai-chat";
    case Format::openai_responses:
        return "openai-responses";
    case Format::anthropic:
        return "anthropic";
    case Format::gemini:
        return "gemini";
    case Format::unknown:
        break;
    }
    return "unknown";
}

namespace {

std::string str(const bj::object& o, std::string_view key, std::string_view fallback = "")
{
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_string())
        return std::string(fallback);
    return std::string(it->value().get_string());
}

long num(const bj::object& o, std::string_view key, long fallback = 0)
{
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_number())
        return fallback;
    return static_cast<long>(it->value().to_number<double>());
}

bool parse_step(const bj::object& s, Response& r, std::string& error)
{
    Step step;
    step.chunk = static_cast<size_t>(num(s, "chunk", 0));
    if (s.contains("text")) {
        step.kind = Step::Kind::text;
        step.text = str(s, "text");
        if (s.contains("repeat")) {
            std::string one = step.text;
            for (long i = 1; i < num(s, "repeat"); ++i)
                step.text += one;
        }
    } else if (s.contains("thinking")) {
        step.kind = Step::Kind::thinking;
        step.text = str(s, "thinking");
    } else if (s.contains("tool_calls")) {
        step.kind = Step::Kind::tool_calls;
        for (const auto& c : s.at("tool_calls").as_array()) {
            const auto& o = c.as_object();
            ToolCall call{ str(o, "id"), str(o, "name"), str(o, "arguments", "{}") };
            if (call.id.empty())
                call.id = "call_" + std::to_string(step.calls.size() + 1);
            step.calls.push_back(std::move(call));
        }
    } else if (s.contains("delay_ms")) {
        step.kind = Step::Kind::delay;
        step.ms = static_cast<int>(num(s, "delay_ms"));
    } else if (s.contains("stall")) {
        step.kind = Step::Kind::stall;
        step.ms = static_cast<int>(num(s, "stall_ms", 30000));
    } else if (s.contains("drop")) {
        step.kind = Step::Kind::drop;
    } else if (s.contains("malformed")) {
        step.kind = Step::Kind::malformed;
    } else if (s.contains("flood") || s.contains("endless_text") || s.contains("comments")) {
        step.kind = s.contains("flood")  ? Step::Kind::flood
            : s.contains("endless_text") ? Step::Kind::endless_text
                                         : Step::Kind::comments;
        step.text = str(s, s.contains("flood") ? "flood" : s.contains("endless_text") ? "endless_text" : "comments");
        step.ms = static_cast<int>(num(s, "interval_ms", 0));
        step.total_bytes = static_cast<size_t>(num(s, "total_bytes", 0));
        step.for_ms = static_cast<int>(num(s, "for_ms", 0));
    } else if (s.contains("search")) {
        // {"search": {"query": "...", "sources": [{"url": "...", "title": "..."}], "error": "code"}}
        step.kind = Step::Kind::search;
        const auto& o = s.at("search").as_object();
        step.text = str(o, "query");
        step.error_type = str(o, "error");
        if (o.contains("sources"))
            for (const auto& src : o.at("sources").as_array())
                step.sources.emplace_back(str(src.as_object(), "url"), str(src.as_object(), "title"));
    } else if (s.contains("raw")) {
        step.kind = Step::Kind::raw;
        step.text = str(s, "raw");
    } else if (s.contains("error")) {
        step.kind = Step::Kind::error;
        const auto& e = s.at("error").as_object();
        step.error_type = str(e, "type", "overloaded_error");
        step.text = str(e, "message", "Overloaded");
    } else if (s.contains("usage")) {
        const auto& u = s.at("usage").as_object();
        r.usage = Usage{ num(u, "input"), num(u, "output"), num(u, "cached"), num(u, "reasoning"), true };
        return true;
    } else if (s.contains("finish")) {
        r.finish = str(s, "finish", "stop");
        return true;
    } else {
        error = "unknown step: " + bj::serialize(s);
        return false;
    }
    r.steps.push_back(std::move(step));
    return true;
}

} // namespace

bool parse_script(std::string_view text, Script& script, std::string& error)
{
    try {
        bj::value v = bj::parse(text);
        const bj::array* list = v.is_array() ? &v.as_array() : &v.as_object().at("responses").as_array();
        if (v.is_object()) {
            const auto& top = v.as_object();
            script.window.tokens = num(top, "window", 0);
            script.window.bytes_per_token = std::max(1L, num(top, "bytes_per_token", 4));
            script.max_requests = static_cast<int>(num(top, "max_requests", 0));
            if (const bj::value* show = top.if_contains("show")) {
                script.has_show = true;
                script.show_body = show->is_string() ? std::string(show->as_string()) : bj::serialize(*show);
                script.show_status = static_cast<int>(num(top, "show_status", 200));
                script.show_delay_ms = num(top, "show_delay_ms", 0);
            }
        }
        for (const auto& item : *list) {
            const auto& o = item.as_object();
            Response r;
            r.status = static_cast<int>(num(o, "status", 200));
            r.body = str(o, "body");
            r.model = str(o, "model", "mock-model");
            r.match = str(o, "match");
            if (auto it = o.find("headers"); it != o.end())
                for (const auto& h : it->value().as_object())
                    r.headers[std::string(h.key())] = std::string(h.value().as_string());
            if (auto it = o.find("steps"); it != o.end())
                for (const auto& s : it->value().as_array())
                    if (!parse_step(s.as_object(), r, error))
                        return false;
            if (!r.match.empty()) {
                script.matched.push_back(std::move(r));
                continue;
            }
            long times = std::max(1L, num(o, "times", 1));
            for (long i = 1; i < times; ++i)
                script.responses.push_back(r);
            script.responses.push_back(std::move(r));
        }
    } catch (const std::exception& e) {
        error = e.what();
        return false;
    }
    return true;
}

long prompt_tokens(const Window& window, std::string_view body)
{
    return (static_cast<long>(body.size()) + window.bytes_per_token - 1) / window.bytes_per_token;
}

std::string context_error_body(Format f, long tokens, long window)
{
    std::string n = std::to_string(tokens);
    std::string w = std::to_string(window);
    bj::object o;
    if (f == Format::anthropic) {
        o["type"] = "error";
        o["error"] = bj::object{ { "type", "invalid_request_error" },
            { "message", "prompt is too long: " + n + " tokens > " + w + " maximum" } };
    } else if (f == Format::gemini) {
        o["error"] = bj::object{ { "code", 400 },
            { "message",
                "The input token count (" + n + ") exceeds the maximum number of tokens allowed (" + w + ")." },
            { "status", "INVALID_ARGUMENT" } };
    } else {
        o["error"] = bj::object{ { "message",
                                     "This model's maximum context length is " + w
                                         + " tokens. However, your messages resulted in " + n
                                         + " tokens. Please reduce the length of the messages." },
            { "type", "invalid_request_error" }, { "code", "context_length_exceeded" } };
    }
    return bj::serialize(o);
}

std::string default_error_body(Format f, int status)
{
    std::string type = status == 401 ? "authentication_error"
        : status == 429              ? "rate_limit_error"
        : status == 529              ? "overloaded_error"
        : status >= 500              ? "api_error"
                                     : "invalid_request_error";
    std::string message = "mock error " + std::to_string(status);
    bj::object o;
    if (f == Format::anthropic) {
        o["type"] = "error";
        o["error"] = bj::object{ { "type", type }, { "message", message } };
    } else if (f == Format::gemini) {
        o["error"] = bj::object{ { "code", status }, { "message", message }, { "status", "UNAVAILABLE" } };
    } else {
        o["error"] = bj::object{ { "message", message }, { "type", type }, { "code", nullptr } };
    }
    return bj::serialize(o);
}

} // namespace mockllm
