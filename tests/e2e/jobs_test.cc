// Background processes in the REPL: /ps lists what the model started,
// /clear and /resume are refused while one runs, /ps kill stops it.
#include "repl_fixture.h"

namespace ik::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(ReplE2e, PsListsBackgroundProcessesAndClearWaitsUntilTheyAreStopped)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"tool_calls": [{"id": "call_1", "name": "bash",
        "arguments": "{\"command\": \"echo serving; sleep 300\", \"background\": true}"}]}]},
        {"steps": [{"text": "SERVER-STARTED"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch("--approval yolo"));
    send("/ps");
    ASSERT_TRUE(tmux->wait_for("No background processes")) << tmux->screen();
    send("start the server");
    ASSERT_TRUE(tmux->wait_for("SERVER-STARTED")) << tmux->screen();
    send("/ps");
    // The listing's header: the command itself is on the screen already, in
    // the transcript of the tool call.
    ASSERT_TRUE(tmux->wait_for("ID     PID      STATE")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("bg1"));
    EXPECT_THAT(tmux->screen(), HasSubstr("running"));
    send("/clear");
    ASSERT_TRUE(tmux->wait_for("/clear is refused while 1 background process runs")) << tmux->screen();
    send("/ps kill bg1");
    ASSERT_TRUE(tmux->wait_for("Stopping bg1.")) << tmux->screen();
    send("/ps");
    ASSERT_TRUE(tmux->wait_for("ended (SIGTERM)")) << tmux->screen();
    send("/clear");
    ASSERT_TRUE(tmux->wait_for("Conversation cleared.")) << tmux->screen();
    tmux->keys({ "C-d" });
    expect_restored("");
}

} // namespace
} // namespace ik::testing
