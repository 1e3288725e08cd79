// The todo tool's panel end to end: the model's plan shows above the input
// while the turn runs and after it, /todo prints all of it, `ik -r` brings
// it back, and a finished plan disappears when its turn ends.
#include "repl_fixture.h"

namespace ik::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The rows of the pane from the one holding `text` on: what is drawn below it.
std::string below(const std::string& screen, const std::string& text)
{
    size_t at = screen.rfind(text);
    return at == std::string::npos ? std::string() : screen.substr(at);
}

TEST_F(ReplE2e, ThePlanShowsAboveTheInputWhileTheTurnRunsAfterItAndAfterResume)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([
        {"steps": [{"tool_calls": [{"id": "call_1", "name": "todo", "arguments": "{\"todos\": [{\"content\": \"Read the code\", \"status\": \"in_progress\"}, {\"content\": \"Fix the bug\", \"status\": \"pending\"}, {\"content\": \"Run the tests\", \"status\": \"pending\"}]}"}]}]},
        {"steps": [{"delay_ms": 2500}, {"text": "PLANNED"}]},
        {"steps": [{"tool_calls": [{"id": "call_2", "name": "todo", "arguments": "{\"todos\": [{\"content\": \"Read the code\", \"status\": \"done\"}, {\"content\": \"Fix the bug\", \"status\": \"done\"}, {\"content\": \"Run the tests\", \"status\": \"done\"}]}"}]}]},
        {"steps": [{"delay_ms": 1500}, {"text": "FINISHED"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("fix the bug");
    // While the reply after the call is still coming: the spinner, the plan
    // below it, then the status line and the input.
    ASSERT_TRUE(tmux->wait_for("◐ Read the code")) << tmux->screen();
    // The plan can be drawn a frame before the call's block is finished.
    ASSERT_TRUE(tmux->wait_for("3 items · 1 in progress · 2 pending")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("Thinking")) << tmux->screen();
    std::string running = tmux->screen();
    EXPECT_THAT(running, Not(HasSubstr("PLANNED")));
    EXPECT_THAT(below(running, "Thinking"), HasSubstr("◐ Read the code")) << running;
    EXPECT_THAT(below(running, "◐ Read the code"), HasSubstr("☐ Fix the bug"));
    EXPECT_THAT(below(running, "☐ Run the tests"), HasSubstr("›")) << running;
    // The call's block in the scrollback says what the list holds.
    EXPECT_THAT(running, HasSubstr("todo  Read the code")) << running;
    EXPECT_THAT(running, HasSubstr("3 items · 1 in progress · 2 pending")) << running;
    ASSERT_TRUE(tmux->wait_for("PLANNED")) << tmux->screen();
    // After the turn: still there (the plan is not finished).
    std::string after = tmux->screen();
    EXPECT_THAT(below(after, "PLANNED"), HasSubstr("◐ Read the code")) << after;
    send("/todo");
    ASSERT_TRUE(tmux->wait_for("Todo list: 3 items")) << tmux->screen();
    send("/quit");
    ASSERT_TRUE(tmux->wait_for("Resume with: ik -r ")) << tmux->screen();
    std::string s = tmux->screen();
    size_t at = s.find("Resume with: ik -r ") + std::string("Resume with: ik -r ").size();
    std::string id = s.substr(at, s.find_first_of(" \n", at) - at);

    // Resumed: the panel is back before anything is sent.
    ASSERT_NO_FATAL_FAILURE(launch("-r " + id));
    ASSERT_TRUE(tmux->wait_for("Resumed session")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("◐ Read the code")) << tmux->screen();
    EXPECT_THAT(below(tmux->screen(), "Resumed session"), HasSubstr("☐ Run the tests"));
    // The model ticks everything off: ticked while its turn runs, gone when it ends.
    send("finish it");
    ASSERT_TRUE(tmux->wait_for("☑ Run the tests")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("FINISHED")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_gone("☑ Run the tests")) << tmux->screen();
    send("/todo");
    ASSERT_TRUE(tmux->wait_for("Todo list: 3 items · 3 done")) << tmux->screen();
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

} // namespace
} // namespace ik::testing
