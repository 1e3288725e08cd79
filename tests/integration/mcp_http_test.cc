// MCP over Streamable HTTP end to end: the real ik binary headless against
// the scripted mock model and an MCP server over HTTP run on a thread of the
// test (tests/support/mcp/http_server.h), which logs every request it gets.
// Covered: tools over HTTP with JSON and with SSE answers (a server request
// and a notification before the response), the session id and protocol
// version sent back, headers from the environment (never shown), a 404 for
// the session answered by one re-initialize, an oversized answer refused
// while the server stays usable, a server that is down (a clear error, ik
// still answers), resource templates listed, a subscription and the
// resources/updated note reaching the model, the DELETE at exit, and a
// broken event stream resumed with Last-Event-ID (or refused: a clear error).
#include <fmt/format.h>

#include "fixture.h"
#include "support/mcp/http_server.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

std::string calls(const std::vector<std::pair<std::string, std::string>>& tools)
{
    std::string out = "[";
    int n = 0;
    for (const auto& [tool, args] : tools)
        out += fmt::format(R"({{"steps": [{{"tool_calls": [{{"id": "t{}", "name": "{}", "arguments": "{}"}}]}}]}},)",
            ++n, tool, json_escape(args));
    return out + R"({"steps": [{"text": "done"}]}])";
}

class McpHttp : public IkTest {
protected:
    void configure(const std::string& url, const std::string& extra = "")
    {
        write_config(fmt::format(R"({{"http": {{"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 1,
            "backoff_base_ms": 20}}, "sandbox": {{"mode": "off"}}, "rules": {{"allow": ["mcp__web__*"]}},
            "mcp": {{"servers": {{"web": {{"url": "{}", "timeout": 20{}}}}}}}}})",
            json_escape(url), extra));
    }
    RunResult run(const std::map<std::string, std::string>& extra_env = {})
    {
        auto env = env_for(Wire::anthropic);
        for (auto& [k, v] : extra_env)
            env[k] = v;
        RunOptions o;
        o.cwd = work_dir();
        o.timeout = std::chrono::milliseconds(30'000);
        return ik({ "--model", model_for(Wire::anthropic), "-p", "go", "--approval", "ask" }, env, o);
    }
    std::string request(size_t i) const
    {
        auto r = m_mock->requests();
        return i < r.size() ? r[i] : std::string();
    }
};

TEST_F(McpHttp, ToolsOverJsonWithSessionVersionAndHeadersFromTheEnvironment)
{
    McpHttpServer server({});
    configure(server.url(), R"(, "headers": {"X-Token": "tok-${MCP_TEST_TOKEN}"})");
    start_mock(calls({ { "mcp__web__echo", R"({"text": "hi"})" } }));
    RunResult r = run({ { "MCP_TEST_TOKEN", "s3cret" } });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(request(0), HasSubstr("mcp__web__echo"));
    EXPECT_THAT(tool_result_sent(), HasSubstr("echo: hi"));
    std::string log = server.log_text();
    EXPECT_THAT(log, HasSubstr("POST initialize session=- version=- token=tok-s3cret status=200"));
    EXPECT_THAT(
        log, HasSubstr("POST notifications/initialized session=s-1 version=2025-06-18 token=tok-s3cret status=202"));
    EXPECT_THAT(log, HasSubstr("POST tools/call session=s-1 version=2025-06-18 token=tok-s3cret status=200"));
    EXPECT_THAT(log, HasSubstr("GET session=s-1")); // answered 405: no server stream, no harm
    EXPECT_THAT(log, HasSubstr("DELETE session=s-1")); // at exit
    EXPECT_THAT(r.err + r.out, Not(HasSubstr("s3cret")));
}

TEST_F(McpHttp, SseAnswersCarryServerRequestsBeforeTheResponse)
{
    McpHttpServer server({ .sse = true, .forget_after = {} });
    configure(server.url());
    start_mock(calls({ { "mcp__web__echo", R"({"text": "streamed"})" } }));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("echo: streamed"));
    // The server's ping, sent inside the stream, was answered with a POST.
    EXPECT_THAT(server.log_text(), HasSubstr("POST (response) session=s-1"));
}

TEST_F(McpHttp, AnExpiredSessionIsInitializedAgainOnce)
{
    // The session ends once the handshake and listings are done: the call is
    // the first request to get 404.
    McpHttpServer server({ .sse = false, .forget_after = "resources/templates/list" });
    configure(server.url());
    start_mock(calls({ { "mcp__web__echo", R"({"text": "again"})" } }));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("echo: again"));
    std::string log = server.log_text();
    EXPECT_THAT(log, HasSubstr("POST tools/call session=s-1 version=2025-06-18 token=- status=404"));
    EXPECT_THAT(log, HasSubstr("POST initialize session=- version=2025-06-18 token=- status=200"));
    EXPECT_THAT(log, HasSubstr("POST notifications/initialized session=s-2"));
    EXPECT_THAT(log, HasSubstr("POST tools/call session=s-2 version=2025-06-18 token=- status=200"));
}

TEST_F(McpHttp, AnOversizedAnswerIsRefusedAndTheServerStaysUsable)
{
    McpHttpServer server({});
    configure(server.url());
    start_mock(calls({ { "mcp__web__big", "{}" }, { "mcp__web__echo", R"({"text": "after"})" } }));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("over 8192 KiB; refused"));
    EXPECT_THAT(request(2), HasSubstr("echo: after"));
    EXPECT_THAT(r.out, HasSubstr("done"));
}

TEST_F(McpHttp, AServerThatIsDownGivesAClearErrorAndIkStillAnswers)
{
    start_mock(R"([{"steps": [{"text": "fine"}]}])");
    // Port 1 on loopback: nothing listens. The query may hold a key: never shown.
    configure("http://127.0.0.1:1/mcp?key=hidden-key", R"(, "headers": {"Authorization": "Bearer ${MCP_TEST_TOKEN}"})");
    RunResult r = run({ { "MCP_TEST_TOKEN", "s3cret" } });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("fine"));
    EXPECT_THAT(r.err, HasSubstr("MCP server 'web' is not available: http://127.0.0.1:1/mcp?…"));
    EXPECT_THAT(r.err, Not(HasSubstr("hidden-key")));
    EXPECT_THAT(r.err, Not(HasSubstr("s3cret")));

    // A header naming a variable that is not set: said, by name.
    start_mock(R"([{"steps": [{"text": "fine"}]}])");
    RunResult unset = run();
    EXPECT_EQ(unset.exit_code, 0) << unset.err;
    EXPECT_THAT(unset.err, HasSubstr("the environment variable MCP_TEST_TOKEN is not set"));
}

TEST_F(McpHttp, ResourceTemplatesAreListedForTheModel)
{
    McpHttpServer server({});
    configure(server.url());
    start_mock(calls({ { "mcp_resource_list", R"({"server": "web"})" } }));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("mem://notes ("));
    EXPECT_THAT(tool_result_sent(), HasSubstr("mem://notes/{name}"));
    EXPECT_THAT(tool_result_sent(), HasSubstr("One note by name"));
}

TEST_F(McpHttp, AReadResourceIsSubscribedAndItsUpdateReachesTheModel)
{
    McpHttpServer server({ .sse = true, .forget_after = {} });
    configure(server.url());
    start_mock(
        calls({ { "mcp_resource_read", R"({"server": "web", "uri": "mem://notes"})" }, { "mcp__web__touch", "{}" } }));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("notes text for mem://notes"));
    EXPECT_THAT(server.log_text(), HasSubstr("POST resources/subscribe session=s-1"));
    std::string third = request(2);
    EXPECT_THAT(third, HasSubstr("touched"));
    EXPECT_THAT(third, HasSubstr("MCP server 'web' says resource mem://notes changed"));
}

TEST_F(McpHttp, AProjectFileHttpServerStartsOnceTrusted)
{
    McpHttpServer server({});
    write_config(R"({"sandbox": {"mode": "off"}, "rules": {"allow": ["mcp__web__*"]}})");
    write_work_file(".mcp.json",
        fmt::format(R"({{"mcpServers": {{"web": {{"type": "http", "url": "{}",
            "headers": {{"X-Token": "${{MCP_TEST_TOKEN}}"}}}}}}}})",
            server.url()));
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    RunResult untrusted = run({ { "MCP_TEST_TOKEN", "s3cret" } });
    EXPECT_EQ(untrusted.exit_code, 0) << untrusted.err;
    EXPECT_THAT(untrusted.err, HasSubstr("MCP servers web not started: the file is not trusted yet"));
    EXPECT_EQ(server.log_text(), ""); // nothing was sent before trust

    // The listing names the URL and the variable the header takes, never its value.
    RunResult list = ik({ "mcp", "list" }, { { "MCP_TEST_TOKEN", "s3cret" } });
    EXPECT_THAT(list.out, HasSubstr(fmt::format("web: {} [header X-Token ${{MCP_TEST_TOKEN}}]", server.url())));
    EXPECT_THAT(list.out + list.err, Not(HasSubstr("s3cret")));

    ASSERT_EQ(ik({ "mcp", "trust" }).exit_code, 0);
    start_mock(calls({ { "mcp__web__echo", R"({"text": "trusted"})" } }));
    RunResult trusted = run({ { "MCP_TEST_TOKEN", "s3cret" } });
    EXPECT_EQ(trusted.exit_code, 0) << trusted.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("echo: trusted"));
    EXPECT_THAT(server.log_text(), HasSubstr("POST tools/call session=s-1 version=2025-06-18 token=s3cret"));
}

TEST_F(McpHttp, AnEventStreamEndedBeforeTheResponseIsResumedWithLastEventId)
{
    McpHttpServer server({ .sse = true, .resume = McpHttpServer::Resume::replay, .forget_after = {} });
    configure(server.url());
    start_mock(calls({ { "mcp__web__echo", R"({"text": "resumed"})" } }));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("echo: resumed"));
    std::string log = server.log_text();
    EXPECT_THAT(log, HasSubstr("GET session=s-1 last-event-id=e-1 status=200"));
    // The GET stream of server messages ended after an id: reopened once.
    EXPECT_THAT(log, HasSubstr("GET session=s-1 last-event-id=- status=200"));
    EXPECT_THAT(log, HasSubstr("GET session=s-1 last-event-id=g-1 status=200"));
}

TEST_F(McpHttp, AServerThatCannotResumeFailsTheCallClearly)
{
    McpHttpServer server({ .sse = true, .resume = McpHttpServer::Resume::refuse, .forget_after = {} });
    configure(server.url() + "?key=hidden-key");
    start_mock(calls({ { "mcp__web__echo", R"({"text": "lost"})" } }));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string sent = tool_result_sent();
    EXPECT_THAT(sent, HasSubstr(fmt::format("http://127.0.0.1:{}/mcp?…", server.port())));
    EXPECT_THAT(sent, HasSubstr("did not resume it (GET with Last-Event-ID: HTTP 405)"));
    EXPECT_THAT(sent, Not(HasSubstr("hidden-key")));
    EXPECT_THAT(server.log_text(), HasSubstr("GET session=s-1 last-event-id=e-1 status=405"));
}

} // namespace
