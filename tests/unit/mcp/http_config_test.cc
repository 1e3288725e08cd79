// HTTP MCP servers in the config: the keys, what is refused, header values
// from the environment, and URLs shown without their secrets.
#include <map>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "config/mcp_config.h"
#include "core/arena.h"
#include "core/json.h"
#include "mcp/http_headers.h"
#include "mcp/resources.h"

namespace ik::mcp {
namespace {

Result<std::vector<config::McpServerConfig>> read(std::string_view text)
{
    mem::Arena arena(mem::root(), "test");
    auto v = json::parse(arena, text, "test");
    if (!v)
        return fail(v.error());
    std::vector<config::McpServerConfig> out;
    TRY(config::read_mcp_servers(json::Field(*v), out, "config.json"));
    return out;
}

std::string error_of(std::string_view text)
{
    auto r = read(text);
    return r ? std::string("(no error)") : r.error().message();
}

TEST(McpHttpConfig, UrlAndHeadersMakeAnHttpServer)
{
    auto r = read(R"({"docs": {"type": "http", "url": "https://example.com/mcp",
        "headers": {"Authorization": "Bearer ${TOKEN}"}, "timeout": 5}})");
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    ASSERT_EQ(r->size(), 1U);
    const auto& s = r->front();
    EXPECT_TRUE(s.is_http());
    EXPECT_EQ(s.url, "https://example.com/mcp");
    EXPECT_TRUE(s.command.empty());
    ASSERT_EQ(s.headers.size(), 1U);
    EXPECT_EQ(s.headers[0].first, "Authorization");
    EXPECT_EQ(s.headers[0].second, "Bearer ${TOKEN}"); // expanded only when it starts
    EXPECT_EQ(s.timeout_s, 5);
    EXPECT_TRUE(read(R"({"d": {"type": "streamable-http", "url": "http://127.0.0.1:9/mcp"}})").has_value());
}

TEST(McpHttpConfig, MixedOrMalformedEntriesAreConfigErrors)
{
    EXPECT_NE(
        error_of(R"({"d": {"url": "http://h/mcp", "command": "x"}})").find("takes no command"), std::string::npos);
    EXPECT_NE(error_of(R"({"d": {"type": "http"}})").find("missing key 'url'"), std::string::npos);
    EXPECT_NE(
        error_of(R"({"d": {"url": "ftp://h/mcp"}})").find("expected an http:// or https:// URL"), std::string::npos);
    EXPECT_NE(error_of(R"({"d": {"url": "http://h/ mcp"}})").find("expected an http"), std::string::npos);
    EXPECT_NE(error_of(R"({"d": {"type": "sse", "url": "http://h/sse"}})").find("old HTTP+SSE"), std::string::npos);
    EXPECT_NE(error_of(R"({"d": {"type": "stdio", "url": "http://h/mcp"}})").find("not a url"), std::string::npos);
    EXPECT_NE(error_of(R"({"d": {"type": "ws", "url": "http://h/mcp"}})").find("expected \"stdio\" or \"http\""),
        std::string::npos);
    EXPECT_NE(error_of(R"({"d": {"command": "x", "headers": {"A": "b"}}})").find("'headers' are for HTTP"),
        std::string::npos);
    EXPECT_NE(error_of(R"({"d": {"url": "http://h/mcp", "headers": {"A": "b\r\nEvil: 1"}}})").find("line break"),
        std::string::npos);
    EXPECT_NE(error_of(R"({"d": {"url": "http://h/mcp", "headers": {"Bad Name": "b"}}})").find("not a header name"),
        std::string::npos);
    EXPECT_NE(error_of(R"({"d": {"url": "http://h/mcp", "headers": {"A": 1}}})"), "(no error)");
}

TEST(McpHttpConfig, TheConfigShownHidesHeaderValues)
{
    auto r = read(R"({"d": {"url": "http://h/mcp", "headers": {"Authorization": "Bearer literal-secret"}}})");
    ASSERT_TRUE(r.has_value());
    mem::Arena arena(mem::root(), "test");
    config::McpConfig mcp{ *r };
    std::string shown = boost::json::serialize(config::mcp_to_json(mcp, arena));
    EXPECT_NE(shown.find("Authorization"), std::string::npos);
    EXPECT_EQ(shown.find("literal-secret"), std::string::npos);
}

TEST(McpHttpHeaders, VariablesComeFromTheEnvironment)
{
    std::map<std::string, std::string, std::less<>> env{ { "TOKEN", "abc" }, { "BAD", "x\ny" } };
    Getenv getenv = [&](std::string_view name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    auto h = expand_headers({ { "Authorization", "Bearer ${TOKEN}" }, { "X-Price", "$5 ${TOKEN}${TOKEN}" } }, getenv);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ((*h)[0], "Authorization: Bearer abc");
    EXPECT_EQ((*h)[1], "X-Price: $5 abcabc");

    auto unset = expand_headers({ { "Authorization", "Bearer ${NOPE}" } }, getenv);
    ASSERT_FALSE(unset.has_value());
    EXPECT_NE(unset.error().message().find("NOPE is not set"), std::string::npos);
    EXPECT_NE(unset.error().message().find("'Authorization'"), std::string::npos);
    EXPECT_FALSE(expand_headers({ { "A", "${BAD}" } }, getenv).has_value()); // a header injection
    EXPECT_FALSE(expand_headers({ { "A", "${TOKEN" } }, getenv).has_value());
    EXPECT_FALSE(expand_headers({ { "A", "${}" } }, getenv).has_value());
}

TEST(McpHttpHeaders, UrlsAreShownWithoutCredentialsOrQuery)
{
    EXPECT_EQ(redacted_url("https://example.com/mcp"), "https://example.com/mcp");
    EXPECT_EQ(redacted_url("https://user:pw@example.com:8443/mcp"), "https://example.com:8443/mcp");
    EXPECT_EQ(redacted_url("https://example.com/mcp?key=secret"), "https://example.com/mcp?…");
    EXPECT_EQ(redacted_url("https://example.com?key=secret"), "https://example.com?…");
    EXPECT_EQ(redacted_url("http://a@b@example.com/x#frag"), "http://example.com/x");
}

TEST(McpResourceTemplates, TemplatesAreOneLineEachAndCapped)
{
    EXPECT_EQ(templates_text({}), "");
    std::vector<ResourceTemplate> t{ { "file:///logs/{date}", "logs", "A day's\nlog", "text/plain" } };
    std::string text = templates_text(t);
    EXPECT_NE(text.find("- file:///logs/{date} (logs) text/plain: A day's log"), std::string::npos);
    std::vector<ResourceTemplate> many(2000, ResourceTemplate{ std::string(100, 'u'), "n", "d", "" });
    EXPECT_LT(templates_text(many, 4096).size(), 4200U);
}

} // namespace
} // namespace ik::mcp
