// Custom commands in the REPL: listed in the / menu and /help, completed,
// and run with their !`cmd` expansion put to the user for approval.
#include <fstream>

#include "repl_fixture.h"

namespace ik::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST_F(ReplE2e, ACustomCommandIsInTheMenuAndItsExpansionAsksFirst)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "GREETED"}]}])"));
    fs::create_directories(root + "/work/.claude/commands");
    std::ofstream(root + "/work/.claude/commands/greet.md")
        << "---\ndescription: Greet someone nicely\nargument-hint: NAME\n---\nSay hello to $1 from !`echo "
           "e2e-$((40+2))`.\n";
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->type("/gre");
    ASSERT_TRUE(tmux->wait_for("Greet someone nicely")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("/greet NAME"));
    tmux->keys({ "Tab" });
    // It takes arguments: a space follows and the menu closes.
    ASSERT_TRUE(tmux->wait_gone("Greet someone nicely")) << tmux->screen();
    send("world");
    // The expansion is a command: asked like the model's bash calls.
    ASSERT_TRUE(tmux->wait_for("y yes")) << tmux->screen();
    tmux->keys({ "y" });
    ASSERT_TRUE(tmux->wait_for("GREETED")) << tmux->screen();
    auto requests = mock->requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_THAT(requests[0], HasSubstr("Say hello to world from e2e-42."));
    send("/help");
    ASSERT_TRUE(tmux->wait_for("Custom commands")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("(.claude/commands)"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

} // namespace
} // namespace ik::testing
