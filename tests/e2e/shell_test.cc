// `!command` end to end: shell mode shows in the prompt and the status line,
// the command runs through the bash tool's path, its block folds like a tool's,
// the model gets the command and its output as the user's message, a resume
// shows it again, Ctrl-C stops it, and during a reply it is refused and kept.
#include "repl_fixture.h"

namespace ik::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ReplE2e, BangRunsAShellCommandAndTheModelSeesItsOutput)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "SAW-THE-OUTPUT"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->type("!");
    ASSERT_TRUE(tmux->wait_for("! shell mode")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("$ !"));
    send("echo hello-from-$((6*7)); seq 301 310; echo to-stderr >&2");
    ASSERT_TRUE(tmux->wait_for("⎿ exit 0")) << tmux->screen();
    std::string screen = tmux->screen();
    EXPECT_THAT(screen, HasSubstr("› !echo hello-from-$((6*7))"));
    EXPECT_THAT(screen, HasSubstr("    hello-from-42"));
    EXPECT_THAT(screen, HasSubstr("more lines (Ctrl-O)"));
    EXPECT_THAT(screen, Not(HasSubstr("    310")));
    // No request went out for it: the model reads it with the next prompt.
    EXPECT_TRUE(mock->requests().empty());
    send("what did I run?");
    ASSERT_TRUE(tmux->wait_for("SAW-THE-OUTPUT")) << tmux->screen();
    auto requests = mock->requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_THAT(requests[0], HasSubstr("!echo hello-from-$((6*7)); seq 301 310"));
    EXPECT_THAT(requests[0], HasSubstr("[the user ran this shell command"));
    EXPECT_THAT(requests[0], HasSubstr("hello-from-42\\n301\\n"));
    EXPECT_THAT(requests[0], HasSubstr("[stderr]\\nto-stderr"));
    EXPECT_THAT(requests[0], HasSubstr("[exit code 0]"));
    EXPECT_THAT(requests[0], HasSubstr("what did I run?"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
    // Resumed, the command shows as it was typed, its output as a block.
    ASSERT_NO_FATAL_FAILURE(launch("-c"));
    ASSERT_TRUE(tmux->wait_for("Resumed session")) << tmux->screen();
    screen = tmux->screen();
    EXPECT_THAT(screen, HasSubstr("› !echo hello-from-$((6*7))"));
    EXPECT_THAT(screen, HasSubstr("    hello-from-42"));
    EXPECT_THAT(screen, Not(HasSubstr("[the user ran this shell command")));
    tmux->keys({ "C-d" });
    expect_restored("");
}

TEST_F(ReplE2e, CtrlCStopsABangCommandAndAFailingOneShowsItsExitCode)
{
    ASSERT_NO_FATAL_FAILURE(start("[]"));
    ASSERT_NO_FATAL_FAILURE(launch());
    auto started = std::chrono::steady_clock::now();
    send("!sleep 30");
    ASSERT_TRUE(tmux->wait_for("Running !sleep 30")) << tmux->screen();
    tmux->keys({ "C-c" });
    ASSERT_TRUE(tmux->wait_for("⎿ cancelled")) << tmux->screen();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15));
    // The REPL is not quitting: Ctrl-C went to the command.
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("Ctrl-C again to quit")));
    send("!exit 3");
    ASSERT_TRUE(tmux->wait_for("⎿ exit 3")) << tmux->screen();
    // A lone ! says what it wants.
    send("!");
    ASSERT_TRUE(tmux->wait_for("Type a command after the !")) << tmux->screen();
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

TEST_F(ReplE2e, ABangCommandDuringAReplyIsRefusedAndKeptInTheInput)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "SLOW-START "}, {"delay_ms": 3000},
        {"text": "SLOW-END"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("SLOW-START")) << tmux->screen();
    send("!touch made-by-bang");
    ASSERT_TRUE(tmux->wait_for("A !command waits until the reply is done")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("$ !touch made-by-bang"));
    ASSERT_TRUE(tmux->wait_for("SLOW-END")) << tmux->screen();
    EXPECT_FALSE(std::filesystem::exists(root + "/work/made-by-bang"));
    // Once the reply is done, Enter runs it.
    tmux->keys({ "Enter" });
    ASSERT_TRUE(tmux->wait_for("⎿ exit 0")) << tmux->screen();
    EXPECT_TRUE(std::filesystem::exists(root + "/work/made-by-bang"));
    tmux->keys({ "C-d" });
    expect_restored("");
}

} // namespace
} // namespace ik::testing
