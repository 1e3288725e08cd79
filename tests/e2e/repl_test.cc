// The REPL end to end: the real ik binary in a tmux pane (a real pty), its
// model served by ik-mockllm on loopback. HOME and the XDG directories are
// private temp dirs; every wait polls the pane with a timeout.
#include <set>
#include <thread>

#include <signal.h>
#include <unistd.h>

#include "repl_fixture.h"

namespace ik::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const char* reply_script = R"([{"steps": [
    {"text": "# Heading\n\nSome **bold** text and `code`.\n\n- first item\n- second item\n", "chunk": 6},
    {"usage": {"input": 2345, "output": 67}}]}])";

TEST_F(ReplE2e, TypingAndEditingWithEmojiAndCjkThenCtrlDRestoresTheTerminal)
{
    ASSERT_NO_FATAL_FAILURE(start("[]"));
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->type("héllo 😀 日本語");
    ASSERT_TRUE(tmux->wait_for("› héllo 😀 日本語")) << tmux->screen();
    tmux->keys({ "Left", "Left" });
    tmux->type("X");
    ASSERT_TRUE(tmux->wait_for("› héllo 😀 日X本語")) << tmux->screen();
    tmux->keys({ "C-a" });
    tmux->type(">");
    ASSERT_TRUE(tmux->wait_for("› >héllo 😀 日X本語")) << tmux->screen();
    tmux->keys({ "C-e", "C-w" });
    ASSERT_TRUE(tmux->wait_for("› >héllo 😀\n")) << tmux->screen();
    tmux->keys({ "C-u" });
    ASSERT_TRUE(tmux->wait_gone("héllo")) << tmux->screen();
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

TEST_F(ReplE2e, SubmitStreamsAMarkdownReplyAndCountsTokens)
{
    ASSERT_NO_FATAL_FAILURE(start(reply_script));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("hello there");
    ASSERT_TRUE(tmux->wait_for("• second item")) << tmux->screen();
    std::string s = tmux->screen();
    EXPECT_THAT(s, HasSubstr("› hello there"));
    EXPECT_THAT(s, HasSubstr("Heading"));
    EXPECT_THAT(s, HasSubstr("Some bold text and code."));
    EXPECT_THAT(s, Not(HasSubstr("**")));
    EXPECT_TRUE(tmux->wait_for("in 2.3k · out 67")) << tmux->screen();
    tmux->keys({ "C-c" });
    tmux->keys({ "C-c" });
    expect_restored("ik-exit=0");
}

TEST_F(ReplE2e, SigtermRestoresTheTerminal)
{
    ASSERT_NO_FATAL_FAILURE(start("[]"));
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->type("half-typed");
    ASSERT_TRUE(tmux->wait_for("› half-typed"));
    ASSERT_GT(ik_pid(), 0);
    ASSERT_EQ(::kill(ik_pid(), SIGTERM), 0);
    expect_restored("ik-exit=143");
}

// The terminal goes away (SIGHUP) while a tool runs unconfined in its own
// process group: ik ends like /exit, not by the signal's default action, so
// the group is stopped and the text streamed so far is stored.
TEST_F(ReplE2e, SighupStopsTheRunningToolAndKeepsTheReply)
{
    std::string marker = m_tmp.path() + "/work/tool-outlived-ik";
    ASSERT_NO_FATAL_FAILURE(start(fmt::format(
        R"([{{"steps": [{{"text": "said before the hangup|"}}, {{"tool_calls": [{{"id": "h", "name": "bash", )"
        R"("arguments": "{{\"command\":\"sleep 30; touch {}\"}}"}}]}}]}}])",
        marker)));
    ASSERT_NO_FATAL_FAILURE(launch("--sandbox off --approval yolo"));
    send("go");
    std::set<pid_t> groups;
    for (int i = 0; i < 500 && groups.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        for (pid_t pid : processes_naming(marker))
            groups.insert(::getpgid(pid));
    }
    groups.erase(-1);
    ASSERT_FALSE(groups.empty()) << tmux->screen();
    ASSERT_GT(ik_pid(), 0);
    ASSERT_EQ(::kill(ik_pid(), SIGHUP), 0);
    // 128 + SIGHUP, from ik's own exit after it stopped the tool.
    ASSERT_TRUE(tmux->wait_for("ik-exit=129", std::chrono::seconds(8))) << tmux->screen();
    for (pid_t pgid : groups)
        EXPECT_THAT(live_processes_in_group(pgid), ::testing::IsEmpty()) << "process group " << pgid << " outlived ik";
    EXPECT_THAT(processes_naming(marker), ::testing::IsEmpty());

    RunOptions o;
    o.env
        = { { "HOME", root + "/home" }, { "XDG_CONFIG_HOME", root + "/config" }, { "XDG_DATA_HOME", root + "/data" } };
    o.args = { "sessions", "-a" };
    RunResult list = run_process(env_or("IK_BINARY", "ik"), o);
    ASSERT_EQ(list.exit_code, 0) << list.err;
    size_t line = list.out.find('\n');
    ASSERT_NE(line, std::string::npos) << list.out;
    o.args = { "sessions", "show", list.out.substr(line + 1, 12) };
    RunResult shown = run_process(env_or("IK_BINARY", "ik"), o);
    EXPECT_THAT(shown.out, HasSubstr("said before the hangup|")) << shown.err;
}

TEST_F(ReplE2e, CtrlZSuspendsAndFgRedraws)
{
    ASSERT_NO_FATAL_FAILURE(start("[]"));
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->type("kept text");
    ASSERT_TRUE(tmux->wait_for("› kept text"));
    tmux->keys({ "C-z" });
    ASSERT_TRUE(tmux->wait_for("Stopped")) << tmux->screen();
    // The shell is usable while ik is stopped: the tty was restored.
    send("echo shell-$((40+2))");
    ASSERT_TRUE(tmux->wait_for("shell-42")) << tmux->screen();
    send("fg");
    ASSERT_TRUE(tmux->wait_for("› kept text")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("/help for commands")) << tmux->screen();
    tmux->keys({ "C-u", "C-d" });
    // (The shell already printed ik-exit=148 when ik stopped.)
    expect_restored("");
}

TEST_F(ReplE2e, CtrlCStopsAStreamingReply)
{
    ASSERT_NO_FATAL_FAILURE(
        start(R"([{"steps": [{"text": "streaming begins"}, {"stall": true, "stall_ms": 20000}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("streaming begins")) << tmux->screen();
    tmux->keys({ "C-c" });
    ASSERT_TRUE(tmux->wait_for("Interrupted.")) << tmux->screen();
    // The REPL is still there and usable.
    tmux->type("still alive");
    ASSERT_TRUE(tmux->wait_for("› still alive"));
    tmux->keys({ "C-u", "C-d" });
    expect_restored("ik-exit=0");
}

TEST_F(ReplE2e, ResizeDuringStreamingReflows)
{
    std::string words;
    for (int i = 0; i < 60; ++i)
        words += fmt::format("word{:02} ", i);
    start(fmt::format(
        R"([{{"steps": [{{"text": "{}", "chunk": 8}}, {{"delay_ms": 600}}, {{"text": "END-OF-REPLY"}}]}}])", words));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("word59")) << tmux->screen();
    tmux->resize(40, 30);
    ASSERT_TRUE(tmux->wait_for("END-OF-REPLY")) << tmux->screen();
    // Every row fits in 40 columns and no word was lost or split.
    std::string s = tmux->screen();
    for (int i = 0; i < 60; ++i)
        EXPECT_THAT(s, HasSubstr(fmt::format("word{:02}", i)));
    size_t start_pos = 0;
    while (start_pos < s.size()) {
        size_t nl = s.find('\n', start_pos);
        std::string line = s.substr(start_pos, nl - start_pos);
        EXPECT_LE(line.size(), 60u) << line; // 40 columns (status glyphs are multi-byte)
        if (nl == std::string::npos)
            break;
        start_pos = nl + 1;
    }
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

TEST_F(ReplE2e, PageUpScrollsBackAndCtrlEndFollowsAgain)
{
    std::string lines;
    for (int i = 0; i < 80; ++i)
        lines += fmt::format("line {:03}\\n\\n", i);
    ASSERT_NO_FATAL_FAILURE(start(fmt::format(R"([{{"steps": [{{"text": "{}", "chunk": 50}}]}}])", lines)));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("many lines");
    ASSERT_TRUE(tmux->wait_for("line 079")) << tmux->screen();
    tmux->keys({ "PPage", "PPage" });
    ASSERT_TRUE(tmux->wait_for("scrolled")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("line 079")));
    tmux->keys({ "C-End" });
    ASSERT_TRUE(tmux->wait_gone("scrolled")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("line 079"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

std::string touch_script(const std::string& file)
{
    return fmt::format(R"([{{"steps": [{{"tool_calls": [{{"id": "call_1", "name": "bash",
        "arguments": "{{\"command\":\"touch {0}\"}}"}}]}}]}},
      {{"steps": [{{"text": "AFTER-TOOL"}}]}}])",
        file);
}

TEST_F(ReplE2e, ApprovalAnsweredYesRunsTheCommand)
{
    ASSERT_NO_FATAL_FAILURE(start(touch_script("made.txt")));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("make a file");
    ASSERT_TRUE(tmux->wait_for("Run this command?")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("touch made.txt"));
    tmux->type("y");
    ASSERT_TRUE(tmux->wait_for("AFTER-TOOL")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("approved: touch made.txt"));
    EXPECT_TRUE(fs::exists(root + "/work/made.txt"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

TEST_F(ReplE2e, ApprovalAnsweredNoDoesNotRunIt)
{
    ASSERT_NO_FATAL_FAILURE(start(touch_script("never.txt")));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("make a file");
    ASSERT_TRUE(tmux->wait_for("Run this command?")) << tmux->screen();
    tmux->type("n");
    ASSERT_TRUE(tmux->wait_for("AFTER-TOOL")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("● bash  touch never.txt\n  ⎿ denied · by you"));
    EXPECT_FALSE(fs::exists(root + "/work/never.txt"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

TEST_F(ReplE2e, SlashCommands)
{
    start(R"([{"steps": [{"text": "FIRST-ANSWER"}, {"usage": {"input": 1000, "output": 10}}]},
              {"steps": [{"text": "SECOND-ANSWER"}]}])");
    ASSERT_NO_FATAL_FAILURE(launch());
    send("/help");
    ASSERT_TRUE(tmux->wait_for("/rewind [label]")) << tmux->screen();
    send("/bogus");
    ASSERT_TRUE(tmux->wait_for("Unknown command /bogus")) << tmux->screen();
    send("first question");
    ASSERT_TRUE(tmux->wait_for("FIRST-ANSWER")) << tmux->screen();
    send("/usage");
    ASSERT_TRUE(tmux->wait_for("Tokens this session: 1000 in")) << tmux->screen();
    send("/mark base");
    ASSERT_TRUE(tmux->wait_for("Marked base at 2 messages.")) << tmux->screen();
    send("second question");
    ASSERT_TRUE(tmux->wait_for("SECOND-ANSWER")) << tmux->screen();
    send("/rewind base");
    ASSERT_TRUE(tmux->wait_for("Rewound to mark base to 2 messages.")) << tmux->screen();
    send("/model");
    ASSERT_TRUE(tmux->wait_for("Model: openai/gpt-test")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("Switch model")) << tmux->screen();
    tmux->keys({ "Escape" });
    ASSERT_TRUE(tmux->wait_gone("Switch model")) << tmux->screen();
    send("/model openai/other-model");
    ASSERT_TRUE(tmux->wait_for("openai/other-model · in")) << tmux->screen();
    send("/model nosuch/x");
    ASSERT_TRUE(tmux->wait_for("nosuch")) << tmux->screen();
    send("/system Be brief.");
    ASSERT_TRUE(tmux->wait_for("Extra instructions added")) << tmux->screen();
    send("/mem");
    ASSERT_TRUE(tmux->wait_for("full arena report")) << tmux->screen();
    send("/sessions");
    ASSERT_TRUE(tmux->wait_for("TOKENS")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("first"));
    send("/clear");
    ASSERT_TRUE(tmux->wait_for("Conversation cleared.")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("FIRST-ANSWER")));
    send("/resume nonexistent");
    ASSERT_TRUE(tmux->wait_for("nonexistent")) << tmux->screen();
    send("/exit");
    expect_restored("ik-exit=0");
    // A second run resumes the first session with -c: its history is shown.
    ASSERT_NO_FATAL_FAILURE(launch("-c"));
    ASSERT_TRUE(tmux->wait_for("Resumed session")) << tmux->screen();
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

} // namespace
} // namespace ik::testing
