// The OS sandbox around the bash tool, attacked the way a model would attack
// it: the real ik binary headless under --approval yolo, a scripted mock
// model issuing the commands, real bubblewrap and the Landlock fallback
// (forced through sandbox.backend), next to the paths that must keep working.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

namespace fs = std::filesystem;

// A mock script: one round calling bash with `args_json`, then "done".
std::string bash_script(const std::string& args_json)
{
    return fmt::format(R"([{{"steps": [{{"tool_calls": [{{"id": "t1", "name": "bash", "arguments": "{}"}}]}}]}},
                          {{"steps": [{{"text": "done"}}]}}])",
        json_escape(args_json));
}

std::string command_args(const std::string& command)
{
    return fmt::format(R"({{"command": "{}"}})", json_escape(command));
}

RunOptions options(std::vector<std::string> args, std::map<std::string, std::string> env, std::string cwd = {})
{
    RunOptions o;
    o.args = std::move(args);
    o.env = std::move(env);
    o.cwd = std::move(cwd);
    return o;
}

std::string read(const std::string& path)
{
    return read_text(path);
}

class Sandbox : public IkTest, public ::testing::WithParamInterface<std::string> {
protected:
    void SetUp() override
    {
        IkTest::SetUp();
        write_config(fmt::format(R"({{"http": {{"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 0}},
                                     "sandbox": {{"backend": "{}"}}}})",
            GetParam()));
    }
    // Runs `command` through the model under yolo; returns what the model
    // was sent back (the tool result is in the second request).
    std::string run_command(
        const std::string& command, std::vector<std::string> extra = {}, std::map<std::string, std::string> env = {})
    {
        return run_command_args(command_args(command), std::move(extra), std::move(env));
    }
    std::string run_command_args(
        const std::string& args_json, std::vector<std::string> extra = {}, std::map<std::string, std::string> env = {})
    {
        start_mock(bash_script(args_json));
        std::vector<std::string> args = { "--model", model_for(Wire::anthropic), "-p", "go", "--approval", "yolo" };
        args.insert(args.end(), extra.begin(), extra.end());
        auto e = env_for(Wire::anthropic);
        e.insert(env.begin(), env.end());
        m_last = ik(args, e);
        EXPECT_EQ(m_last.exit_code, 0) << m_last.err;
        // Only the tool result: the request also carries ik's own API key header.
        return tool_result_sent();
    }
    std::string work(const std::string& rel) const { return work_dir() + "/" + rel; }
    RunResult m_last;
};

TEST_P(Sandbox, CommandsWriteInsideTheProjectAndBuild)
{
    std::string sent = run_command("mkdir -p src && printf 'int main(void){return 0;}\\n' > src/m.c && "
                                   "cc -o src/m src/m.c && ./src/m && echo BUILT-AND-RAN > src/out.txt && "
                                   "echo private > \"$TMPDIR/scratch\" && cat \"$TMPDIR/scratch\"");
    EXPECT_EQ(read(work("src/out.txt")), "BUILT-AND-RAN\n") << sent;
    EXPECT_THAT(sent, HasSubstr("private"));
    EXPECT_THAT(sent, HasSubstr("exit code 0"));
}

TEST_P(Sandbox, WritesOutsideTheProjectFail)
{
    std::string home = m_tmp.path() + "/home";
    std::string sent = run_command(fmt::format("echo evil >> {}/.bashrc; touch {}/outside; echo END", home, home));
    EXPECT_FALSE(fs::exists(home + "/.bashrc"));
    EXPECT_FALSE(fs::exists(home + "/outside"));
    EXPECT_THAT(sent, HasSubstr("END"));
}

TEST_P(Sandbox, ReadOnlyModeWritesNothing)
{
    std::string sent
        = run_command("echo x > made.txt; mkdir -p d && touch d/made; echo END", { "--sandbox", "read-only" });
    EXPECT_FALSE(fs::exists(work("made.txt")));
    EXPECT_FALSE(fs::exists(work("d/made")));
    EXPECT_THAT(sent, HasSubstr("END"));
}

TEST_P(Sandbox, GitConfigAndHooksStayReadOnlySoFsmonitorCannotBePlanted)
{
    auto git = run_process("/usr/bin/git", options({ "init", "-q", work_dir() }, {}));
    ASSERT_EQ(git.exit_code, 0) << git.err;
    std::string before = read(work(".git/config"));
    std::string pwned = m_tmp.path() + "/pwned";
    run_command(fmt::format("git config core.fsmonitor 'touch {0}'; echo '[core] fsmonitor = touch {0}' >> "
                            ".git/config; printf '#!/bin/sh\\ntouch {0}\\n' > .git/hooks/pre-commit; "
                            "mkdir -p .ik && echo x > .ik/config.json; echo END",
        pwned));
    EXPECT_EQ(read(work(".git/config")), before);
    EXPECT_FALSE(fs::exists(work(".git/hooks/pre-commit")));
    // The user's own git still works and runs nothing planted.
    auto status
        = run_process("/usr/bin/git", options({ "status" }, { { "HOME", m_tmp.path() + "/home" } }, work_dir()));
    EXPECT_EQ(status.exit_code, 0) << status.err;
    EXPECT_FALSE(fs::exists(pwned));
}

TEST_P(Sandbox, CredentialsConfigAndDataAreInvisible)
{
    write_file("credentials.json", R"({"openai": {"api_key": "sk-from-credentials-file"}})", 0600);
    std::string cfg = m_config_dir;
    std::string data = m_tmp.path() + "/data/ik";
    // The state directory holds the MCP trust answers: not even readable.
    std::string state = m_tmp.path() + "/home/.local/state/ik";
    fs::create_directories(state);
    {
        std::ofstream(state + "/mcp-trust.json") << R"({"files": {"trust-marker": {}}})";
    }
    std::string sent = run_command(
        fmt::format("cat {0}/credentials.json; cat {0}/config.json; ls -a {1}; cat {2}/mcp-trust.json; echo END", cfg,
            data, state));
    EXPECT_THAT(sent, Not(HasSubstr("trust-marker")));
    EXPECT_THAT(sent, Not(HasSubstr("sk-from-credentials-file")));
    EXPECT_THAT(sent, Not(HasSubstr("connect_timeout_s")));
    EXPECT_THAT(sent, Not(HasSubstr("ik.db")));
    EXPECT_THAT(sent, HasSubstr("END"));
}

TEST_P(Sandbox, SecretsAreNotInTheCommandsEnvironment)
{
    std::string sent = run_command("env; echo END", {},
        { { "OPENAI_API_KEY", "sk-openai-secret" }, { "PGPASSWORD", "pg-secret" },
            { "GEMINI_API_KEY", "gemini-secret" }, { "LC_TIME", "C" } });
    EXPECT_THAT(sent, HasSubstr("END"));
    EXPECT_THAT(sent, Not(HasSubstr("test-anthropic"))); // the key ik itself uses
    EXPECT_THAT(sent, Not(HasSubstr("sk-openai-secret")));
    EXPECT_THAT(sent, Not(HasSubstr("pg-secret")));
    EXPECT_THAT(sent, Not(HasSubstr("gemini-secret")));
    EXPECT_THAT(sent, Not(HasSubstr("ANTHROPIC_BASE_URL")));
    EXPECT_THAT(sent, HasSubstr("LC_TIME=C"));
    EXPECT_THAT(sent, HasSubstr("HOME="));
}

// A listening loopback socket to aim at (connect() succeeds on the backlog
// alone) and the probe command for it.
class Listener {
public:
    Listener()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(addr);
        if (m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 && ::listen(m_fd, 8) == 0
            && ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
            m_port = ntohs(addr.sin_port);
    }
    ~Listener()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;
    std::string probe() const
    {
        return fmt::format("(echo > /dev/tcp/127.0.0.1/{}) 2>/dev/null && echo NET-OPEN || echo NET-CLOSED", m_port);
    }
    int port() const { return m_port; }

private:
    int m_fd = -1;
    int m_port = 0;
};

TEST_P(Sandbox, NoNetwork)
{
    Listener listener;
    ASSERT_GT(listener.port(), 0);
    std::string sent = run_command(listener.probe());
    EXPECT_THAT(sent, HasSubstr("NET-CLOSED"));
    EXPECT_THAT(sent, Not(HasSubstr("NET-OPEN")));
}

// The same probe connects outside the sandbox: the test above can tell.
TEST_P(Sandbox, NetworkOutsideTheSandbox)
{
    Listener listener;
    ASSERT_GT(listener.port(), 0);
    EXPECT_THAT(run_command(listener.probe(), { "--sandbox", "off" }), HasSubstr("NET-OPEN"));
}

TEST_P(Sandbox, NetworkWhenConfigured)
{
    Listener listener;
    ASSERT_GT(listener.port(), 0);
    write_config(fmt::format(R"({{"http": {{"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 0}},
                                 "sandbox": {{"backend": "{}", "network": true}}}})",
        GetParam()));
    EXPECT_THAT(run_command(listener.probe()), HasSubstr("NET-OPEN"));
}

// The command shares ik's session and so its terminal: TIOCSTI, which would
// type into it, is refused by the sandbox's seccomp filter (EPERM). Tried on
// stdout (a pipe), where without the filter the kernel answers ENOTTY.
std::string tiocsti_probe()
{
    return "python3 -c 'import fcntl, termios, errno\n"
           "try:\n"
           "    fcntl.ioctl(1, termios.TIOCSTI, b\"x\"); print(\"STI-PASSED\")\n"
           "except OSError as e:\n"
           "    print(\"STI-\" + errno.errorcode[e.errno])'";
}

TEST_P(Sandbox, TheTerminalCannotBeTypedInto)
{
    EXPECT_THAT(run_command(tiocsti_probe()), HasSubstr("STI-EPERM"));
    EXPECT_THAT(run_command(tiocsti_probe(), { "--sandbox", "off" }), HasSubstr("STI-ENOTTY"));
}

TEST_P(Sandbox, AskingToLeaveTheSandboxIsDeniedHeadlessEvenUnderYolo)
{
    std::string sent
        = run_command_args(R"({"command": "touch ../escaped", "sandbox": false, "justification": "needs it"})");
    EXPECT_FALSE(fs::exists(m_tmp.path() + "/escaped"));
    EXPECT_THAT(sent, HasSubstr("--sandbox off"));
}

// The landlock backend has no PID namespace; its supervisor kills the
// command's group. bwrap's init dies with ik. Either way nothing survives.
TEST_P(Sandbox, KillNineOfIkLeavesNoCommandRunning)
{
    start_mock(bash_script(command_args("sleep 3131.5 & touch started; sleep 3132.5")));
    std::string script = fmt::format("{0} --model {1} -p go --approval yolo & pid=$!; "
                                     "for i in $(seq 200); do [ -e started ] && break; sleep 0.05; done; "
                                     "kill -9 $pid; wait $pid; sleep 0.5",
        ik_binary(), model_for(Wire::anthropic));
    auto env = env_for(Wire::anthropic);
    env["HOME"] = m_tmp.path() + "/home";
    env["XDG_CONFIG_HOME"] = m_tmp.path() + "/config";
    env["XDG_DATA_HOME"] = m_tmp.path() + "/data";
    env["OLLAMA_HOST"] = "127.0.0.1:9";
    auto r = run_process("/bin/bash", options({ "-c", script }, env, work_dir()));
    ASSERT_TRUE(fs::exists(work("started"))) << r.err;
    int survivors = 0;
    for (auto& entry : fs::directory_iterator("/proc")) {
        std::string cmdline = read(entry.path().string() + "/cmdline");
        if (cmdline.find("3131.5") != std::string::npos || cmdline.find("3132.5") != std::string::npos) {
            ++survivors;
            ::kill(std::stoi(entry.path().filename().string()), SIGKILL);
        }
    }
    EXPECT_EQ(survivors, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Sandbox, ::testing::Values("bwrap", "landlock"));

// No backend (bwrap forced, and not on PATH): said once the first command
// needs the sandbox, never for a prompt that runs none, and the command
// is not run unconfined.
TEST_F(IkTest, NoSandboxIsSaidAtTheFirstCommandAndTheCommandDoesNotRun)
{
    write_config(R"({"http": {"max_retries": 0}, "sandbox": {"backend": "bwrap"}})");
    start_mock(R"([{"steps": [{"text": "just text"}]}])");
    auto env = env_for(Wire::anthropic);
    env["PATH"] = "/nonexistent";
    auto quiet = ik({ "--model", model_for(Wire::anthropic), "-p", "hi", "--approval", "yolo" }, env);
    EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
    EXPECT_THAT(quiet.err, Not(HasSubstr("no OS sandbox")));

    m_mock.reset();
    start_mock(bash_script(command_args("touch ran.txt")));
    env = env_for(Wire::anthropic);
    env["PATH"] = "/nonexistent";
    auto r = ik({ "--model", model_for(Wire::anthropic), "-p", "go", "--approval", "yolo" }, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("no OS sandbox for commands: bwrap is not installed"));
    EXPECT_FALSE(fs::exists(work_dir() + "/ran.txt"));
}

} // namespace
