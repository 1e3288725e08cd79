// The REPL end to end: the real ik binary in a tmux pane (a real pty), its
// model served by ik-mockllm on loopback. HOME and the XDG directories are
// private temp dirs; every wait polls the pane with a timeout.
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/mock_llm.h"
#include "support/process.h"
#include "tmux.h"

namespace ik::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

std::string env_or(const char* name, const char* fallback)
{
    const char* p = std::getenv(name);
    return p ? p : fallback;
}

class ReplE2e : public ::testing::Test {
protected:
    // Starts the mock with `script` and a shell in a 100x30 pane.
    void start(const std::string& script, int cols = 100, int rows = 30)
    {
        root = m_tmp.path();
        for (const char* d : { "home", "config/ik", "data", "mock", "work" })
            fs::create_directories(root + "/" + d);
        std::ofstream(root + "/config/ik/config.json")
            << R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 10, "max_retries": 1, "backoff_base_ms": 20}})";
        mock = std::make_unique<MockLlm>(env_or("IK_MOCKLLM", "ik-mockllm"), root + "/mock", script);
        ASSERT_TRUE(mock->ok());
        std::string shell
            = fmt::format("cd {0}/work && exec env -i HOME={0}/home XDG_CONFIG_HOME={0}/config XDG_DATA_HOME={0}/data "
                          "LANG=C.UTF-8 TERM=xterm-256color PATH=/usr/bin:/bin OPENAI_BASE_URL={1} OPENAI_API_KEY=test "
                          "ASAN_OPTIONS=detect_leaks=1 PS1='ik-e2e$ ' bash --norc --noprofile",
                root, mock->base_url("/v1"));
        tmux = std::make_unique<Tmux>(shell, cols, rows);
        ASSERT_TRUE(tmux->ok());
        ASSERT_TRUE(tmux->wait_for("ik-e2e$")) << tmux->screen();
    }

    // Runs ik in the pane, remembering the tty settings before it and its pid.
    void launch(const std::string& args = "")
    {
        tmux->type(fmt::format("clear; stty -g > {0}/tty.before; sh -c 'echo $$ > {0}/ik.pid; exec {1} --model "
                               "openai/gpt-test {2}'; echo ik-exit=$?",
            root, env_or("IK_BINARY", "ik"), args));
        tmux->keys({ "Enter" });
        ASSERT_TRUE(tmux->wait_for("/help for commands", std::chrono::seconds(15))) << tmux->screen();
    }

    // After ik ended: the shell prompt is back (alternate screen left) and
    // the tty settings are exactly those from before.
    void expect_restored(const std::string& exit_text)
    {
        if (exit_text.empty())
            ASSERT_TRUE(tmux->wait_gone("/help for commands")) << tmux->screen();
        else
            ASSERT_TRUE(tmux->wait_for(exit_text)) << tmux->screen();
        EXPECT_THAT(tmux->screen(), Not(HasSubstr("/help for commands")));
        tmux->type(fmt::format("stty -g > {0}/tty.after; cmp -s {0}/tty.before {0}/tty.after && echo TTY-SAME", root));
        tmux->keys({ "Enter" });
        EXPECT_TRUE(tmux->wait_for("\nTTY-SAME")) << tmux->screen();
    }

    void send(const std::string& text)
    {
        tmux->type(text);
        tmux->keys({ "Enter" });
    }

    pid_t ik_pid()
    {
        std::ifstream in(root + "/ik.pid");
        pid_t pid = 0;
        in >> pid;
        return pid;
    }

    TempDir m_tmp;
    std::string root;
    std::unique_ptr<MockLlm> mock;
    std::unique_ptr<Tmux> tmux;
};

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
    EXPECT_THAT(tmux->screen(), HasSubstr("denied: touch never.txt"));
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
    send("/model openai/other-model");
    ASSERT_TRUE(tmux->wait_for("openai/other-model · in")) << tmux->screen();
    send("/model nosuch/x");
    ASSERT_TRUE(tmux->wait_for("nosuch")) << tmux->screen();
    send("/system Be brief.");
    ASSERT_TRUE(tmux->wait_for("System prompt replaced.")) << tmux->screen();
    send("/mem");
    ASSERT_TRUE(tmux->wait_for("full arena report")) << tmux->screen();
    send("/sessions");
    ASSERT_TRUE(tmux->wait_for("first question")) << tmux->screen();
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
