// Background agents in the REPL: /agents lists the one the model started
// (idle once its turn ends), /clear is refused while it exists, /agents stop
// ends it.
#include "repl_fixture.h"

namespace ik::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(ReplE2e, AgentsListsABackgroundAgentAndStopsIt)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"match": "You are a sub-agent", "steps": [{"text": "checked"}]},
        {"steps": [{"tool_calls": [{"id": "call_1", "name": "task",
        "arguments": "{\"prompt\": \"check the build\", \"description\": \"checker\", \"background\": true}"}]}]},
        {"steps": [{"text": "AGENT-STARTED"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch("--approval yolo"));
    send("/agents");
    ASSERT_TRUE(tmux->wait_for("No sub-agents")) << tmux->screen();
    send("start a checker");
    ASSERT_TRUE(tmux->wait_for("AGENT-STARTED")) << tmux->screen();
    send("/agents");
    ASSERT_TRUE(tmux->wait_for("checker")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("agent-1"));
    EXPECT_THAT(tmux->screen(), HasSubstr("background"));
    send("/clear");
    ASSERT_TRUE(tmux->wait_for("/agents stop ID stops one")) << tmux->screen();
    send("/agents stop agent-1");
    ASSERT_TRUE(tmux->wait_for("Stopped agent-1.")) << tmux->screen();
    send("/clear");
    ASSERT_TRUE(tmux->wait_for("Conversation cleared.")) << tmux->screen();
    tmux->keys({ "C-d" });
    expect_restored("");
}

} // namespace
} // namespace ik::testing
