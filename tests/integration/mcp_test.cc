// MCP end to end: the real ik binary headless against the scripted mock model
// and a Python MCP server over stdio (tests/support/mcp/stdio_server.py),
// which logs every message it receives to a file the tests read back.
// Covered: the handshake and version negotiation, tools offered to the model
// under mcp__<server>__<tool>, calls and their results (text, error, image
// and resource-link content), approval rules with '*', trust_annotations,
// list_changed, progress, timeouts with notifications/cancelled, a crash and
// the restart on the next call, a flooding server cut off, and no server
// left running after ik exits.
#include <csignal>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

namespace fs = std::filesystem;

const std::string server_script = std::string(IK_TEST_SUPPORT_DIR) + "/mcp/stdio_server.py";

// One call of `tool` with `args` (JSON text), then "done".
std::string call_then_done(const std::string& tool, const std::string& args = "{}")
{
    return fmt::format(R"([{{"steps": [{{"tool_calls": [{{"id": "t1", "name": "{}", "arguments": "{}"}}]}}]}},
                          {{"steps": [{{"text": "done"}}]}}])",
        tool, json_escape(args));
}

// Two calls in two rounds, then "done".
std::string two_calls(const std::string& first, const std::string& second, const std::string& second_args = "{}")
{
    return fmt::format(R"([{{"steps": [{{"tool_calls": [{{"id": "t1", "name": "{}", "arguments": "{{}}"}}]}}]}},
                          {{"steps": [{{"tool_calls": [{{"id": "t2", "name": "{}", "arguments": "{}"}}]}}]}},
                          {{"steps": [{{"text": "done"}}]}}])",
        first, second, json_escape(second_args));
}

class Mcp : public IkTest {
protected:
    std::string log_path() const { return m_tmp.path() + "/mcp.log"; }

    // config.json with one server "calc" running the test server.
    void configure(const std::string& server_extra = "", const std::string& rules = R"(["mcp__calc__*"])",
        const std::string& server_args = "")
    {
        write_config(fmt::format(R"({{"http": {{"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 1,
            "backoff_base_ms": 20}}, "sandbox": {{"mode": "off"}}, "rules": {{"allow": {}}},
            "mcp": {{"servers": {{"calc": {{"command": "python3", "args": ["{}"{}],
              "env": {{"MCP_LOG": "{}"}}{}}}}}}}}})",
            rules, json_escape(server_script), server_args, json_escape(log_path()), server_extra));
    }
    RunResult run(const std::string& approval = "ask")
    {
        RunOptions o;
        o.cwd = work_dir();
        o.timeout = std::chrono::milliseconds(30'000);
        return ik(
            { "--model", model_for(Wire::anthropic), "-p", "go", "--approval", approval }, env_for(Wire::anthropic), o);
    }
    std::string request(size_t i) const
    {
        auto r = m_mock->requests();
        return i < r.size() ? r[i] : std::string();
    }
    std::string server_log() const { return read_text(log_path()); }
    // The pids the server logged at start.
    std::vector<pid_t> server_pids() const
    {
        std::vector<pid_t> pids;
        std::ifstream in(log_path());
        std::string line;
        while (std::getline(in, line))
            if (auto at = line.find("{\"start\": "); at == 0)
                pids.push_back(static_cast<pid_t>(std::stol(line.substr(10))));
        return pids;
    }
    void expect_no_server_left()
    {
        for (pid_t pid : server_pids())
            EXPECT_NE(::kill(pid, 0), 0) << "MCP server " << pid << " outlived ik";
    }
};

TEST_F(Mcp, ToolIsOfferedCalledAndItsResultReachesTheModel)
{
    configure();
    start_mock(call_then_done("mcp__calc__add", R"({"a": 2, "b": 40})"));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("done"));
    // The first request already lists the server's tools with their schema.
    EXPECT_THAT(request(0), HasSubstr("mcp__calc__add"));
    EXPECT_THAT(request(0), HasSubstr("Adds two numbers"));
    EXPECT_THAT(request(0), HasSubstr(R"("required":["a","b"])"));
    EXPECT_THAT(tool_result_sent(), HasSubstr("42"));
    std::string log = server_log();
    EXPECT_THAT(log, HasSubstr(R"("protocolVersion": "2025-11-25")"));
    EXPECT_THAT(log, HasSubstr("notifications/initialized"));
    EXPECT_THAT(log, HasSubstr(R"("name": "add")"));
    expect_no_server_left();
}

TEST_F(Mcp, OlderProtocolVersionIsAcceptedAndAnUnknownOneRefused)
{
    configure("", R"(["mcp__calc__*"])", R"(, "--version", "2025-03-26")");
    start_mock(call_then_done("mcp__calc__echo", R"({"text": "hello from 03-26"})"));
    RunResult ok = run();
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("hello from 03-26"));

    configure("", R"(["mcp__calc__*"])", R"(, "--version", "1999-01-01")");
    start_mock(call_then_done("mcp__calc__echo", R"({"text": "x"})"));
    RunResult bad = run();
    EXPECT_THAT(bad.err, HasSubstr("MCP server 'calc' is not available"));
    EXPECT_THAT(bad.err, HasSubstr("1999-01-01"));
    EXPECT_THAT(request(0), Not(HasSubstr("mcp__calc__echo")));
    EXPECT_THAT(tool_result_sent(), HasSubstr("unknown tool"));
    expect_no_server_left();
}

TEST_F(Mcp, CallsNeedApprovalWithoutARuleAndReadOnlyHintsNeedTrust)
{
    configure("", "[]");
    start_mock(call_then_done("mcp__calc__add", R"({"a": 1, "b": 1})"));
    run();
    EXPECT_THAT(tool_result_sent(), HasSubstr("Not run"));
    EXPECT_THAT(server_log(), Not(HasSubstr(R"("name": "add")")));

    // readOnlyHint alone is a claim: still asked (denied headless).
    start_mock(call_then_done("mcp__calc__peek"));
    run();
    EXPECT_THAT(tool_result_sent(), HasSubstr("Not run"));

    configure(R"(, "trust_annotations": true)", "[]");
    start_mock(call_then_done("mcp__calc__peek"));
    run();
    EXPECT_THAT(tool_result_sent(), HasSubstr("peeked"));
    // A non-read-only tool is still asked.
    start_mock(call_then_done("mcp__calc__add", R"({"a": 1, "b": 1})"));
    run();
    EXPECT_THAT(tool_result_sent(), HasSubstr("Not run"));
}

TEST_F(Mcp, ErrorsImagesAndResourceLinksBecomeTextForTheModel)
{
    configure();
    start_mock(call_then_done("mcp__calc__fail"));
    run();
    EXPECT_THAT(tool_result_sent(), HasSubstr("it went wrong on purpose"));
    EXPECT_THAT(tool_result_sent(), HasSubstr("is_error"));

    start_mock(call_then_done("mcp__calc__media"));
    run();
    std::string sent = tool_result_sent();
    EXPECT_THAT(sent, HasSubstr("here is a picture"));
    EXPECT_THAT(sent, HasSubstr("[image image/png"));
    EXPECT_THAT(sent, HasSubstr("[resource link: notes <file:///notes.txt> (text/plain)] the notes"));
}

TEST_F(Mcp, ACrashIsAnErrorResultAndTheNextCallRestartsTheServer)
{
    configure();
    start_mock(two_calls("mcp__calc__crash", "mcp__calc__add", R"({"a": 20, "b": 22})"));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto reqs = m_mock->requests();
    ASSERT_GE(reqs.size(), 3U);
    EXPECT_THAT(reqs[1], HasSubstr("the server exited (exit code 3)"));
    EXPECT_THAT(reqs[2], HasSubstr("42"));
    EXPECT_EQ(server_pids().size(), 2U);
    expect_no_server_left();
}

TEST_F(Mcp, ACallThatTakesTooLongTimesOutAndTheServerIsToldToCancel)
{
    configure(R"(, "timeout": 1)");
    start_mock(call_then_done("mcp__calc__slow", R"({"seconds": 20})"));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_LT(r.seconds, 15);
    EXPECT_THAT(tool_result_sent(), HasSubstr("timed out after 1 s"));
    EXPECT_THAT(server_log(), HasSubstr("notifications/cancelled"));
    expect_no_server_left();
}

TEST_F(Mcp, AFloodingServerIsCutOffNotBuffered)
{
    configure();
    start_mock(call_then_done("mcp__calc__flood"));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_LT(r.seconds, 15);
    EXPECT_THAT(tool_result_sent(), HasSubstr("without a line end; cut off"));
    expect_no_server_left();
}

TEST_F(Mcp, ListChangedBringsNewToolsAndProgressIsShown)
{
    configure();
    start_mock(two_calls("mcp__calc__grow", "mcp__calc__late"));
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto reqs = m_mock->requests();
    ASSERT_GE(reqs.size(), 3U);
    EXPECT_THAT(reqs[0], Not(HasSubstr("mcp__calc__late")));
    EXPECT_THAT(reqs[2], HasSubstr("late tool"));

    start_mock(call_then_done("mcp__calc__progress"));
    RunResult p = run();
    EXPECT_THAT(p.err, HasSubstr("mcp__calc__progress: 2/3 step 2"));
    EXPECT_THAT(tool_result_sent(), HasSubstr("progressed"));
}

TEST_F(Mcp, ConfigErrorsNameTheKeyAndRulesMayNameUnlistedTools)
{
    start_mock(R"([{"steps": [{"text": "fine"}]}])");
    write_config(R"({"mcp": {"servers": {"a__b": {"command": "x"}}}})");
    RunResult bad_name = ik({ "-p", "hi" }, env_for(Wire::anthropic));
    EXPECT_NE(bad_name.exit_code, 0);
    EXPECT_THAT(bad_name.err, HasSubstr("server name 'a__b'"));

    write_config(R"({"mcp": {"servers": {"web": {"url": "http://127.0.0.1:1/mcp", "command": "x"}}}})");
    RunResult both = ik({ "-p", "hi" }, env_for(Wire::anthropic));
    EXPECT_NE(both.exit_code, 0);
    EXPECT_THAT(both.err, HasSubstr("takes no command"));

    write_config(R"({"mcp": {"servers": {"web": {"type": "sse", "url": "http://127.0.0.1:1/sse"}}}})");
    RunResult sse = ik({ "-p", "hi" }, env_for(Wire::anthropic));
    EXPECT_NE(sse.exit_code, 0);
    EXPECT_THAT(sse.err, HasSubstr("old HTTP+SSE transport is not supported"));

    write_config(R"({"mcp": {"servers": {"calc": {"args": []}}}})");
    RunResult no_command = ik({ "-p", "hi" }, env_for(Wire::anthropic));
    EXPECT_THAT(no_command.err, HasSubstr("missing key 'command'"));

    // A rule naming a tool no server has listed (yet) is fine; a missing
    // server program is reported, not fatal.
    write_config(R"({"rules": {"allow": ["mcp__later__tool", "mcp__x__*"]},
        "mcp": {"servers": {"gone": {"command": "/nonexistent/server"}}}})");
    RunResult r = ik({ "--model", model_for(Wire::anthropic), "-p", "hi" }, env_for(Wire::anthropic));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("fine"));
    EXPECT_THAT(r.err, HasSubstr("MCP server 'gone' is not available"));
}

} // namespace
