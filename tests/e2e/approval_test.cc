// The approval box and tool blocks end to end (issue 9: the whole command is
// visible before answering; issue 13 defects 6 and 7: blocks say what
// happened, "always" shows and honours its rule).
#include "repl_fixture.h"

namespace ik::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// One tool call per response, then a closing text. `args_json` is the
// arguments object as JSON text, escaped for a JSON string.
std::string tool_script(const std::vector<std::pair<std::string, std::string>>& calls, const std::string& closing)
{
    std::string out = "[";
    int n = 0;
    for (const auto& [name, args] : calls)
        out += fmt::format(
            R"({{"steps": [{{"tool_calls": [{{"id": "call_{}", "name": "{}", "arguments": "{}"}}]}}]}},)", ++n, name,
            args);
    out += fmt::format(R"({{"steps": [{{"text": "{}"}}]}}])", closing);
    return out;
}

size_t count(const std::string& s, const std::string& what)
{
    size_t n = 0;
    for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1))
        ++n;
    return n;
}

// A harmless first line, 80 spaces, then the real command: the old box
// clipped it at the right edge with no marker.
TEST_F(ReplE2e, ApprovalBoxWrapsALongLineSoTheHiddenTailIsVisible)
{
    std::string command = "echo harmless" + std::string(80, ' ') + "; touch pwned.txt";
    ASSERT_NO_FATAL_FAILURE(start(tool_script({ { "bash", "{\\\"command\\\":\\\"" + command + "\\\"}" } }, "AFTER")));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("Run this command?")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("; touch pwned.txt"));
    EXPECT_THAT(tmux->screen(), HasSubstr("↪"));
    tmux->type("n");
    ASSERT_TRUE(tmux->wait_for("AFTER")) << tmux->screen();
    EXPECT_FALSE(fs::exists(root + "/work/pwned.txt"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

// Line 62 of a script: out of the box, announced, and reachable by scrolling.
TEST_F(ReplE2e, ApprovalBoxScrollsATallScriptAndSaysWhatIsBelow)
{
    std::string script;
    for (int i = 1; i < 62; ++i)
        script += fmt::format("echo step{}\\\\n", i);
    script += "touch line62.txt";
    ASSERT_NO_FATAL_FAILURE(start(tool_script({ { "bash", "{\\\"command\\\":\\\"" + script + "\\\"}" } }, "AFTER")));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("Run this command?")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("more lines below")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("touch line62.txt")));
    tmux->keys({ "End" });
    ASSERT_TRUE(tmux->wait_for("touch line62.txt")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("more lines above"));
    tmux->keys({ "Home" });
    ASSERT_TRUE(tmux->wait_gone("touch line62.txt")) << tmux->screen();
    tmux->type("n");
    ASSERT_TRUE(tmux->wait_for("AFTER")) << tmux->screen();
    EXPECT_FALSE(fs::exists(root + "/work/line62.txt"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

// Defect 7: the prompt names the rule "a" adds, and the rule covers the
// program with any arguments for the rest of the session.
TEST_F(ReplE2e, AlwaysShowsItsRuleAndHonoursItForTheSession)
{
    ASSERT_NO_FATAL_FAILURE(start(
        tool_script({ { "bash", R"({\"command\":\"echo first\"})" }, { "bash", R"({\"command\":\"echo second\"})" } },
            "DONE-ALWAYS")));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("Run this command?")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("a always: echo *"));
    tmux->type("a");
    // The second call runs without a prompt (nobody answers one here).
    ASSERT_TRUE(tmux->wait_for("DONE-ALWAYS")) << tmux->screen();
    std::string s = tmux->screen();
    EXPECT_THAT(s, HasSubstr("always this session: echo *"));
    EXPECT_THAT(s, HasSubstr("● bash  echo second"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

// Defect 6: a denied call is one clear block (no JSON, no exit code).
TEST_F(ReplE2e, ADeniedCallSaysDeniedOnce)
{
    ASSERT_NO_FATAL_FAILURE(start(tool_script({ { "bash", R"({\"command\":\"touch nope.txt\"})" } }, "AFTER")));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("Run this command?")) << tmux->screen();
    tmux->type("n");
    ASSERT_TRUE(tmux->wait_for("AFTER")) << tmux->screen();
    std::string s = tmux->screen();
    EXPECT_THAT(s, HasSubstr("● bash  touch nope.txt\n  ⎿ denied · by you"));
    EXPECT_EQ(count(s, "nope.txt"), 1u) << s;
    EXPECT_THAT(s, Not(HasSubstr("exit 1")));
    EXPECT_THAT(s, Not(HasSubstr("{\"command")));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

// Defect 6: exit codes only for commands, the footer is not output, an
// edit shows its change, a cancelled command says so.
TEST_F(ReplE2e, ToolBlocksShowExitCodesDiffsAndCancellation)
{
    std::string script = tool_script(
        { { "bash", R"({\"command\":\"echo hi\"})" },
            { "edit_file", R"({\"path\":\"a.txt\",\"old_string\":\"old words\",\"new_string\":\"new words\"})" },
            { "bash", R"({\"command\":\"sleep 30\"})" } },
        "UNUSED");
    ASSERT_NO_FATAL_FAILURE(start(script));
    std::ofstream(root + "/work/a.txt") << "line one\nline two\nold words\nline four\nline five\n";
    ASSERT_NO_FATAL_FAILURE(launch("--approval yolo"));
    send("go");
    ASSERT_TRUE(tmux->wait_for("+new words")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("Running bash")) << tmux->screen();
    std::string s = tmux->screen();
    EXPECT_THAT(s, HasSubstr("● bash  echo hi\n  ⎿ exit 0 · 1 line\n    hi\n"));
    EXPECT_THAT(s, Not(HasSubstr("[exit code")));
    EXPECT_THAT(s, HasSubstr("● edit_file  a.txt\n  ⎿ +1 -1 lines"));
    EXPECT_THAT(s, HasSubstr("-old words"));
    EXPECT_THAT(s, HasSubstr("+new words"));
    EXPECT_EQ(count(s, "exit 0"), 1u) << s;
    tmux->keys({ "Escape" });
    ASSERT_TRUE(tmux->wait_for("Interrupted.")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("● bash  sleep 30\n  ⎿ cancelled"));
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

} // namespace
} // namespace ik::testing
