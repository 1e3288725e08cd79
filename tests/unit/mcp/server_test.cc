// Server lifecycle corner cases that need no MCP server: a program that exits
// at once fails the handshake, and the calls waiting for it fail with the
// reason; a call started from such a failure's completion restarts the server
// safely (the old connection is still on the stack then).
#include <gtest/gtest.h>

#include "mcp/server.h"
#include "support/valgrind.h"

namespace ik::mcp {
namespace {

using namespace std::chrono_literals;

TEST(McpServer, AServerThatExitsFailsItsWaitingCallsAndACallFromTheirCompletionRestartsIt)
{
    Loop loop;
    mem::Arena arena("mcp-server-test");
    config::McpServerConfig c;
    c.name = "dies";
    c.command = "sh";
    c.args = { "-c", "sleep 0.2; echo 'no such module' >&2; exit 1" };
    Server server(loop, arena, c, std::filesystem::current_path(), {});
    std::vector<CallOutcome> outcomes;
    // Not started: the first call starts it.
    server.call_tool("x", "{}", {}, [&](CallOutcome o) {
        outcomes.push_back(o);
        server.call_tool("x", "{}", {}, [&](CallOutcome again) { outcomes.push_back(std::move(again)); });
    });
    EXPECT_EQ(server.state(), ServerState::starting);
    auto deadline = Loop::now() + 10s;
    ASSERT_TRUE(loop.run_until([&] { return outcomes.size() == 2 || Loop::now() > deadline; }).has_value());
    ASSERT_EQ(outcomes.size(), 2U);
    for (const CallOutcome& o : outcomes) {
        EXPECT_TRUE(o.is_error);
        EXPECT_NE(o.text.find("MCP server 'dies' is not available"), std::string::npos) << o.text;
    }
    EXPECT_EQ(server.state(), ServerState::failed);
    EXPECT_EQ(server.restarts(), 1); // the first start is not a restart
    EXPECT_NE(server.last_error().find("no such module"), std::string::npos) << server.last_error();
    for (int i = 0; i < 3; ++i)
        (void)loop.run_once(10); // the dead connections are freed from the loop
}

TEST(McpServer, AMissingProgramFailsAtOnceWithItsName)
{
    IK_SKIP_UNDER_VALGRIND("valgrind emulates posix_spawn; a failed exec is exit 127, not ENOENT");
    Loop loop;
    mem::Arena arena("mcp-server-test");
    config::McpServerConfig c;
    c.name = "gone";
    c.command = "/nonexistent/server";
    Server server(loop, arena, c, std::filesystem::current_path(), {});
    server.start();
    EXPECT_EQ(server.state(), ServerState::failed);
    EXPECT_NE(server.last_error().find("cannot run /nonexistent/server"), std::string::npos);
}

} // namespace
} // namespace ik::mcp
