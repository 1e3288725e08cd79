// A project's MCP server file in the REPL: the trust question before the
// screen opens (naming the file, the server and its command), the server
// started after "y", its prompt in the / menu and run as a slash command, and
// no question at the next start (the answer is kept for this content).
#include <fstream>

#include "repl_fixture.h"

namespace ik::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string server_script = std::string(IK_TEST_SUPPORT_DIR) + "/mcp/stdio_server.py";

TEST_F(ReplE2e, AProjectServerFileIsAskedAboutOnceAndItsPromptsAreCommands)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "EXPLAINED"}]}])"));
    std::ofstream(root + "/work/.mcp.json")
        << fmt::format(R"({{"mcpServers": {{"calc": {{"command": "python3", "args": ["{}"]}}}}}})", server_script);
    std::string command = fmt::format("clear; {} --model openai/gpt-test; echo ik-exit=$?", env_or("IK_BINARY", "ik"));
    send(command);
    ASSERT_TRUE(tmux->wait_for("[y]es / [n]o", std::chrono::seconds(15))) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("/work/.mcp.json would start MCP servers"));
    EXPECT_THAT(tmux->screen(), HasSubstr("calc: python3 "));
    send("y");
    ASSERT_TRUE(tmux->wait_for("/help for commands", std::chrono::seconds(15))) << tmux->screen();

    // The server's prompts are commands once it is ready.
    bool listed = false;
    for (int i = 0; i < 50 && !listed; ++i) {
        tmux->type("/mcp__calc__ex");
        listed = tmux->wait_for("Explain a topic", std::chrono::milliseconds(300));
        if (!listed)
            tmux->keys({ "C-u" });
    }
    ASSERT_TRUE(listed) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("/mcp__calc__explain topic [depth]"));
    tmux->keys({ "C-u" });
    send("/mcp__calc__explain recursion");
    ASSERT_TRUE(tmux->wait_for("EXPLAINED")) << tmux->screen();
    auto requests = mock->requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_THAT(requests[0], HasSubstr("Explain recursion at depth normal."));
    tmux->keys({ "C-d" });
    ASSERT_TRUE(tmux->wait_for("ik-exit=0")) << tmux->screen();

    // Trusted for this content: no question at the next start.
    send(command);
    ASSERT_TRUE(tmux->wait_for("/help for commands", std::chrono::seconds(15))) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("[y]es / [n]o")));
    tmux->keys({ "C-d" });
    ASSERT_TRUE(tmux->wait_for("ik-exit=0")) << tmux->screen();
}

TEST_F(ReplE2e, AProjectServerFileRefusedIsNotStartedNorAskedAgain)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "OK"}]}])"));
    std::ofstream(root + "/work/.mcp.json")
        << fmt::format(R"({{"mcpServers": {{"calc": {{"command": "python3", "args": ["{}"]}}}}}})", server_script);
    std::string command = fmt::format("clear; {} --model openai/gpt-test; echo ik-exit=$?", env_or("IK_BINARY", "ik"));
    send(command);
    ASSERT_TRUE(tmux->wait_for("[y]es / [n]o", std::chrono::seconds(15))) << tmux->screen();
    send("n");
    ASSERT_TRUE(tmux->wait_for("/help for commands", std::chrono::seconds(15))) << tmux->screen();
    send("/mcp");
    ASSERT_TRUE(tmux->wait_for("No MCP servers configured")) << tmux->screen();
    tmux->keys({ "C-d" });
    ASSERT_TRUE(tmux->wait_for("ik-exit=0")) << tmux->screen();
    send(command);
    ASSERT_TRUE(tmux->wait_for("/help for commands", std::chrono::seconds(15))) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("[y]es / [n]o")));
    tmux->keys({ "C-d" });
    ASSERT_TRUE(tmux->wait_for("ik-exit=0")) << tmux->screen();
}

} // namespace
} // namespace ik::testing
