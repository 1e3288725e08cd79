// MCP resources and prompts end to end: the real ik binary headless against
// the mock model and the Python test server (tests/support/mcp/
// stdio_server.py), which lists resources in two pages and offers prompts.
// Covered: the resource tools offered only while a server has resources;
// listing (with the next page's cursor) and reading text; binary content as
// a note, never bytes; oversized text capped; an unknown URI or server as an
// error result; `ik -p "/mcp__calc__explain …"` sending the prompt's text
// with named, positional and quoted arguments; a missing argument, a failing
// prompt and a server without prompts.
#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string server_script = std::string(IK_TEST_SUPPORT_DIR) + "/mcp/stdio_server.py";

// Calls in successive rounds (name, JSON arguments), then "done".
std::string rounds(const std::vector<std::pair<std::string, std::string>>& calls)
{
    std::string out = "[";
    int i = 0;
    for (const auto& [name, args] : calls)
        out += fmt::format(R"({{"steps": [{{"tool_calls": [{{"id": "t{}", "name": "{}", "arguments": "{}"}}]}}]}},)",
            ++i, name, json_escape(args));
    return out + R"({"steps": [{"text": "done"}]}])";
}

class McpExtras : public IkTest {
protected:
    void configure(const std::string& server_args = "")
    {
        write_config(fmt::format(R"({{"http": {{"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 1,
            "backoff_base_ms": 20}}, "sandbox": {{"mode": "off"}},
            "models": {{"anthropic/claude-test": {{"context_window": 1000000, "max_output": 4096}}}},
            "mcp": {{"servers": {{"calc": {{"command": "python3", "args": ["{}"{}],
              "env": {{"MCP_LOG": "{}"}}}}}}}}}})",
            json_escape(server_script), server_args, json_escape(log_path())));
    }
    std::string log_path() const { return m_tmp.path() + "/mcp.log"; }
    RunResult run(const std::string& prompt = "go")
    {
        RunOptions o;
        o.timeout = std::chrono::milliseconds(30'000);
        return ik({ "--model", model_for(Wire::anthropic), "-p", prompt }, env_for(Wire::anthropic), o);
    }
    std::string request(size_t i) const
    {
        auto r = m_mock->requests();
        return i < r.size() ? r[i] : std::string();
    }
    // The result of call `n` (tool_use_id "t<n>") as the model was sent it:
    // the first request that carries it, from that id to the next call's.
    std::string result_of(int n) const
    {
        std::string id = fmt::format(R"("tool_use_id":"t{}")", n);
        for (const std::string& r : m_mock->requests()) {
            size_t at = r.find(id);
            if (at == std::string::npos)
                continue;
            size_t end = r.find(R"("tool_use_id":"t)", at + id.size());
            return r.substr(at, end == std::string::npos ? std::string::npos : end - at);
        }
        return {};
    }
};

TEST_F(McpExtras, ResourcesAreListedPageByPageAndReadWithoutAsking)
{
    configure();
    start_mock(rounds({ { "mcp_resource_list", R"({"server": "calc"})" },
        { "mcp_resource_list", R"({"server": "calc", "cursor": "page2"})" },
        { "mcp_resource_read", R"({"server": "calc", "uri": "file:///notes.txt"})" } }));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(request(0), HasSubstr("mcp_resource_read"));
    EXPECT_THAT(request(0), HasSubstr("Servers with resources: calc"));
    EXPECT_THAT(result_of(1), HasSubstr("file:///notes.txt (notes) text/plain: the notes"));
    EXPECT_THAT(result_of(1), HasSubstr("file:///logo.png (logo) image/png, 3000 bytes"));
    EXPECT_THAT(result_of(1), HasSubstr(R"(cursor \"page2\")"));
    EXPECT_THAT(result_of(2), HasSubstr("file:///huge.txt"));
    EXPECT_THAT(result_of(2), HasSubstr("line one line two")) << "a description is cut to one line";
    EXPECT_THAT(result_of(3), HasSubstr("the notes say hello"));
    EXPECT_THAT(read_text(log_path()), HasSubstr(R"("cursor": "page2")"));
}

TEST_F(McpExtras, BinaryContentIsANoteBigTextIsCappedAndBadRequestsAreErrorResults)
{
    configure();
    start_mock(rounds({ { "mcp_resource_read", R"({"server": "calc", "uri": "file:///logo.png"})" },
        { "mcp_resource_read", R"({"server": "calc", "uri": "file:///huge.txt"})" },
        { "mcp_resource_read", R"({"server": "calc", "uri": "file:///missing"})" },
        { "mcp_resource_read", R"({"server": "nope", "uri": "file:///notes.txt"})" } }));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(result_of(1), HasSubstr("[binary resource file:///logo.png (image/png), 3000 bytes: not shown]"));
    EXPECT_THAT(result_of(1), Not(HasSubstr("iYmJ"))) << "the base64 bytes reached the model";
    EXPECT_THAT(result_of(2), HasSubstr("more bytes cut"));
    EXPECT_LT(result_of(2).size(), size_t{ 80 } << 10);
    EXPECT_THAT(result_of(2), HasSubstr("hhhh"));
    EXPECT_THAT(result_of(3), HasSubstr("resource not found"));
    EXPECT_THAT(result_of(4), HasSubstr("no MCP server 'nope' with resources"));
}

TEST_F(McpExtras, AServerWithoutResourcesOrPromptsOffersNeither)
{
    configure(R"(, "--no-extras")");
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    RunResult r = run("/mcp__calc__explain x");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(request(0), Not(HasSubstr("mcp_resource_")));
    EXPECT_THAT(request(0), HasSubstr("/mcp__calc__explain x")) << "no prompt: the line is sent as typed";
    EXPECT_THAT(read_text(log_path()), Not(HasSubstr("prompts/list")));
}

TEST_F(McpExtras, APromptsTextBecomesTheMessageWithNamedPositionalAndQuotedArguments)
{
    configure();
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    RunResult r = run("/mcp__calc__explain recursion depth=2");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(request(0), HasSubstr("Explain recursion at depth 2."));
    EXPECT_THAT(request(0), Not(HasSubstr("/mcp__calc__explain")));
    std::string log = read_text(log_path());
    EXPECT_THAT(log, HasSubstr("prompts/list"));
    EXPECT_THAT(log, HasSubstr(R"("arguments": {"depth": "2", "topic": "recursion"})"));

    start_mock(R"([{"steps": [{"text": "done"}]}])");
    RunResult quoted = run(R"(/mcp__calc__explain topic="tail calls")");
    EXPECT_EQ(quoted.exit_code, 0) << quoted.err;
    EXPECT_THAT(request(0), HasSubstr("Explain tail calls at depth normal."));

    start_mock(R"([{"steps": [{"text": "done"}]}])");
    RunResult rest = run("/mcp__calc__explain closures deep and wide");
    EXPECT_EQ(rest.exit_code, 0) << rest.err;
    EXPECT_THAT(request(0), HasSubstr("Explain closures at depth deep and wide.")) << "the last takes the rest";

    start_mock(R"([{"steps": [{"text": "done"}]}])");
    RunResult greet = run("/mcp__calc__greet");
    EXPECT_EQ(greet.exit_code, 0) << greet.err;
    EXPECT_THAT(request(0), HasSubstr(R"(Say hello to the team.\n\nHello, team!)"));
}

TEST_F(McpExtras, AMissingArgumentOrAFailingPromptStopsBeforeTheModel)
{
    configure();
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    RunResult missing = run("/mcp__calc__explain depth=3");
    EXPECT_NE(missing.exit_code, 0);
    EXPECT_THAT(missing.err, HasSubstr("missing 'topic'; usage: /mcp__calc__explain topic [depth]"));
    RunResult broken = run("/mcp__calc__broken");
    EXPECT_NE(broken.exit_code, 0);
    EXPECT_THAT(broken.err, HasSubstr("the prompt broke"));
    RunResult extra = run("/mcp__calc__greet hello");
    EXPECT_NE(extra.exit_code, 0);
    EXPECT_THAT(extra.err, HasSubstr("'hello' is one word too many"));
    EXPECT_TRUE(m_mock->requests().empty());
}

} // namespace
