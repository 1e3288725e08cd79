#include <gtest/gtest.h>

#include "core/arena.h"
#include "core/json.h"
#include "mcp/naming.h"
#include "mcp/tool_result.h"

namespace ik::mcp {
namespace {

TEST(McpNaming, FullNamesAreSafeForEveryProvider)
{
    EXPECT_EQ(full_tool_name("calc", "add"), "mcp__calc__add");
    EXPECT_EQ(full_tool_name("calc", "get.weather/now"), "mcp__calc__get_weather_now");
    EXPECT_EQ(full_tool_name("calc", "\x1b[2J"), "mcp__calc____2J");
    EXPECT_EQ(full_tool_name("calc", ""), "");
    EXPECT_EQ(full_tool_name("calc", std::string(60, 'a')), ""); // over 64 characters
    EXPECT_EQ(full_tool_name("s", std::string(56, 'a')).size(), 64U);
}

TEST(McpNaming, SplitFindsTheServerAndTheTool)
{
    auto p = split_tool_name("mcp__calc__add__more");
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->server, "calc");
    EXPECT_EQ(p->tool, "add__more"); // server names never hold "__"
    EXPECT_FALSE(split_tool_name("bash").has_value());
    EXPECT_FALSE(split_tool_name("mcp__calc").has_value());
    EXPECT_FALSE(split_tool_name("mcp____add").has_value());
    EXPECT_FALSE(split_tool_name("mcp__calc__").has_value());
}

CallOutcome outcome(std::string_view json_text, size_t max = size_t{ 256 } << 10)
{
    mem::Arena arena(mem::root(), "mcp-test");
    auto v = json::parse(arena, json_text);
    EXPECT_TRUE(v.has_value());
    return outcome_from(*v, max);
}

TEST(McpToolResult, ContentBlocksBecomeText)
{
    CallOutcome o = outcome(R"({"content": [{"type": "text", "text": "a"},
        {"type": "image", "data": "AAAAAAAA", "mimeType": "image/png"},
        {"type": "resource_link", "uri": "file:///x", "name": "x"},
        {"type": "resource", "resource": {"uri": "mem://r", "text": "inside"}},
        {"type": "resource", "resource": {"uri": "mem://b", "blob": "AA==", "mimeType": "application/zip"}},
        {"type": "weird"}]})");
    EXPECT_FALSE(o.is_error);
    EXPECT_EQ(o.images, 1U);
    EXPECT_EQ(o.text,
        "a\n[image image/png, 6 bytes]\n[resource link: x <file:///x>]\n"
        "[resource mem://r]\ninside\n[resource mem://b (application/zip): binary, not shown]\n"
        "[content of type 'weird' not understood]");
}

TEST(McpToolResult, ErrorsStructuredContentAndTheCap)
{
    EXPECT_TRUE(outcome(R"({"content": [{"type": "text", "text": "bad"}], "isError": true})").is_error);
    EXPECT_EQ(outcome(R"({"content": [], "structuredContent": {"n": 1}})").text, R"({"n":1})");
    CallOutcome big = outcome(R"({"content": [{"type": "text", "text": "0123456789"}]})", 4);
    EXPECT_EQ(big.text, "0123\n[6 more bytes cut]");
    // Not an object where one is expected: no crash, empty text.
    EXPECT_EQ(outcome(R"({"content": 7})").text, "");
}

} // namespace
} // namespace ik::mcp
