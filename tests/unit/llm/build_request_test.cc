// build_request(): URL, headers and the JSON body, checked field by field for
// a conversation with every role, a tool, and each thinking level.
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/json.h"
#include "llm/provider.h"

namespace ik::llm {
namespace {

using ::testing::Contains;

struct Fixture {
    ToolCall calls[2]
        = { { "call_1", "get_weather", R"({"location":"Paris"})", "CiIBVKhc7oF" }, { "call_2", "get_time", "" } };
    Message messages[5];
    Fixture()
    {
        messages[0].text = "Weather?";
        messages[1].role = Role::assistant;
        messages[1].text = "Checking.";
        messages[1].thinking = "need tools";
        messages[1].thinking_signature = "sig123";
        messages[1].tool_calls = calls;
        messages[2].role = Role::tool;
        messages[2].text = "18C";
        messages[2].tool_call_id = "call_1";
        messages[2].tool_name = "get_weather";
        messages[3].role = Role::tool;
        messages[3].text = "boom";
        messages[3].tool_call_id = "call_2";
        messages[3].tool_name = "get_time";
        messages[3].is_error = true;
        messages[4].text = "Thanks";
        request.model = "m-1";
        request.system = "Be brief.";
        request.messages = messages;
        request.tools = tools;
    }
    ToolSpec tools[1] = { { "get_weather", "Current weather",
        R"({"type":"object","properties":{"location":{"type":"string"}},"required":["location"]})" } };
    Request request;
};

struct Built {
    mem::Arena arena{ mem::root(), "req-test" };
    HttpRequest http;
    json::value body;
};

std::unique_ptr<Built> build(WireFormat f, const Request& r, std::string_view key = "KEY")
{
    auto b = std::make_unique<Built>();
    auto http = provider_for(f).build_request(b->arena, Endpoint{ "https://h/v1", key }, r);
    EXPECT_TRUE(http.has_value()) << http.error().to_string();
    b->http = *http;
    auto v = json::parse(b->arena, b->http.body, "body");
    EXPECT_TRUE(v.has_value());
    b->body = *v;
    return b;
}

std::string at(const json::value& v, std::initializer_list<std::variant<const char*, int>> path)
{
    const json::value* cur = &v;
    for (auto& p : path) {
        if (!cur)
            return "<missing>";
        if (std::holds_alternative<int>(p))
            cur = cur->is_array() && size_t(std::get<int>(p)) < cur->as_array().size()
                ? &cur->as_array()[size_t(std::get<int>(p))]
                : nullptr;
        else
            cur = cur->is_object() ? cur->as_object().if_contains(std::get<const char*>(p)) : nullptr;
    }
    if (!cur)
        return "<missing>";
    return cur->is_string() ? std::string(cur->as_string()) : boost::json::serialize(*cur);
}

std::vector<std::string> headers(const HttpRequest& h)
{
    return { h.headers.begin(), h.headers.end() };
}

TEST(BuildRequest, OpenAiChat)
{
    Fixture fx;
    fx.request.thinking = ThinkingLevel::medium;
    fx.request.max_tokens = 500;
    auto b = build(WireFormat::openai_chat, fx.request);
    const auto& v = b->body;
    EXPECT_EQ(b->http.url, "https://h/v1/chat/completions");
    EXPECT_THAT(headers(b->http), Contains("Authorization: Bearer KEY"));
    EXPECT_EQ(at(v, { "model" }), "m-1");
    EXPECT_EQ(at(v, { "stream" }), "true");
    EXPECT_EQ(at(v, { "stream_options", "include_usage" }), "true");
    EXPECT_EQ(at(v, { "reasoning_effort" }), "medium");
    EXPECT_EQ(at(v, { "prompt_cache_key" }), "<missing>");
    fx.request.cache_key = "session-1";
    EXPECT_EQ(at(build(WireFormat::openai_chat, fx.request)->body, { "prompt_cache_key" }), "session-1");
    EXPECT_EQ(at(build(WireFormat::openai_responses, fx.request)->body, { "prompt_cache_key" }), "session-1");
    fx.request.cache_key = {};
    EXPECT_EQ(at(v, { "max_completion_tokens" }), "500");
    EXPECT_EQ(at(v, { "messages", 0, "role" }), "system");
    EXPECT_EQ(at(v, { "messages", 0, "content" }), "Be brief.");
    EXPECT_EQ(at(v, { "messages", 1, "content" }), "Weather?");
    EXPECT_EQ(at(v, { "messages", 2, "role" }), "assistant");
    EXPECT_EQ(at(v, { "messages", 2, "tool_calls", 0, "id" }), "call_1");
    EXPECT_EQ(at(v, { "messages", 2, "tool_calls", 0, "function", "arguments" }), R"({"location":"Paris"})");
    EXPECT_EQ(at(v, { "messages", 2, "tool_calls", 1, "function", "arguments" }), "{}");
    EXPECT_EQ(at(v, { "messages", 3, "role" }), "tool");
    EXPECT_EQ(at(v, { "messages", 3, "tool_call_id" }), "call_1");
    EXPECT_EQ(at(v, { "messages", 5, "content" }), "Thanks");
    EXPECT_EQ(at(v, { "tools", 0, "type" }), "function");
    EXPECT_EQ(at(v, { "tools", 0, "function", "parameters", "required", 0 }), "location");
    // No key (a local server): no Authorization header; none level: no effort.
    fx.request.thinking = ThinkingLevel::none;
    auto local = build(WireFormat::openai_chat, fx.request, "");
    EXPECT_EQ(local->http.headers.size(), 2u);
    EXPECT_EQ(at(local->body, { "reasoning_effort" }), "<missing>");
}

TEST(BuildRequest, OpenAiResponses)
{
    Fixture fx;
    fx.request.thinking = ThinkingLevel::high;
    auto b = build(WireFormat::openai_responses, fx.request);
    const auto& v = b->body;
    EXPECT_EQ(b->http.url, "https://h/v1/responses");
    EXPECT_EQ(at(v, { "instructions" }), "Be brief.");
    EXPECT_EQ(at(v, { "stream" }), "true");
    EXPECT_EQ(at(v, { "reasoning", "effort" }), "high");
    EXPECT_EQ(at(v, { "reasoning", "summary" }), "auto");
    EXPECT_EQ(at(v, { "input", 0, "role" }), "user");
    EXPECT_EQ(at(v, { "input", 1, "role" }), "assistant");
    EXPECT_EQ(at(v, { "input", 2, "type" }), "function_call");
    EXPECT_EQ(at(v, { "input", 2, "call_id" }), "call_1");
    EXPECT_EQ(at(v, { "input", 4, "type" }), "function_call_output");
    EXPECT_EQ(at(v, { "input", 4, "output" }), "18C");
    EXPECT_EQ(at(v, { "tools", 0, "name" }), "get_weather");
    EXPECT_EQ(at(v, { "tools", 0, "parameters", "type" }), "object");
}

TEST(BuildRequest, Anthropic)
{
    Fixture fx;
    auto b = build(WireFormat::anthropic, fx.request);
    const auto& v = b->body;
    EXPECT_EQ(b->http.url, "https://h/v1/messages");
    EXPECT_THAT(headers(b->http), Contains("anthropic-version: 2023-06-01"));
    EXPECT_THAT(headers(b->http), Contains("x-api-key: KEY"));
    EXPECT_EQ(at(v, { "system", 0, "text" }), "Be brief.");
    // Prompt caching: breakpoints after the tools, the system prompt and the last message.
    EXPECT_EQ(at(v, { "system", 0, "cache_control", "type" }), "ephemeral");
    EXPECT_EQ(at(v, { "tools", 0, "cache_control", "type" }), "ephemeral");
    EXPECT_EQ(at(v, { "messages", 2, "content", 2, "cache_control", "type" }), "ephemeral");
    EXPECT_EQ(at(v, { "messages", 2, "content", 1, "cache_control" }), "<missing>");
    EXPECT_EQ(at(v, { "messages", 1, "content", 2, "cache_control" }), "<missing>");
    EXPECT_EQ(at(v, { "max_tokens" }), "8192");
    EXPECT_EQ(at(v, { "thinking" }), "<missing>");
    EXPECT_EQ(at(v, { "messages", 0, "content", 0, "text" }), "Weather?");
    EXPECT_EQ(at(v, { "messages", 1, "content", 0, "type" }), "thinking");
    EXPECT_EQ(at(v, { "messages", 1, "content", 0, "signature" }), "sig123");
    EXPECT_EQ(at(v, { "messages", 1, "content", 1, "text" }), "Checking.");
    EXPECT_EQ(at(v, { "messages", 1, "content", 2, "type" }), "tool_use");
    EXPECT_EQ(at(v, { "messages", 1, "content", 2, "input", "location" }), "Paris");
    EXPECT_EQ(at(v, { "messages", 1, "content", 3, "input" }), "{}");
    // Both tool results and the next user text share one user turn.
    EXPECT_EQ(at(v, { "messages", 2, "role" }), "user");
    EXPECT_EQ(at(v, { "messages", 2, "content", 0, "tool_use_id" }), "call_1");
    EXPECT_EQ(at(v, { "messages", 2, "content", 1, "is_error" }), "true");
    EXPECT_EQ(at(v, { "messages", 2, "content", 2, "text" }), "Thanks");
    EXPECT_EQ(at(v, { "messages", 3 }), "<missing>");
    EXPECT_EQ(at(v, { "tools", 0, "input_schema", "type" }), "object");
    for (auto [level, budget] :
        { std::pair{ ThinkingLevel::low, 1024 }, { ThinkingLevel::medium, 8192 }, { ThinkingLevel::high, 24576 } }) {
        fx.request.thinking = level;
        auto t = build(WireFormat::anthropic, fx.request);
        EXPECT_EQ(at(t->body, { "thinking", "type" }), "enabled");
        EXPECT_EQ(at(t->body, { "thinking", "budget_tokens" }), std::to_string(budget));
        EXPECT_GT(std::stoi(at(t->body, { "max_tokens" })), budget);
    }
}

TEST(BuildRequest, Gemini)
{
    Fixture fx;
    fx.request.thinking = ThinkingLevel::low;
    fx.request.max_tokens = 1000;
    auto b = build(WireFormat::gemini, fx.request);
    const auto& v = b->body;
    EXPECT_EQ(b->http.url, "https://h/v1/models/m-1:streamGenerateContent?alt=sse");
    EXPECT_THAT(headers(b->http), Contains("x-goog-api-key: KEY"));
    EXPECT_EQ(at(v, { "systemInstruction", "parts", 0, "text" }), "Be brief.");
    EXPECT_EQ(at(v, { "contents", 0, "role" }), "user");
    EXPECT_EQ(at(v, { "contents", 1, "role" }), "model");
    EXPECT_EQ(at(v, { "contents", 1, "parts", 1, "functionCall", "name" }), "get_weather");
    EXPECT_EQ(at(v, { "contents", 1, "parts", 1, "functionCall", "args", "location" }), "Paris");
    // Gemini's thoughtSignature goes back beside the call it came with, and only there.
    EXPECT_EQ(at(v, { "contents", 1, "parts", 1, "thoughtSignature" }), "CiIBVKhc7oF");
    EXPECT_FALSE(v.at("contents").at(1).at("parts").at(2).as_object().contains("thoughtSignature"));
    EXPECT_EQ(at(v, { "contents", 2, "parts", 0, "functionResponse", "name" }), "get_weather");
    EXPECT_EQ(at(v, { "contents", 2, "parts", 0, "functionResponse", "response", "result" }), "18C");
    EXPECT_EQ(at(v, { "contents", 3, "parts", 0, "functionResponse", "response", "error" }), "boom");
    EXPECT_EQ(at(v, { "tools", 0, "functionDeclarations", 0, "parametersJsonSchema", "type" }), "object");
    EXPECT_EQ(at(v, { "generationConfig", "maxOutputTokens" }), "1000");
    EXPECT_EQ(at(v, { "generationConfig", "thinkingConfig", "thinkingBudget" }), "1024");
    EXPECT_EQ(at(v, { "generationConfig", "thinkingConfig", "includeThoughts" }), "true");
}

TEST(BuildRequest, GeminiModelIdsCannotChangeThePathOrQuery)
{
    Fixture fx;
    fx.request.model = "../../x?key=1#f";
    auto b = build(WireFormat::gemini, fx.request);
    EXPECT_EQ(b->http.url, "https://h/v1/models/..%2F..%2Fx%3Fkey%3D1%23f:streamGenerateContent?alt=sse");
    fx.request.model = "gemini-2.5-flash_v1.0~x";
    EXPECT_EQ(build(WireFormat::gemini, fx.request)->http.url,
        "https://h/v1/models/gemini-2.5-flash_v1.0~x:streamGenerateContent?alt=sse");
}

TEST(BuildRequest, BadToolSchemaNamesTheTool)
{
    Fixture fx;
    fx.tools[0].parameters = "{not json";
    mem::Arena a(mem::root(), "req");
    for (WireFormat f : { WireFormat::openai_chat, WireFormat::anthropic, WireFormat::gemini }) {
        auto r = provider_for(f).build_request(a, Endpoint{ "https://h", "k" }, fx.request);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code(), ErrorCode::parse);
        EXPECT_THAT(r.error().to_string(), ::testing::HasSubstr("tool get_weather"));
    }
}

// Each provider's own search tool goes next to the function tools, and
// nowhere when search is off; OpenAI Chat has none.
TEST(BuildRequest, WebSearchToolPerProvider)
{
    Fixture fx;
    fx.request.web_search = { .enabled = true, .max_uses = 3 };
    auto a = build(WireFormat::anthropic, fx.request);
    EXPECT_EQ(at(a->body, { "tools", 1, "type" }), "web_search_20250305");
    EXPECT_EQ(at(a->body, { "tools", 1, "name" }), "web_search");
    EXPECT_EQ(at(a->body, { "tools", 1, "max_uses" }), "3");
    EXPECT_EQ(at(a->body, { "tools", 0, "name" }), "get_weather");
    EXPECT_NE(at(a->body, { "tools", 0, "cache_control" }), "<missing>"); // the breakpoint stays on the function tools
    auto r = build(WireFormat::openai_responses, fx.request);
    EXPECT_EQ(at(r->body, { "tools", 1, "type" }), "web_search");
    auto g = build(WireFormat::gemini, fx.request);
    EXPECT_EQ(at(g->body, { "tools", 1, "google_search" }), "{}");
    EXPECT_NE(at(g->body, { "tools", 0, "functionDeclarations" }), "<missing>");
    auto c = build(WireFormat::openai_chat, fx.request);
    EXPECT_EQ(boost::json::serialize(c->body).find("web_search"), std::string::npos);

    fx.request.tools = {};
    EXPECT_EQ(at(build(WireFormat::anthropic, fx.request)->body, { "tools", 0, "type" }), "web_search_20250305");
    EXPECT_EQ(at(build(WireFormat::gemini, fx.request)->body, { "tools", 0, "google_search" }), "{}");

    fx.request.web_search.enabled = false;
    for (WireFormat f : { WireFormat::anthropic, WireFormat::openai_responses, WireFormat::gemini }) {
        auto b = build(f, fx.request);
        std::string text = boost::json::serialize(b->body);
        EXPECT_EQ(text.find("web_search"), std::string::npos);
        EXPECT_EQ(text.find("google_search"), std::string::npos);
    }
}

} // namespace
} // namespace ik::llm
