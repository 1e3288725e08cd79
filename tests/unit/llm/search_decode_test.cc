// Server-side web search on each provider's stream: recorded-shape bodies
// (tests/data/streams/*/web_search*.sse, gemini/grounding.sse) and hostile
// ones (bad schemes, oversized fields, floods of sources, broken query JSON).
#include <gtest/gtest.h>

#include "event_recorder.h"
#include "llm/internal/search_wire.h"
#include "support/matchers.h"

namespace ik::llm {
namespace {

void expect_stream(WireFormat format, std::string_view name, const std::vector<std::string>& expected)
{
    testing::expect_stream(format, name, expected, 7);
}

size_t count_prefix(const std::vector<std::string>& lines, std::string_view prefix)
{
    return static_cast<size_t>(
        std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.starts_with(prefix); }));
}

TEST(SearchDecode, AnthropicSearchResultsAndCitations)
{
    expect_stream(WireFormat::anthropic, "anthropic/web_search.sse",
        { "start model=claude-sonnet-4-5 id=msg_ws1", "text I'll search for that.", "search rust 1.80 release date",
            "source found https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html Announcing Rust 1.80.0",
            "source found https://releases.rs/docs/1.80.0/ Rust 1.80 — Releases", // javascript: dropped
            "source cited https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html Announcing Rust 1.80.0",
            "text Rust 1.80 came out on July 25, 2024.", "usage in=2100 out=120 cached=0 reasoning=0",
            "finish stop end_turn" });
}

TEST(SearchDecode, AnthropicSearchErrorAndWholeInput)
{
    expect_stream(WireFormat::anthropic, "anthropic/web_search_error.sse",
        { "start model=claude-sonnet-4-5 id=msg_ws2", "search weather paris", "search  error=max_uses_exceeded",
            "text I could not search.", "usage in=900 out=12 cached=0 reasoning=0", "finish stop end_turn" });
}

TEST(SearchDecode, OpenaiResponsesSearchCallAndAnnotations)
{
    // The finished message repeats the streamed annotation: the agent deduplicates.
    expect_stream(WireFormat::openai_responses, "openai_responses/web_search.sse",
        { "start model=gpt-5-2025-08-07 id=resp_ws1", "search positive news story today",
            "text A sea turtle was rescued today.",
            "source cited https://www.example.com/turtle?utm_source=openai Turtle rescued",
            "source cited https://www.example.com/turtle?utm_source=openai Turtle rescued",
            "source cited https://news.example.org/good Good news", "usage in=328 out=356 cached=0 reasoning=0",
            "finish stop completed" });
}

TEST(SearchDecode, GeminiGroundingMetadata)
{
    expect_stream(WireFormat::gemini, "gemini/grounding.sse",
        { "start model=gemini-3-pro-preview id=gr1", "text Spain won Euro 2024,",
            "usage in=9 out=5 cached=0 reasoning=0", "text  beating England 2-1.", "search UEFA Euro 2024 winner",
            "search who won euro 2024",
            "source cited https://vertexaisearch.cloud.google.com/grounding-api-redirect/AQXblrzpaN1 aljazeera.com",
            "source cited https://vertexaisearch.cloud.google.com/grounding-api-redirect/AQXblryc7vd2 uefa.com",
            "usage in=9 out=12 cached=0 reasoning=0", "finish stop STOP" });
}

std::string anthropic_event(std::string_view type, std::string_view data)
{
    return fmt::format("event: {}\ndata: {}\n\n", type, data);
}

std::string anthropic_body(std::string_view blocks)
{
    return anthropic_event("message_start",
               R"({"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":1,"output_tokens":1}}})")
        + std::string(blocks)
        + anthropic_event("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"}})")
        + anthropic_event("message_stop", R"({"type":"message_stop"})");
}

TEST(SearchDecode, HostileSourcesAreCheckedAndCapped)
{
    std::string results;
    for (int i = 0; i < 500; ++i)
        results += fmt::format(
            R"({}{{"type":"web_search_result","url":"https://e.com/{}","title":"t{}"}})", i ? "," : "", i, i);
    std::string long_url = "https://e.com/" + std::string(5000, 'a');
    std::string long_title(2000, 'x');
    std::string blocks = anthropic_event("content_block_start",
        fmt::format(R"({{"type":"content_block_start","index":0,"content_block":{{"type":"web_search_tool_result",)"
                    R"("content":[{{"type":"web_search_result","url":"{}","title":"long"}},)"
                    R"({{"type":"web_search_result","url":"https://ok.com/","title":"{}"}},)"
                    R"({{"type":"web_search_result","url":"https://e.com/a b","title":"space"}},)"
                    R"({{"type":"web_search_result","url":"ftp://e.com/","title":"ftp"}},)"
                    R"({{"type":"web_search_result","url":42,"title":"number"}},{}]}}}})",
            long_url, long_title, results));
    auto got = testing::replay(WireFormat::anthropic, anthropic_body(blocks));
    ASSERT_TRUE(got.has_value()) << got.error().to_string();
    EXPECT_EQ(count_prefix(*got, "source "), size_t(wire::max_sources));
    EXPECT_EQ(std::find(got->begin(), got->end(), "source found " + long_url + " long"), got->end());
    auto ok = std::find_if(
        got->begin(), got->end(), [](const std::string& l) { return l.starts_with("source found https://ok.com/"); });
    ASSERT_NE(ok, got->end());
    EXPECT_EQ(ok->size(), std::string_view("source found https://ok.com/ ").size() + wire::max_title_bytes);
    EXPECT_EQ(count_prefix(*got, "source found https://e.com/a b"), 0u);
    EXPECT_EQ(count_prefix(*got, "source found ftp:"), 0u);
}

TEST(SearchDecode, BrokenOrOversizedQueryStillEndsTheBlock)
{
    std::string blocks = anthropic_event("content_block_start",
        R"({"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"s","name":"web_search","input":{}}})");
    blocks += anthropic_event("content_block_delta",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"query\": \"unterminated"}})");
    blocks += anthropic_event("content_block_stop", R"({"type":"content_block_stop","index":0})");
    std::string huge(3000, 'q');
    blocks += anthropic_event("content_block_start",
        R"({"type":"content_block_start","index":1,"content_block":{"type":"server_tool_use","id":"s2","name":"web_search","input":{}}})");
    for (int i = 0; i < 4; ++i) // 12 KB of query: over the 4 KiB cap, so the JSON is cut and unreadable
        blocks += anthropic_event("content_block_delta",
            fmt::format(
                R"({{"type":"content_block_delta","index":1,"delta":{{"type":"input_json_delta","partial_json":"{}{}"}}}})",
                i == 0 ? R"({\"query\": \")" : "", huge));
    blocks += anthropic_event("content_block_stop", R"({"type":"content_block_stop","index":1})");
    auto got = testing::replay(WireFormat::anthropic, anthropic_body(blocks));
    ASSERT_TRUE(got.has_value()) << got.error().to_string();
    EXPECT_EQ(count_prefix(*got, "search "), 2u);
    EXPECT_EQ(got->back(), "finish stop end_turn");
    for (const std::string& line : *got)
        EXPECT_LE(line.size(), 600u);
}

TEST(SearchDecode, SearchFloodIsCapped)
{
    std::string queries;
    for (int i = 0; i < 100; ++i)
        queries += fmt::format(R"({}"q{}")", i ? "," : "", i);
    std::string body = fmt::format(
        R"(data: {{"candidates":[{{"content":{{"parts":[{{"text":"x"}}]}},"finishReason":"STOP",)"
        R"("groundingMetadata":{{"webSearchQueries":[{}],"groundingChunks":[{{"web":{{"uri":"javascript:x","title":"j"}}}},{{"web":{{}}}},{{"nope":1}}]}}}}]}})"
        "\n\n",
        queries);
    auto got = testing::replay(WireFormat::gemini, body);
    ASSERT_TRUE(got.has_value()) << got.error().to_string();
    EXPECT_EQ(count_prefix(*got, "search "), size_t(wire::max_searches));
    EXPECT_EQ(count_prefix(*got, "source "), 0u);
}

TEST(SearchDecode, CutUtf8NeverSplitsACharacter)
{
    EXPECT_EQ(wire::cut_utf8("héllo", 2), "h");
    EXPECT_EQ(wire::cut_utf8("héllo", 3), "hé");
    EXPECT_EQ(wire::cut_utf8("abc", 10), "abc");
    EXPECT_TRUE(wire::acceptable_url("https://a.b/c?d=e"));
    EXPECT_FALSE(wire::acceptable_url("https://"));
    EXPECT_FALSE(wire::acceptable_url("https://a.b/\x1b[2J"));
    EXPECT_FALSE(wire::acceptable_url("data:text/html,hi"));
}

} // namespace
} // namespace ik::llm
