// Issue 13's REPL defects, each driven end to end (each failed before its fix).
#include "repl_fixture.h"

namespace ik::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const char* two_answers = R"([{"steps": [{"text": "FIRST-ANSWER"}, {"usage": {"input": 2345, "output": 10}}]},
    {"steps": [{"text": "SECOND-ANSWER"}, {"usage": {"input": 2400, "output": 10}}]}])";

// 1. Ctrl-R on a multi-line entry stays on one row (line breaks shown as ↵).
TEST_F(ReplE2e, CtrlRShowsAMultiLineEntryOnOneRow)
{
    ASSERT_NO_FATAL_FAILURE(start(two_answers));
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->type("aaa");
    tmux->keys({ "C-j" });
    tmux->type("bbb");
    tmux->keys({ "C-j" });
    tmux->type("ccc");
    tmux->keys({ "Enter" });
    ASSERT_TRUE(tmux->wait_for("FIRST-ANSWER")) << tmux->screen();
    tmux->keys({ "C-r" });
    tmux->type("b");
    ASSERT_TRUE(tmux->wait_for("(reverse-i-search)`b': aaa↵bbb↵ccc")) << tmux->screen();
    // The status line is still where it was: nothing scrolled.
    EXPECT_THAT(tmux->screen(), HasSubstr("/help for commands"));
    tmux->keys({ "C-g", "C-u", "C-d" });
    expect_restored("ik-exit=0");
}

// 2. A command's output during a reply never splits a streamed word.
TEST_F(ReplE2e, OutputDuringAReplyDoesNotSplitAStreamedLine)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "alpha beta wo"}, {"delay_ms": 2500},
        {"text": "rd27 gamma END-OF-REPLY"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("alpha beta wo")) << tmux->screen();
    send("/usage");
    ASSERT_TRUE(tmux->wait_for("Tokens this session")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("END-OF-REPLY")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("alpha beta word27 gamma END-OF-REPLY"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

// 3. /system TEXT adds to ik's prompt like --system; the model gets both.
TEST_F(ReplE2e, SlashSystemAddsToTheSystemPromptLikeTheFlag)
{
    ASSERT_NO_FATAL_FAILURE(start(two_answers));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("/system Answer in haiku.");
    ASSERT_TRUE(tmux->wait_for("Extra instructions added")) << tmux->screen();
    send("hello");
    ASSERT_TRUE(tmux->wait_for("FIRST-ANSWER")) << tmux->screen();
    auto requests = mock->requests();
    ASSERT_FALSE(requests.empty());
    EXPECT_THAT(requests.back(), HasSubstr("You are ik, a coding agent"));
    EXPECT_THAT(requests.back(), HasSubstr("Answer in haiku."));
    send("/system");
    // The whole prompt is printed: its tool list, then the added text, last.
    ASSERT_TRUE(tmux->wait_for("- agent_kill: Stop a background agent")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("Answer in haiku.")) << tmux->screen();
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

// 4. A prompt that starts with an absolute path is a prompt.
TEST_F(ReplE2e, APromptStartingWithAPathIsSentToTheModel)
{
    ASSERT_NO_FATAL_FAILURE(start(two_answers));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("/etc/hosts what is this?");
    ASSERT_TRUE(tmux->wait_for("FIRST-ANSWER")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("› /etc/hosts what is this?"));
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("Unknown command")));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

// 5. Tables aligned, clipped code lines marked, CJK broken by UAX #14.
TEST_F(ReplE2e, TablesAlignCodeClipsVisiblyAndCjkBreaksProperly)
{
    std::string cjk;
    for (int i = 0; i < 50; ++i)
        cjk += "漢";
    cjk += "，字字字字字";
    std::string code(150, 'x');
    ASSERT_NO_FATAL_FAILURE(start(fmt::format(R"([{{"steps": [{{"text":
        "| name | n |\n|:--|--:|\n| alpha | 5 |\n| b | 123 |\n\n```\n{}CODE-TAIL\n```\n\n{}\n\nREPLY-END"}}]}}])",
        code, cjk)));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("REPLY-END")) << tmux->screen();
    std::string s = tmux->screen();
    EXPECT_THAT(s, HasSubstr("alpha │   5\n"));
    EXPECT_THAT(s, HasSubstr("b     │ 123\n"));
    EXPECT_THAT(s, HasSubstr("xxx→\n"));
    EXPECT_THAT(s, Not(HasSubstr("CODE-TAIL")));
    // The 50 ideographs fill the 100 columns, but "，" may not start a row.
    EXPECT_THAT(s, Not(HasSubstr("\n，")));
    EXPECT_THAT(s, HasSubstr("\n漢，字字字字字"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

// 8. Sending while scrolled up jumps to the bottom, where the reply arrives.
TEST_F(ReplE2e, SendingWhileScrolledUpFollowsTheReply)
{
    std::string lines;
    for (int i = 0; i < 80; ++i)
        lines += fmt::format("line {:03}\\n\\n", i);
    ASSERT_NO_FATAL_FAILURE(start(fmt::format(
        R"([{{"steps": [{{"text": "{}", "chunk": 50}}]}}, {{"steps": [{{"text": "NEXT-REPLY"}}]}}])", lines)));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("many lines");
    ASSERT_TRUE(tmux->wait_for("line 079")) << tmux->screen();
    tmux->keys({ "PPage", "PPage" });
    ASSERT_TRUE(tmux->wait_for("scrolled")) << tmux->screen();
    send("more");
    ASSERT_TRUE(tmux->wait_for("NEXT-REPLY")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("scrolled")));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

// 9. The status line: no double count while an approval waits, a live
// estimate while streaming, an empty context after /clear; the context and
// the cost read as the issue has them ("ctx 18% · $0.0062").
TEST_F(ReplE2e, StatusLineFiguresStayTrue)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([
        {"steps": [{"tool_calls": [{"id": "c1", "name": "bash", "arguments": "{\"command\":\"echo x\"}"}]},
                   {"usage": {"input": 3000, "output": 20}}]},
        {"steps": [{"text": "streaming now"}, {"delay_ms": 2000}, {"text": " DONE"},
                   {"usage": {"input": 3100, "output": 30}}]}])"));
    // Prices for the mock's model, so the line shows a cost: $1 and $2 per million tokens.
    std::ofstream(root + "/config/ik/config.json")
        << R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 10, "max_retries": 1, "backoff_base_ms": 20},
              "models": {"openai/gpt-test": {"input_price": 1, "output_price": 2}}})";
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("Run this command?")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("in 3.0k · out 20"));
    tmux->type("y");
    ASSERT_TRUE(tmux->wait_for("streaming now")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("in ~")); // an estimate, not "in 3.0k · out 20" frozen
    ASSERT_TRUE(tmux->wait_for("in 6.1k · out 50")) << tmux->screen();
    // 3.1k of the catalog's default 16.4k window; (3000 + 3100) × $1 + 50 × $2 per million.
    EXPECT_THAT(tmux->screen(), HasSubstr("ctx 18% · $0.0062"));
    send("/clear");
    ASSERT_TRUE(tmux->wait_for("Conversation cleared.")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("ctx 0% · $0.0062"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

// 10a. "Ctrl-C again to quit" expires: a Ctrl-C much later does not quit.
TEST_F(ReplE2e, CtrlCAgainToQuitExpires)
{
    ASSERT_NO_FATAL_FAILURE(start("[]"));
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->keys({ "C-c" });
    ASSERT_TRUE(tmux->wait_for("Ctrl-C again to quit")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_gone("Ctrl-C again to quit", std::chrono::seconds(4))) << tmux->screen();
    tmux->keys({ "C-c" });
    ASSERT_TRUE(tmux->wait_for("Ctrl-C again to quit")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("/help for commands"));
    tmux->keys({ "C-c" });
    expect_restored("ik-exit=0");
}

// 10b. A command refused while busy stays in the input, like a prompt.
TEST_F(ReplE2e, ACommandRefusedWhileBusyStaysInTheInput)
{
    ASSERT_NO_FATAL_FAILURE(
        start(R"([{"steps": [{"text": "streaming begins"}, {"stall": true, "stall_ms": 20000}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("streaming begins")) << tmux->screen();
    send("/clear");
    ASSERT_TRUE(tmux->wait_for("/clear has to wait")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("› /clear"));
    tmux->keys({ "Escape" });
    ASSERT_TRUE(tmux->wait_for("Interrupted.")) << tmux->screen();
    tmux->keys({ "C-u", "C-d" });
    expect_restored("ik-exit=0");
}

// 10c. --help without CLI11 internals; 10d. the missing-key message names
// a model of the provider whose key is set.
TEST_F(ReplE2e, HelpIsCleanAndAMissingKeySuggestsAModelThatWorks)
{
    RunOptions help;
    help.args = { "--help" };
    std::string text = run_process(env_or("IK_BINARY", "ik"), help).out;
    EXPECT_THAT(text, HasSubstr("--output-format FORMAT"));
    EXPECT_THAT(text, Not(HasSubstr("ENUM")));
    EXPECT_THAT(text, Not(HasSubstr("->")));
    EXPECT_THAT(text, Not(HasSubstr("INT:INT")));
    ASSERT_NO_FATAL_FAILURE(start("[]"));
    send(fmt::format("{} --model anthropic/claude-sonnet-4-5; echo rc=$?", env_or("IK_BINARY", "ik")));
    ASSERT_TRUE(tmux->wait_for("no API key")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("no API key for 'anthropic'"));
    EXPECT_THAT(tmux->screen(), HasSubstr("--model openai/"));
}

} // namespace
} // namespace ik::testing

namespace ik::testing {
namespace {

// /quit is /exit.
TEST_F(ReplE2e, QuitIsAnAliasOfExit)
{
    ASSERT_NO_FATAL_FAILURE(start("[]"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("/help");
    ASSERT_TRUE(tmux->wait_for("/exit, /quit")) << tmux->screen();
    send("/quit");
    expect_restored("ik-exit=0");
}

} // namespace
} // namespace ik::testing
