// Hooks end to end: the real ik binary headless against the scripted mock,
// with hook commands in config.json the way Claude Code's settings write
// them. Each event blocks, allows and times out (timeouts of 1 s); a
// Claude-Code-style script reading stdin with python3 works unchanged; what
// a hook says to the model is checked in the request the mock received.
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

// {"type": "command", "command": ..., "timeout": ...} inside one matcher group.
std::string group(const std::string& matcher, const std::string& command, int timeout = 10)
{
    return fmt::format(R"({{"matcher": "{}", "hooks": [{{"type": "command", "command": "{}", "timeout": {}}}]}})",
        json_escape(matcher), json_escape(command), timeout);
}

// A bash call of `command`, then "done".
std::string bash_then_done(const std::string& command)
{
    return fmt::format(R"([{{"steps": [{{"tool_calls": [{{"id": "t1", "name": "bash", "arguments": "{}"}}]}}]}},
                          {{"steps": [{{"text": "done"}}]}}])",
        json_escape(fmt::format(R"({{"command": "{}"}})", json_escape(command))));
}

class Hooks : public IkTest {
protected:
    void hooks(const std::string& event, const std::string& groups)
    {
        write_config(fmt::format(R"({{"http": {{"connect_timeout_s": 2, "idle_timeout_s": 2, "max_retries": 1,
            "backoff_base_ms": 20}}, "sandbox": {{"mode": "off"}}, "hooks": {{"{}": [{}]}}}})",
            event, groups));
    }
    // A script file in the test's directory; returns its path.
    std::string script(const std::string& name, const std::string& text)
    {
        std::string path = m_tmp.path() + "/" + name;
        std::ofstream(path) << text;
        fs::permissions(path, fs::perms::owner_all);
        return path;
    }
    RunResult run(const std::string& approval = "yolo", const std::vector<std::string>& more = {})
    {
        std::vector<std::string> args{ "--model", model_for(Wire::anthropic), "-p", "go", "--approval", approval };
        args.insert(args.end(), more.begin(), more.end());
        RunOptions o;
        o.cwd = work_dir();
        return ik(args, env_for(Wire::anthropic), o);
    }
    std::string request(size_t i) const
    {
        auto r = m_mock->requests();
        return i < r.size() ? r[i] : std::string();
    }
    fs::path work(const std::string& rel) const { return fs::path(work_dir()) / rel; }
};

// Claude Code's documented example, as people have it: python3 reads the
// event from stdin, looks at tool_input.command, exits 2 with a message.
constexpr std::string_view claude_guard = R"py(#!/usr/bin/env python3
import json, sys
event = json.load(sys.stdin)
if event.get("tool_name") == "Bash" and "rm " in event["tool_input"].get("command", ""):
    print("Blocked: no rm in this project (" + event["hook_event_name"] + ")", file=sys.stderr)
    sys.exit(2)
sys.exit(0)
)py";

TEST_F(Hooks, ClaudeCodeStyleScriptBlocksABashCallAndTheModelReadsWhy)
{
    std::string guard = script("guard.py", std::string(claude_guard));
    hooks("PreToolUse", group("Bash", guard));
    write_work_file("keep.txt", "x");
    start_mock(bash_then_done("rm keep.txt"));
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(work("keep.txt"))); // the call did not run
    EXPECT_THAT(tool_result_sent(), HasSubstr("Blocked: no rm in this project (PreToolUse)"));
}

TEST_F(Hooks, PreToolUseLetsOtherCallsThroughAndMatchesByName)
{
    std::string guard = script("guard.py", std::string(claude_guard));
    hooks("PreToolUse", group("Bash", guard) + "," + group("Write", "exit 2"));
    start_mock(bash_then_done("touch made.txt"));
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(work("made.txt")));
    EXPECT_THAT(tool_result_sent(), HasSubstr("exit code 0"));
}

TEST_F(Hooks, PreToolUseJsonDenyReachesTheModelAsTheToolResult)
{
    hooks("PreToolUse",
        group("bash",
            R"(cat >/dev/null; echo '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": "not on Fridays"}}')"));
    start_mock(bash_then_done("touch made.txt"));
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(work("made.txt")));
    EXPECT_THAT(tool_result_sent(), HasSubstr("not on Fridays"));
    EXPECT_THAT(tool_result_sent(), HasSubstr("is_error"));
}

TEST_F(Hooks, PreToolUseAllowSkipsTheApprovalButNotIksOwnFiles)
{
    // Headless under --approval ask, a bash call would be denied; the hook allows it.
    std::string allow = R"(echo '{"hookSpecificOutput": {"permissionDecision": "allow"}}')";
    hooks("PreToolUse", group("", allow));
    start_mock(bash_then_done("touch made.txt"));
    auto r = run("ask");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(work("made.txt"))) << tool_result_sent();

    // ik's own configuration stays closed whatever the hook says.
    m_mock.reset();
    start_mock(
        fmt::format(R"([{{"steps": [{{"tool_calls": [{{"id": "t1", "name": "read_file", "arguments": "{}"}}]}}]}},
                              {{"steps": [{{"text": "done"}}]}}])",
            json_escape(fmt::format(R"({{"path": "{}/config.json"}})", m_config_dir))));
    r = run("ask");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), Not(HasSubstr("max_retries")));
}

TEST_F(Hooks, PreToolUseAskIsADenialHeadless)
{
    hooks("PreToolUse",
        group("",
            R"(echo '{"hookSpecificOutput": {"permissionDecision": "ask", "permissionDecisionReason": "check with a human"}}')"));
    start_mock(bash_then_done("touch made.txt"));
    auto r = run("yolo");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(work("made.txt")));
    EXPECT_THAT(tool_result_sent(), HasSubstr("check with a human"));
}

TEST_F(Hooks, PreToolUseTimeoutIsANoticeAndTheCallRuns)
{
    hooks("PreToolUse", group("Bash", "sleep 30", 1));
    start_mock(bash_then_done("touch made.txt"));
    auto start = std::chrono::steady_clock::now();
    auto r = run();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("timed out after 1 s"));
    EXPECT_TRUE(fs::exists(work("made.txt")));
}

TEST_F(Hooks, CtrlCKillsARunningHookAndEndsTheTurn)
{
    // SIGINT once the hook runs (not after a fixed time, which a loaded
    // machine can spend before ik even watches the signal).
    std::string running = work("hook-running").string();
    hooks("PreToolUse", group("Bash", "touch " + running + "; sleep 30", 60));
    start_mock(bash_then_done("touch made.txt"));
    RunOptions o;
    o.cwd = work_dir();
    o.signal = SIGINT;
    o.signal_when_file_exists = running;
    auto start = std::chrono::steady_clock::now();
    auto r
        = ik({ "--model", model_for(Wire::anthropic), "-p", "go", "--approval", "yolo" }, env_for(Wire::anthropic), o);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_FALSE(fs::exists(work("made.txt")));
}

TEST_F(Hooks, PostToolUseStderrGoesToTheModelWithTheResult)
{
    hooks("PostToolUse",
        group("Bash",
            R"(python3 -c 'import json,sys; e=json.load(sys.stdin); print("lint failed after " + e["tool_input"]["command"] + ", exit " + str(e["tool_response"]["exit_code"]), file=sys.stderr); sys.exit(2)')"));
    start_mock(bash_then_done("echo hello"));
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string sent = tool_result_sent();
    EXPECT_THAT(sent, HasSubstr("hello"));
    EXPECT_THAT(sent, HasSubstr("lint failed after echo hello, exit 0"));
}

TEST_F(Hooks, PostToolUseFailureAndTimeoutAreNotices)
{
    hooks("PostToolUse", group("", "echo oops >&2; exit 1") + "," + group("", "sleep 30", 1));
    start_mock(bash_then_done("echo hello"));
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("failed (exit 1): oops"));
    EXPECT_THAT(r.err, HasSubstr("timed out after 1 s"));
    EXPECT_THAT(tool_result_sent(), Not(HasSubstr("oops")));
}

TEST_F(Hooks, UserPromptSubmitBlocksThePromptBeforeItIsSent)
{
    hooks("UserPromptSubmit", group("", R"(grep -q '"prompt": *"go"' && { echo 'no prompts today' >&2; exit 2; })"));
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    auto r = run();
    EXPECT_EQ(r.exit_code, 4); // denied, as docs/hooks.md says
    EXPECT_THAT(r.err, HasSubstr("no prompts today"));
    EXPECT_TRUE(m_mock->requests().empty());
}

TEST_F(Hooks, UserPromptSubmitAndSessionStartAddContext)
{
    write_config(fmt::format(R"({{"sandbox": {{"mode": "off"}}, "hooks": {{
        "UserPromptSubmit": [{}], "SessionStart": [{}]}}}})",
        group("",
            R"(echo '{"hookSpecificOutput": {"hookEventName": "UserPromptSubmit", "additionalContext": "branch is main"}}')"),
        group("",
            R"(echo "source=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["source"])') dir=$CLAUDE_PROJECT_DIR")")));
    start_mock(R"([{"steps": [{"text": "first reply"}]}, {"steps": [{"text": "again"}]}])");
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string first = request(0);
    EXPECT_THAT(first, HasSubstr("branch is main"));
    EXPECT_THAT(first, HasSubstr(fmt::format("source=startup dir={}", work_dir())));

    // Resumed: SessionStart says "resume", and the first prompt's context is
    // in the window exactly as it was sent (it was recorded with the prompt).
    auto second = run("yolo", { "--continue" });
    EXPECT_EQ(second.exit_code, 0) << second.err;
    std::string resumed = request(1);
    EXPECT_THAT(resumed, HasSubstr("first reply"));
    EXPECT_THAT(resumed, HasSubstr("source=startup dir="));
    EXPECT_THAT(resumed, HasSubstr("source=resume dir="));
}

TEST_F(Hooks, UserPromptSubmitTimeoutProceeds)
{
    hooks("UserPromptSubmit", group("", "sleep 30", 1));
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("timed out after 1 s"));
    EXPECT_EQ(m_mock->requests().size(), 1u);
}

TEST_F(Hooks, StopBlockKeepsTheTurnGoingOnceThenStopHookActiveEndsIt)
{
    hooks(
        "Stop", group("", R"(grep -q '"stop_hook_active": *true' && exit 0; echo 'run the tests first' >&2; exit 2)"));
    start_mock(R"([{"steps": [{"text": "done"}]}, {"steps": [{"text": "tests pass"}]}])");
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(m_mock->requests().size(), 2u);
    EXPECT_THAT(request(1), HasSubstr("run the tests first"));
    EXPECT_THAT(r.out, HasSubstr("tests pass"));
}

TEST_F(Hooks, StopHooksThatAlwaysBlockAreCapped)
{
    hooks("Stop", group("", "echo again >&2; exit 2"));
    std::string script = "[";
    for (int i = 0; i < 8; ++i)
        script += fmt::format(R"({}{{"steps": [{{"text": "reply {}"}}]}})", i ? "," : "", i);
    start_mock(script + "]");
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(m_mock->requests().size(), 6u); // the reply, then five continuations
    EXPECT_THAT(r.err, HasSubstr("kept the turn going 5 times"));
}

TEST_F(Hooks, StopTimeoutEndsTheTurnNormally)
{
    hooks("Stop", group("", "sleep 30", 1));
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("timed out after 1 s"));
    EXPECT_EQ(m_mock->requests().size(), 1u);
}

TEST_F(Hooks, AnInvalidMatcherIsAConfigError)
{
    hooks("PreToolUse", group("(Bash", "true"));
    start_mock(R"([{"steps": [{"text": "done"}]}])");
    auto r = run();
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_THAT(r.err, HasSubstr("hooks.PreToolUse[0].matcher"));
    EXPECT_THAT(r.err, HasSubstr("config.json"));
}

} // namespace
