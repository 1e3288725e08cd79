// Custom commands and skills through the real binary headless, against the
// mock model: files written for ik and for Claude Code, and hostile ones.
#include <filesystem>
#include <fstream>
#include <string>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

namespace fs = std::filesystem;

class Extensions : public IkTest {
protected:
    void put(const std::string& relative, const std::string& text)
    {
        fs::path p = fs::path(work_dir()) / relative;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << text;
    }
    RunResult run(std::vector<std::string> args)
    {
        start_mock(R"([{"steps": [{"text": "ok"}]}])");
        return ik_for(Wire::anthropic, std::move(args));
    }
    // The first request's body as the mock logged it (JSON-escaped text).
    std::string first_request() const
    {
        auto r = m_mock->requests();
        return r.empty() ? std::string() : r[0];
    }
};

TEST_F(Extensions, ACommandFileExpandsItsArgumentsHeadless)
{
    put(".ik/commands/greet.md",
        "---\ndescription: Greet someone\nargument-hint: NAME\n---\nSay hello to $1, warmly ($ARGUMENTS).\n");
    RunResult r = run({ "-p", "/greet world \"and all\"" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(first_request(), HasSubstr("Say hello to world, warmly (world \\\"and all\\\")."));
    EXPECT_THAT(first_request(), Not(HasSubstr("/greet")));
}

TEST_F(Extensions, ClaudeCodeCommandsWithNamespacesWork)
{
    put(".claude/commands/git/summary.md", "Summarise the change.\n");
    RunResult r = run({ "-p", "/git:summary the parser" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // No placeholder: the arguments are appended, as Claude Code does.
    EXPECT_THAT(first_request(), HasSubstr("Summarise the change.\\n\\nARGUMENTS: the parser"));
}

TEST_F(Extensions, IkCommandsWinOverClaudeOnesAndUnknownSlashLinesGoAsTyped)
{
    put(".ik/commands/x.md", "from ik\n");
    put(".claude/commands/x.md", "from claude\n");
    RunResult r = run({ "-p", "/x" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(first_request(), HasSubstr("from ik"));
    EXPECT_THAT(first_request(), Not(HasSubstr("from claude")));
}

TEST_F(Extensions, SlashLinesNamingNoCommandAreSentAsTyped)
{
    RunResult r = run({ "-p", "/nothing here" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(first_request(), HasSubstr("/nothing here"));
}

TEST_F(Extensions, UserCommandsComeFromTheConfigDirectory)
{
    fs::create_directories(m_config_dir + "/commands");
    std::ofstream(m_config_dir + "/commands/mine.md") << "my own command\n";
    RunResult r = run({ "-p", "/mine" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(first_request(), HasSubstr("my own command"));
}

TEST_F(Extensions, IncludesAttachProjectFilesOnly)
{
    put("notes/plan.txt", "the plan is secret-sauce\n");
    fs::path outside = fs::path(m_tmp.path()) / "outside.txt";
    std::ofstream(outside) << "outside-bytes\n";
    put(".ik/commands/review.md", "Review @notes/plan.txt and @" + outside.string() + "\n");
    RunResult r = run({ "-p", "/review" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(first_request(), HasSubstr("secret-sauce"));
    EXPECT_THAT(first_request(), Not(HasSubstr("outside-bytes")));
    EXPECT_THAT(r.err, HasSubstr("outside.txt: not attached"));
}

TEST_F(Extensions, ShellExpansionsAreDeniedHeadlessUnderAsk)
{
    put(".ik/commands/st.md", "Status: !`echo expanded > ran.txt; echo printed-$((6*7))`\n");
    RunResult r = run({ "-p", "/st" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(work_dir() + "/ran.txt"));
    EXPECT_THAT(first_request(), HasSubstr("not run"));
    EXPECT_THAT(first_request(), Not(HasSubstr("printed-42")));
    EXPECT_THAT(r.err, HasSubstr("not run"));
}

TEST_F(Extensions, ShellExpansionsRunWhenTheModeAllows)
{
    put(".ik/commands/st.md", "Status: !`echo printed-$((6*7))` done\n");
    RunResult r = run({ "-p", "/st", "--approval", "yolo" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(first_request(), HasSubstr("Status: printed-42"));
}

TEST_F(Extensions, AllowedToolsAllowTheirCommandsOnly)
{
    put(".claude/commands/st.md",
        "---\nallowed-tools: Bash(echo:*), Read\n---\nA: !`echo allowed-here`\nB: !`touch denied.txt`\n");
    RunResult r = run({ "-p", "/st" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(first_request(), HasSubstr("A: allowed-here"));
    EXPECT_FALSE(fs::exists(work_dir() + "/denied.txt"));
    EXPECT_THAT(r.err, HasSubstr("'Read' is not applied"));
}

TEST_F(Extensions, DenyRulesHoldForExpansions)
{
    write_config(R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 2, "max_retries": 0},
                     "rules": {"deny": ["bash:touch"]}})");
    put(".ik/commands/t.md", "!`touch made.txt`\n");
    RunResult r = run({ "-p", "/t", "--approval", "yolo" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(work_dir() + "/made.txt"));
}

TEST_F(Extensions, MalformedFrontMatterNamesTheFileAndLine)
{
    put(".ik/commands/bad.md", "---\ndescription: fine\nthis line is wrong\n---\nbody\n");
    RunResult r = run({ "-p", "/bad" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr(".ik/commands/bad.md:3:"));
    EXPECT_THAT(first_request(), HasSubstr("/bad")); // not a command: sent as typed
}

TEST_F(Extensions, HugeFilesAndSymlinksOutOfTheProjectAreRefused)
{
    put(".ik/commands/huge.md", std::string(100 * 1024, 'x'));
    fs::path outside = fs::path(m_tmp.path()) / "evil.md";
    std::ofstream(outside) << "evil-body\n";
    fs::create_directories(work_dir() + "/.ik/commands");
    fs::create_symlink(outside, work_dir() + "/.ik/commands/evil.md");
    RunResult r = run({ "-p", "/evil" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("huge.md: skipped: larger than the 64.0 KiB limit"));
    EXPECT_THAT(r.err, HasSubstr("evil.md: skipped: it leads outside"));
    EXPECT_THAT(first_request(), Not(HasSubstr("evil-body")));
}

TEST_F(Extensions, TheFilesModelIsTheRunsUnlessModelIsGiven)
{
    put(".ik/commands/fast.md", "---\nmodel: openai/gpt-test\n---\nquick question\n");
    start_mock(R"([{"steps": [{"text": "ok"}]}, {"steps": [{"text": "ok"}]}])");
    auto env = env_for(Wire::anthropic);
    env.merge(env_for(Wire::openai_chat));
    RunResult r = ik({ "-p", "/fast" }, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = ik({ "-p", "/fast", "--model", model_for(Wire::anthropic) }, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[0], HasSubstr("\"model\":\"gpt-test\""));
    EXPECT_THAT(requests[0], HasSubstr("quick question"));
    EXPECT_THAT(requests[1], HasSubstr("\"model\":\"claude-test\""));
}

TEST_F(Extensions, BuiltInCommandsWinOverFiles)
{
    put(".ik/commands/help.md", "not the help\n");
    RunResult r = run({ "-p", "/help" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("/help is a built-in command, which wins"));
    EXPECT_THAT(first_request(), Not(HasSubstr("not the help")));
}

// Skills ------------------------------------------------------------------

TEST_F(Extensions, SkillsAreNamedInThePromptAndLoadedByTheToolWithoutAsking)
{
    put(".claude/skills/pdf/SKILL.md",
        "---\nname: pdf\ndescription: Fill PDF forms; use for any .pdf task\n---\nPDF-BODY: read reference/forms.md "
        "first.\n");
    put(".claude/skills/pdf/reference/forms.md", "FORMS-TEXT\n");
    start_mock(R"([{"steps": [{"tool_calls": [{"id": "s1", "name": "skill", "arguments": "{\"name\":\"pdf\"}"}]}]},
                   {"steps": [{"tool_calls": [{"id": "s2", "name": "skill",
                       "arguments": "{\"name\":\"pdf\",\"file\":\"reference/forms.md\"}"}]}]},
                   {"steps": [{"tool_calls": [{"id": "s3", "name": "skill",
                       "arguments": "{\"name\":\"pdf\",\"file\":\"../../../outside.txt\"}"}]}]},
                   {"steps": [{"text": "done"}]}])");
    std::ofstream(fs::path(m_tmp.path()) / "outside.txt") << "OUTSIDE-TEXT\n";
    RunResult r = ik_for(Wire::anthropic, { "-p", "fill the form" }); // --approval ask: the default
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_THAT(requests[0], HasSubstr("# Skills"));
    EXPECT_THAT(requests[0], HasSubstr("- pdf: Fill PDF forms; use for any .pdf task"));
    EXPECT_THAT(requests[0], HasSubstr("\"name\":\"skill\""));
    EXPECT_THAT(requests[0], Not(HasSubstr("PDF-BODY")));
    EXPECT_THAT(requests[1], HasSubstr("PDF-BODY: read reference/forms.md first."));
    EXPECT_THAT(requests[1], HasSubstr("- reference/forms.md"));
    EXPECT_THAT(requests[2], HasSubstr("FORMS-TEXT"));
    EXPECT_THAT(requests[3], HasSubstr("is not a file of the skill"));
    EXPECT_THAT(requests[3], Not(HasSubstr("OUTSIDE-TEXT")));
    EXPECT_THAT(r.err, Not(HasSubstr("denied")));
}

TEST_F(Extensions, WithoutSkillsNeitherTheToolNorTheSectionIsSent)
{
    RunResult r = run({ "-p", "hello" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(first_request(), Not(HasSubstr("# Skills")));
    EXPECT_THAT(first_request(), Not(HasSubstr("\"name\":\"skill\"")));
}

TEST_F(Extensions, SkillsFromEveryPlaceAndBrokenOnesNoted)
{
    put(".ik/skills/one/SKILL.md", "---\nname: one\ndescription: from ik\n---\nx\n");
    put(".agents/skills/two/SKILL.md", "---\ndescription: from agents, named by its directory\n---\nx\n");
    put(".claude/skills/nodesc/SKILL.md", "---\nname: nodesc\n---\nx\n");
    put(".claude/skills/broken/SKILL.md", "---\nname: [unclosed\n---\nx\n");
    put(".claude/skills/esc/SKILL.md", "---\nname: esc\ndescription: \"bad\\u001b[2J\"\n---\nx\n");
    fs::create_directories(m_config_dir + "/skills/three");
    std::ofstream(m_config_dir + "/skills/three/SKILL.md") << "---\nname: three\ndescription: the user's\n---\nx\n";
    fs::path outside = fs::path(m_tmp.path()) / "evil";
    fs::create_directories(outside);
    std::ofstream(outside / "SKILL.md") << "---\nname: evil\ndescription: evil-skill\n---\nx\n";
    fs::create_directories(work_dir() + "/.claude/skills");
    fs::create_directory_symlink(outside, work_dir() + "/.claude/skills/evil");
    RunResult r = run({ "-p", "hello" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string body = first_request();
    EXPECT_THAT(body, HasSubstr("- one: from ik"));
    EXPECT_THAT(body, HasSubstr("- two: from agents, named by its directory"));
    EXPECT_THAT(body, HasSubstr("- three: the user's"));
    EXPECT_THAT(body, HasSubstr("- esc: bad [2J"));
    EXPECT_THAT(body, Not(HasSubstr("evil-skill")));
    EXPECT_THAT(r.err, HasSubstr(".claude/skills/nodesc/SKILL.md: skipped: no description"));
    EXPECT_THAT(r.err, HasSubstr(".claude/skills/broken/SKILL.md:2:"));
    EXPECT_THAT(r.err, HasSubstr(".claude/skills/evil/SKILL.md: skipped: it leads outside"));
}

} // namespace
