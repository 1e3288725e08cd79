// `!command`: the input's parts, the message the conversation keeps (and
// reads back on resume), and a real run through the bash tool on a loop.
#include <chrono>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/repl/shell_command.h"
#include "support/matchers.h"

namespace ik::app {
namespace {

using namespace std::chrono_literals;
using ik::testing::IsOk;
using ::testing::HasSubstr;

TEST(ShellCommand, TheCommandIsTheInputAfterTheBangTrimmed)
{
    EXPECT_TRUE(ShellCommand::is_shell("!ls"));
    EXPECT_FALSE(ShellCommand::is_shell(" !ls"));
    EXPECT_FALSE(ShellCommand::is_shell("ls !x"));
    EXPECT_EQ(ShellCommand::command_of("!  git status \n"), "git status");
    EXPECT_EQ(ShellCommand::command_of("!"), "");
    EXPECT_EQ(ShellCommand::command_of("! \t\n"), "");
    EXPECT_EQ(ShellCommand::command_of("!printf 'a\\nb'\necho c"), "printf 'a\\nb'\necho c");
}

TEST(ShellCommand, TheMessageHoldsCommandAndOutputAndReadsBack)
{
    agent::ToolResult r;
    r.content = "hello\n[stderr]\noops\n[exit code 3]";
    std::string m = ShellCommand::message("make test", r);
    EXPECT_EQ(m,
        "!make test\n[the user ran this shell command in the session's directory; its output:]\nhello\n[stderr]\noops\n"
        "[exit code 3]");
    auto parsed = ShellCommand::parse_message(m);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->command, "make test");
    EXPECT_EQ(parsed->output, "hello\n[stderr]\noops\n[exit code 3]");
    // A multi-line command survives; ordinary prompts are not shell messages.
    std::string two_lines = ShellCommand::message("echo a\necho b", r); // parse_message borrows it
    auto multi = ShellCommand::parse_message(two_lines);
    ASSERT_TRUE(multi);
    EXPECT_EQ(multi->command, "echo a\necho b");
    EXPECT_FALSE(ShellCommand::parse_message("!important: fix the bug"));
    EXPECT_FALSE(ShellCommand::parse_message("fix it\n[the user ran this shell command in the session's directory; "
                                             "its output:]\n"));
}

TEST(ShellCommand, RunsThroughTheBashToolAndCtrlCStopsIt)
{
    Loop loop;
    agent::SessionSettings settings;
    settings.cwd = std::filesystem::temp_directory_path();
    ShellCommand shell;
    std::optional<agent::ToolResult> got;
    ASSERT_THAT(
        shell.start(loop, settings, "echo out; echo err >&2; exit 4", [&](const agent::ToolResult& r) { got = r; }),
        IsOk());
    EXPECT_TRUE(shell.running());
    // One at a time.
    EXPECT_FALSE(shell.start(loop, settings, "true", [](const agent::ToolResult&) {}));
    ASSERT_THAT(loop.run_until([&] { return got.has_value(); }), IsOk());
    EXPECT_FALSE(shell.running());
    EXPECT_EQ(got->exit_code, 4);
    EXPECT_THAT(got->content, HasSubstr("out\n[stderr]\nerr\n[exit code 4]"));

    got.reset();
    auto start = Loop::now();
    ASSERT_THAT(shell.start(loop, settings, "sleep 30", [&](const agent::ToolResult& r) { got = r; }), IsOk());
    loop.after(100ms, [&] { shell.cancel(); });
    ASSERT_THAT(loop.run_until([&] { return got.has_value(); }), IsOk());
    EXPECT_LT(Loop::now() - start, 10s);
    EXPECT_EQ(got->state, agent::ToolState::cancelled) << got->content;
    EXPECT_THAT(got->content, HasSubstr("cancelled by the user"));
}

TEST(ShellCommand, DestroyingItKillsTheCommandWithoutCallingBack)
{
    Loop loop;
    agent::SessionSettings settings;
    settings.cwd = std::filesystem::temp_directory_path();
    bool called = false;
    {
        ShellCommand shell;
        ASSERT_THAT(shell.start(loop, settings, "sleep 30", [&](const agent::ToolResult&) { called = true; }), IsOk());
    }
    bool waited = false;
    loop.after(300ms, [&] { waited = true; });
    ASSERT_THAT(loop.run_until([&] { return waited; }), IsOk());
    EXPECT_FALSE(called);
}

} // namespace
} // namespace ik::app
