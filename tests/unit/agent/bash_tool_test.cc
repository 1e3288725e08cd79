#include <cctype>
#include <csignal>
#include <fstream>
#include <thread>

#include "support/valgrind.h"
#include "tool_fixture.h"

using namespace ik;
using namespace ik::agent;
using namespace ik::agent::testing;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

namespace {

bool process_gone(pid_t pid)
{
    for (int i = 0; i < 200; ++i) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        if (!stat || !std::getline(stat, line))
            return true;
        auto close = line.rfind(')');
        if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z')
            return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

} // namespace

using BashTool = ToolTest;

TEST_F(BashTool, ReportsOutputAndExitCode)
{
    auto r = call("bash", R"({"command": "echo hi; echo there"})");
    EXPECT_FALSE(r.is_error);
    EXPECT_EQ(r.content, "hi\nthere\n[exit code 0]");
    EXPECT_EQ(r.summary, "exit 0, 2 lines");
}

TEST_F(BashTool, NonZeroExitIsAnErrorAndStderrIsLabelled)
{
    auto r = call("bash", R"({"command": "echo out; echo oops >&2; exit 2"})");
    EXPECT_TRUE(r.is_error);
    EXPECT_EQ(r.content, "out\n[stderr]\noops\n[exit code 2]");
    EXPECT_EQ(r.summary, "exit 2, 2 lines");
}

TEST_F(BashTool, NoOutputSaysSo)
{
    auto r = call("bash", R"({"command": "true"})");
    EXPECT_EQ(r.content, "(no output)\n[exit code 0]");
}

TEST_F(BashTool, RunsInTheSessionDirectory)
{
    auto r = call("bash", R"({"command": "pwd"})");
    EXPECT_EQ(r.content, dir().string() + "\n[exit code 0]");
}

TEST_F(BashTool, TimeoutKillsTheProcessGroupAndSaysSo)
{
    auto r = call("bash", R"({"command": "sleep 30 & echo $!; wait", "timeout_ms": 500})");
    EXPECT_TRUE(r.is_error);
    EXPECT_THAT(r.content, HasSubstr("[timed out after 500 ms: the command and its process group were killed]"));
    EXPECT_EQ(r.summary, "timed out after 500 ms");
    ASSERT_TRUE(!r.content.empty() && std::isdigit(static_cast<unsigned char>(r.content[0])))
        << "bash did not start within the timeout: " << r.content;
    pid_t child = std::stoi(r.content);
    EXPECT_TRUE(process_gone(child)) << "the sleep started by the command survived";
}

TEST_F(BashTool, HugeOutputIsTruncatedWithANotice)
{
    auto r = call("bash", R"({"command": "head -c 1000000 /dev/zero | tr '\\0' a; echo err >&2"})");
    EXPECT_FALSE(r.is_error);
    EXPECT_LT(r.content.size(), 31'000u);
    EXPECT_THAT(r.content, HasSubstr("[output truncated: the first 29.3 KiB were kept, 947.3 KiB more were dropped]"));
    EXPECT_THAT(r.content, HasSubstr("[stderr]\nerr\n"));
}

TEST_F(BashTool, InvalidUtf8IsReplaced)
{
    auto r = call("bash", R"({"command": "printf 'a\\xffb'"})");
    EXPECT_EQ(r.content,
        "a\xEF\xBF\xBD"
        "b\n[exit code 0]");
}

TEST_F(BashTool, KilledBySignalIsReported)
{
    auto r = call("bash", R"({"command": "kill -KILL $$"})");
    EXPECT_TRUE(r.is_error);
    EXPECT_THAT(r.content, HasSubstr("[killed by SIGKILL]"));
}

TEST_F(BashTool, CancelStopsTheCommand)
{
    ToolContext ctx{ m_loop, dir() };
    std::optional<ToolResult> got;
    auto run = start_tool(ctx, "bash", R"({"command": "sleep 30"})", [&](ToolResult r) { got = std::move(r); });
    m_loop.after(50ms, [&] { run->cancel(); });
    ASSERT_THAT(m_loop.run_until([&] { return got.has_value(); }), ik::testing::IsOk());
    EXPECT_TRUE(got->is_error);
    EXPECT_THAT(got->content, HasSubstr("cancelled by the user"));
}

TEST_F(BashTool, DestroyingTheRunKillsTheCommandWithoutACompletion)
{
    ToolContext ctx{ m_loop, dir() };
    bool completed = false;
    auto run = start_tool(
        ctx, "bash", R"({"command": "echo $$ > pid; exec sleep 30"})", [&](ToolResult) { completed = true; });
    for (int i = 0; i < 200 && read("pid").empty(); ++i)
        ASSERT_THAT(m_loop.run_once(10), ik::testing::IsOk());
    pid_t pid = std::stoi(read("pid"));
    run.reset();
    EXPECT_NE(::kill(pid, 0), 0);
    ASSERT_THAT(m_loop.run_once(10), ik::testing::IsOk());
    EXPECT_FALSE(completed);
}

TEST_F(BashTool, BadArgumentsComeBackAsErrors)
{
    struct Case {
        const char* args;
        const char* message;
    } cases[] = {
        { R"({})", "bash: 'command' is required" },
        { R"({"command": 42})", "bash: 'command' must be a string, got number" },
        { R"({"command": "  "})", "bash: 'command' is empty" },
        { R"({"command": "ls", "timeout_ms": "soon"})", "bash: 'timeout_ms' must be an integer, got string" },
        { R"({"command": "ls", "timeout_ms": 0})", "bash: timeout_ms must be ≥ 1, got 0" },
        { R"({"command": "ls", "timeout_ms": 9000000})", "bash: timeout_ms must be ≤ 600000, got 9000000" },
        { R"({"command": "ls", "timeout_ms": 1.5})", "bash: 'timeout_ms' must be an integer, got a fractional number" },
        { R"([1, 2])", "bash: arguments must be a JSON object, got array" },
        { R"({"command": )", "bash: arguments are not valid JSON" },
    };
    for (auto& c : cases) {
        auto r = call("bash", c.args);
        EXPECT_TRUE(r.is_error) << c.args;
        EXPECT_THAT(r.content, HasSubstr(c.message)) << c.args;
    }
}

TEST_F(BashTool, PreviewShowsTheCommand)
{
    ToolContext ctx{ m_loop, dir() };
    auto p = preview_tool(ctx, "bash", R"({"command": "make test", "description": "run the tests"})");
    ASSERT_THAT(p, ik::testing::IsOk());
    EXPECT_EQ(p->command, "make test");
    EXPECT_EQ(p->description, "run the tests");
    EXPECT_THAT(preview_tool(ctx, "bash", "{}"), ik::testing::HasError(ErrorCode::invalid_argument));
}

TEST_F(BashTool, MissingWorkingDirectoryIsAnErrorResult)
{
    IK_SKIP_UNDER_VALGRIND("valgrind emulates posix_spawn; a failed exec is exit 127, not ENOENT");
    ToolContext ctx{ m_loop, dir() / "gone" };
    std::optional<ToolResult> got;
    auto run = start_tool(ctx, "bash", R"({"command": "true"})", [&](ToolResult r) { got = std::move(r); });
    EXPECT_FALSE(got.has_value());
    ASSERT_THAT(m_loop.run_until([&] { return got.has_value(); }), ik::testing::IsOk());
    EXPECT_TRUE(got->is_error);
    EXPECT_THAT(got->content, HasSubstr("bash: cannot run in " + (dir() / "gone").string() + ": no such directory"));
}
