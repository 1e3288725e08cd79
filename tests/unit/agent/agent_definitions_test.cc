// Agent definition files (agent/ext/agent_file.h, agent_definitions.h):
// parsing one file, hostile ones, and the scan that merges the project's and
// the user's directories.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/ext/agent_definitions.h"
#include "core/json.h"
#include "support/matchers.h"
#include "support/process.h"

namespace ik::agent {
namespace {

namespace fs = std::filesystem;
using ::ik::testing::HasError;
using ::ik::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(AgentFile, ReadsClaudeCodesShape)
{
    auto d = parse_agent_file("---\nname: code-reviewer\ndescription: Reviews code.\ntools: Read, Grep, Glob, "
                              "Bash(git diff:*), mcp__gh__pr\nmodel: sonnet\n---\n\nYou review code.\n",
        ".claude/agents/code-reviewer.md", "code-reviewer");
    ASSERT_THAT(d, IsOk());
    EXPECT_EQ(d->name, "code-reviewer");
    EXPECT_EQ(d->description, "Reviews code.");
    EXPECT_EQ(d->tools, (std::vector<std::string>{ "read_file", "grep", "glob", "bash", "mcp__gh__pr" }));
    EXPECT_EQ(d->model, "anthropic/claude-sonnet-4-5");
    EXPECT_TRUE(d->model_is_alias);
    EXPECT_EQ(d->prompt, "You review code.");
    EXPECT_EQ(d->source, ".claude/agents/code-reviewer.md");
}

TEST(AgentFile, ToolsAsAListModelInheritAndTheFileNameAsName)
{
    auto d = parse_agent_file(
        "---\ndescription: d\ntools:\n  - read_file\n  - grep\nmodel: inherit\n---\nP\n", "x/tester.md", "tester");
    ASSERT_THAT(d, IsOk());
    EXPECT_EQ(d->name, "tester");
    EXPECT_EQ(d->tools, (std::vector<std::string>{ "read_file", "grep" }));
    EXPECT_EQ(d->model, "");
    auto spec = parse_agent_file("---\ndescription: d\nmodel: openai/gpt-5-mini\n---\nP\n", "x/a.md", "a");
    ASSERT_THAT(spec, IsOk());
    EXPECT_EQ(spec->model, "openai/gpt-5-mini");
    EXPECT_FALSE(spec->model_is_alias);
    EXPECT_TRUE(spec->tools.empty()); // all of the parent's
}

TEST(AgentFile, BadFilesSayWhichFileAndLine)
{
    auto bad_name = parse_agent_file("---\ndescription: d\nname: Bad Name\n---\nP\n", "a/x.md", "x");
    EXPECT_THAT(bad_name, HasError(ErrorCode::invalid_argument));
    EXPECT_THAT(bad_name.error().message(), HasSubstr("a/x.md:3:"));
    EXPECT_FALSE(parse_agent_file("---\ndescription: d\n---\nP\n", "a/X.md", "X")); // the stem is the name
    EXPECT_FALSE(parse_agent_file("---\nname: x\n---\nP\n", "a/x.md", "x")); // no description
    EXPECT_FALSE(parse_agent_file("---\ndescription: d\n---\n  \n", "a/x.md", "x")); // no prompt
    auto front = parse_agent_file("---\ndescription d\n---\nP\n", "a/x.md", "x");
    EXPECT_THAT(front, HasError(ErrorCode::parse));
    EXPECT_THAT(front.error().message(), HasSubstr("a/x.md:2"));
    auto model = parse_agent_file("---\ndescription: d\nmodel: gpt 5\n---\nP\n", "a/x.md", "x");
    EXPECT_THAT(model.error().message(), HasSubstr("a/x.md:3:"));
    EXPECT_FALSE(parse_agent_file("---\ndescription: d\ntools: rm -rf\n---\nP\n", "a/x.md", "x"));
    EXPECT_FALSE(parse_agent_file(std::string("---\ndescription: d\n---\nP\0Q", 23), "a/x.md", "x"));
    EXPECT_FALSE(
        parse_agent_file(std::string(65, 'a').insert(0, "---\ndescription: d\nname: ") + "\n---\nP", "a/x.md", "x"));
}

TEST(AgentFile, ControlCharactersAreRemovedAndTheDescriptionCapped)
{
    std::string text = "---\ndescription: evil \x1b[2J\x07 text " + std::string(1000, 'd')
        + "\n---\nline one\x1b[31m red\r\n\tline two\x07\n";
    auto d = parse_agent_file(text, "a/x.md", "x");
    ASSERT_THAT(d, IsOk());
    EXPECT_LE(d->description.size(), max_agent_description);
    for (char c : d->description + d->prompt)
        EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') << int(c);
    EXPECT_EQ(d->prompt, "line one[31m red\n\tline two");
    auto utf8 = parse_agent_file("---\ndescription: d\n---\nbad \xff byte\n", "a/x.md", "x");
    ASSERT_THAT(utf8, IsOk());
    EXPECT_EQ(utf8->prompt, "bad \xef\xbf\xbd byte");
}

class AgentScan : public ::testing::Test {
protected:
    void write(const fs::path& path, const std::string& text)
    {
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << text;
    }
    static std::string def(std::string_view description, std::string_view body = "prompt")
    {
        return fmt::format("---\ndescription: {}\n---\n{}\n", description, body);
    }
    AgentDefinitions scan()
    {
        Loop loop;
        return scan_agent_definitions(loop, { .project_root = project, .user_dir = user });
    }
    std::string notes(const AgentDefinitions& d)
    {
        std::string all;
        for (const std::string& n : d.notes())
            all += n + "\n";
        return all;
    }
    ik::testing::TempDir tmp;
    fs::path project = fs::path(tmp.path()) / "project";
    fs::path user = fs::path(tmp.path()) / "config/ik/agents";
};

TEST_F(AgentScan, TheProjectOverridesTheUserAndIkOverridesClaude)
{
    write(project / ".ik/agents/reviewer.md", def("project ik"));
    write(project / ".claude/agents/reviewer.md", def("project claude"));
    write(project / ".claude/agents/tester.md", def("claude tester"));
    write(user / "reviewer.md", def("user"));
    write(user / "helper.md", def("user helper"));
    write(project / ".ik/agents/notes.txt", "not an agent");
    AgentDefinitions d = scan();
    ASSERT_EQ(d.list().size(), 3u) << notes(d);
    EXPECT_EQ(d.find("reviewer")->description, "project ik");
    EXPECT_EQ(d.find("reviewer")->source, ".ik/agents/reviewer.md");
    EXPECT_EQ(d.find("tester")->description, "claude tester");
    EXPECT_EQ(d.find("helper")->source, "~/.config/ik/agents/helper.md");
    EXPECT_EQ(d.find("nobody"), nullptr);
    EXPECT_TRUE(d.notes().empty()) << notes(d);
}

TEST_F(AgentScan, HostileFilesAreSkippedWithANoteNeverFatal)
{
    write(project / ".ik/agents/good.md", def("good"));
    write(project / ".ik/agents/huge.md", def("huge", std::string(max_agent_file, 'x')));
    write(project / ".ik/agents/binary.md",
        std::string("\x7f"
                    "ELF\0\0\x01\x02",
            8));
    write(project / ".ik/agents/broken.md", "---\ndescription: d\nnot a field\n---\nP\n");
    write(project / ".ik/agents/zdup.md", "---\nname: good\ndescription: again\n---\nP\n");
    write(tmp.path() + "/outside.md", def("outside"));
    fs::create_symlink(tmp.path() + "/outside.md", project / ".ik/agents/escape.md");
    fs::create_symlink(project / ".ik/agents/loop.md", project / ".ik/agents/loop.md");
    fs::create_directories(project / ".ik/agents/dir.md");
    fs::create_directory_symlink(project / ".ik/agents", project / ".ik/agents/cycle");
    AgentDefinitions d = scan();
    ASSERT_EQ(d.list().size(), 1u) << notes(d);
    EXPECT_EQ(d.find("good")->description, "good");
    std::string all = notes(d);
    EXPECT_THAT(all, HasSubstr(".ik/agents/huge.md: skipped: larger than"));
    EXPECT_THAT(all, HasSubstr(".ik/agents/binary.md:1: not a text file"));
    EXPECT_THAT(all, HasSubstr(".ik/agents/broken.md:3"));
    EXPECT_THAT(all, HasSubstr(".ik/agents/zdup.md: skipped: .ik/agents/good.md already defines 'good'"));
    EXPECT_THAT(all, HasSubstr(".ik/agents/escape.md: skipped"));
    EXPECT_THAT(all, HasSubstr(".ik/agents/loop.md: skipped"));
}

TEST_F(AgentScan, TheWalkIsBoundedInFiles)
{
    for (size_t i = 0; i < max_agent_files + 20; ++i)
        write(project / fmt::format(".ik/agents/a{:03}.md", i), def("d"));
    AgentDefinitions d = scan();
    EXPECT_LE(d.list().size(), max_agent_files);
    EXPECT_THAT(notes(d), HasSubstr("the rest are skipped"));
}

TEST_F(AgentScan, TheTaskOfferListsDefinitionsCappedAndAddsTheAgentArgument)
{
    EXPECT_TRUE(scan().task_offer().description.empty()); // no definitions: the task tool as it is
    for (int i = 0; i < 100; ++i)
        write(project / fmt::format(".ik/agents/a{:03}.md", i), def(std::string(400, 'd')));
    AgentDefinitions d = scan();
    ASSERT_EQ(d.list().size(), 100u) << notes(d);
    const TaskOffer& offer = d.task_offer();
    EXPECT_THAT(offer.description, HasSubstr("- a000: ddd"));
    EXPECT_THAT(offer.description, HasSubstr("more, not listed"));
    EXPECT_LE(offer.description.size(), max_offer_bytes + 2048);
    mem::Arena arena(mem::root(), "test");
    auto schema = json::parse(arena, offer.parameters);
    ASSERT_THAT(schema, IsOk());
    EXPECT_TRUE(schema->at("properties").as_object().contains("agent"));
    EXPECT_TRUE(schema->at("properties").as_object().contains("prompt"));
}

} // namespace
} // namespace ik::agent
