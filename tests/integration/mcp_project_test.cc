// Project MCP server files end to end: the real ik binary headless, the mock
// model, and the Python test server (tests/support/mcp/stdio_server.py)
// named by the project's .mcp.json or .ik/mcp.json. Covered: an untrusted
// file's servers never start headless and stderr says how to trust it;
// `ik mcp trust` trusts the file as it is, an edited file is untrusted again;
// `ik mcp list` shows each file's state; a config server of the same name
// wins; a symlinked file is not read.
#include <filesystem>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

namespace fs = std::filesystem;

const std::string server_script = std::string(IK_TEST_SUPPORT_DIR) + "/mcp/stdio_server.py";

const char* call_add = R"([{"steps": [{"tool_calls": [{"id": "t1", "name": "mcp__calc__add",
                              "arguments": "{\"a\": 2, \"b\": 40}"}]}]},
                           {"steps": [{"text": "done"}]}])";

class McpProject : public IkTest {
protected:
    std::string log_path(const std::string& which = "project") const { return m_tmp.path() + "/" + which + ".log"; }

    // The project file at `relative` with one server "calc" logging to `log`.
    void write_project(
        const std::string& relative, const std::string& shape = "mcpServers", const std::string& log = "project")
    {
        fs::create_directories(fs::path(work_dir()) / fs::path(relative).parent_path());
        write_work_file(relative,
            fmt::format(R"({{"{}": {{"calc": {{"command": "python3", "args": ["{}"], "env": {{"MCP_LOG": "{}"}}}}}}}})",
                shape, json_escape(server_script), json_escape(log_path(log))));
    }
    void configure(const std::string& servers = "{}")
    {
        write_config(fmt::format(R"({{"http": {{"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 1,
            "backoff_base_ms": 20}}, "sandbox": {{"mode": "off"}}, "rules": {{"allow": ["mcp__calc__*"]}},
            "mcp": {{"servers": {}}}}})",
            servers));
    }
    RunResult run()
    {
        RunOptions o;
        o.timeout = std::chrono::milliseconds(30'000);
        return ik({ "--model", model_for(Wire::anthropic), "-p", "go" }, env_for(Wire::anthropic), o);
    }
    RunResult mcp(std::vector<std::string> args)
    {
        args.insert(args.begin(), "mcp");
        return ik(std::move(args));
    }
    std::string first_request() const
    {
        auto r = m_mock->requests();
        return r.empty() ? std::string() : r[0];
    }
};

TEST_F(McpProject, AnUntrustedFileStartsNothingHeadlessAndSaysHowToTrustIt)
{
    configure();
    write_project(".mcp.json");
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr(".mcp.json: MCP servers calc not started: the file is not trusted yet"));
    EXPECT_THAT(r.err, HasSubstr("ik mcp trust"));
    EXPECT_THAT(first_request(), Not(HasSubstr("mcp__calc__")));
    EXPECT_FALSE(fs::exists(log_path())) << "the untrusted server ran";
}

TEST_F(McpProject, TrustedFileStartsItsServersAndAnEditAsksAgain)
{
    configure();
    write_project(".mcp.json");
    RunResult listed = mcp({ "list" });
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_THAT(listed.out, HasSubstr(".mcp.json (undecided)"));
    EXPECT_THAT(listed.out, HasSubstr("calc: python3 "));

    RunResult trusted = mcp({ "trust" });
    EXPECT_EQ(trusted.exit_code, 0) << trusted.err;
    EXPECT_THAT(trusted.out, HasSubstr("trusted "));
    EXPECT_THAT(mcp({ "list" }).out, HasSubstr(".mcp.json (trusted)"));

    start_mock(call_add);
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, Not(HasSubstr("not trusted")));
    EXPECT_THAT(first_request(), HasSubstr("mcp__calc__add"));
    EXPECT_THAT(tool_result_sent(), HasSubstr("42"));

    // One more byte is another file: not trusted until asked again.
    write_work_file(".mcp.json", read_text(work_dir() + "/.mcp.json") + " ");
    EXPECT_THAT(mcp({ "list" }).out, HasSubstr(".mcp.json (undecided)"));
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    RunResult edited = run();
    EXPECT_THAT(edited.err, HasSubstr("not trusted yet"));
    EXPECT_THAT(first_request(), Not(HasSubstr("mcp__calc__")));
}

TEST_F(McpProject, IksOwnFileIsReadInItsShapeAndTrustCanNameOneFile)
{
    configure();
    write_project(".ik/mcp.json", "servers");
    write_project(".mcp.json", "mcpServers", "other");
    RunResult wrong = mcp({ "trust", "--file", "nowhere.json" });
    EXPECT_EQ(wrong.exit_code, 1);
    EXPECT_THAT(wrong.err, HasSubstr("not one of this project's files"));
    RunResult one = mcp({ "trust", "--file", ".ik/mcp.json" });
    EXPECT_EQ(one.exit_code, 0) << one.err;
    RunResult listed = mcp({ "list" });
    EXPECT_THAT(listed.out, HasSubstr(".ik/mcp.json (trusted)"));
    EXPECT_THAT(listed.out, HasSubstr(".mcp.json (undecided)"));

    start_mock(call_add);
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("42"));
    EXPECT_TRUE(fs::exists(log_path("project")));
    EXPECT_FALSE(fs::exists(log_path("other"))) << "the untrusted .mcp.json's server ran";
}

TEST_F(McpProject, TheConfigsServerOfTheSameNameWins)
{
    configure(fmt::format(R"({{"calc": {{"command": "python3", "args": ["{}"], "env": {{"MCP_LOG": "{}"}}}}}})",
        json_escape(server_script), json_escape(log_path("config"))));
    write_project(".mcp.json");
    ASSERT_EQ(mcp({ "trust" }).exit_code, 0);
    EXPECT_THAT(mcp({ "list" }).out, HasSubstr("[the config's wins]"));
    start_mock(call_add);
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("server 'calc' is also in your config, which wins"));
    EXPECT_THAT(tool_result_sent(), HasSubstr("42"));
    EXPECT_TRUE(fs::exists(log_path("config")));
    EXPECT_FALSE(fs::exists(log_path("project")));
}

TEST_F(McpProject, ALinkedFileIsNotReadEvenWhenItsTargetWasTrusted)
{
    configure();
    write_project("real.json");
    fs::create_symlink(fs::path(work_dir()) / "real.json", fs::path(work_dir()) / ".mcp.json");
    RunResult trusted = mcp({ "trust" });
    EXPECT_NE(trusted.exit_code, 0);
    EXPECT_THAT(trusted.err, HasSubstr(".mcp.json: a symbolic link; not read"));
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    RunResult r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("a symbolic link"));
    EXPECT_FALSE(fs::exists(log_path()));
}

} // namespace
