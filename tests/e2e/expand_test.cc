// Ctrl-O end to end: tool output and thinking render collapsed, Ctrl-O shows
// all of them and Ctrl-O again folds them back; with a paste placeholder in
// the input, Ctrl-O expands the paste instead (and the transcript stays).
#include "repl_fixture.h"

namespace ik::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ReplE2e, CtrlOExpandsAndCollapsesToolOutputAndThinking)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"thinking": "PLAN-ONE\nPLAN-TWO\nPLAN-THREE"},
        {"tool_calls": [{"id": "call_1", "name": "bash", "arguments": "{\"command\": \"seq 101 130\"}"}]}]},
        {"steps": [{"text": "COUNTED"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch("--approval yolo"));
    send("count");
    ASSERT_TRUE(tmux->wait_for("COUNTED")) << tmux->screen();
    // Collapsed: the first lines and markers standing for the rest.
    std::string screen = tmux->screen();
    EXPECT_THAT(screen, HasSubstr("… 3 lines (Ctrl-O)"));
    EXPECT_THAT(screen, Not(HasSubstr("PLAN-TWO")));
    EXPECT_THAT(screen, HasSubstr("    104"));
    EXPECT_THAT(screen, HasSubstr("… 26 more lines (Ctrl-O)"));
    EXPECT_THAT(screen, Not(HasSubstr("    105")));
    tmux->keys({ "C-o" });
    ASSERT_TRUE(tmux->wait_for("    130")) << tmux->screen();
    screen = tmux->screen();
    EXPECT_THAT(screen, HasSubstr("    129"));
    EXPECT_THAT(screen, Not(HasSubstr("(Ctrl-O)")));
    EXPECT_THAT(screen, HasSubstr("COUNTED"));
    // The thinking text is above, in the scrollback: scroll to the top.
    tmux->keys({ "C-Home" });
    ASSERT_TRUE(tmux->wait_for("PLAN-TWO")) << tmux->screen();
    tmux->keys({ "C-End", "C-o" });
    ASSERT_TRUE(tmux->wait_for("… 26 more lines (Ctrl-O)")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("    130")));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

TEST_F(ReplE2e, CtrlOWithAPastePlaceholderExpandsThePasteNotTheTranscript)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [
        {"tool_calls": [{"id": "call_1", "name": "bash", "arguments": "{\"command\": \"seq 201 230\"}"}]}]},
        {"steps": [{"text": "COUNTED"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch("--approval yolo"));
    send("count");
    ASSERT_TRUE(tmux->wait_for("COUNTED")) << tmux->screen();
    std::string lines;
    for (int i = 1; i <= 30; ++i)
        lines += fmt::format("pasted line {}\n", i);
    tmux->command({ "set-buffer", lines });
    tmux->command({ "paste-buffer", "-p", "-t", "0" });
    ASSERT_TRUE(tmux->wait_for("› [pasted 30 lines #1]")) << tmux->screen();
    tmux->keys({ "C-o" });
    ASSERT_TRUE(tmux->wait_for("pasted line 30")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("    230")));
    // With the input cleared, Ctrl-O is the transcript's again.
    tmux->keys({ "C-c" });
    ASSERT_TRUE(tmux->wait_gone("pasted line 30")) << tmux->screen();
    tmux->keys({ "C-o" });
    ASSERT_TRUE(tmux->wait_for("    230")) << tmux->screen();
    tmux->keys({ "C-d" });
    expect_restored("");
}

} // namespace
} // namespace ik::testing
