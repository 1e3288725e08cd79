// Custom commands found on disk and installed next to the built-in ones.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/commands/completion.h"
#include "app/commands/custom.h"
#include "support/process.h"

namespace ik::app {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

void put(const fs::path& p, const std::string& text)
{
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

class CustomCommands : public ::testing::Test {
protected:
    void SetUp() override
    {
        root = fs::path(tmp.path()) / "project";
        user = fs::path(tmp.path()) / "user-commands";
        put(root / ".ik/commands/greet.md", "---\ndescription: Greet\nargument-hint: NAME\n---\nHello $1\n");
        put(root / ".claude/commands/git/commit.md", "# Commit the staged change\n\nbody\n");
        put(root / ".claude/commands/greet.md", "shadowed by .ik\n");
        put(root / ".ik/commands/a/b/c/d/too-deep.md", "x\n");
        put(root / ".ik/commands/bad name.md", "x\n");
        put(root / ".ik/commands/clear.md", "a built-in name\n");
        put(root / ".ik/commands/notes.txt", "not markdown\n");
        put(user / "mine.md", "---\ndescription: \"a \\u001b[31mred\\u001b[0m one\"\n---\n");
        put(user / "esc.md", "---\ndescription: \"bell\x07 and\x1b[2J clear\"\n---\n");
    }
    void TearDown() override { (void)install_custom_commands({}); }

    agent::CommandScan scan() { return agent::scan_commands(loop, { .project_root = root, .user_dir = user }); }

    ik::testing::TempDir tmp;
    fs::path root;
    fs::path user;
    Loop loop;
};

TEST_F(CustomCommands, ScanFindsNamespacesFirstDirectoryWinsAndNotesTheRest)
{
    agent::CommandScan s = scan();
    std::vector<std::string> names;
    for (const auto& c : s.commands)
        names.push_back(c.name);
    EXPECT_EQ(names, (std::vector<std::string>{ "clear", "esc", "git:commit", "greet", "mine" }));
    for (const auto& c : s.commands) {
        if (c.name == "greet") {
            EXPECT_EQ(c.description, "Greet");
            EXPECT_EQ(c.argument_hint, "NAME");
            EXPECT_EQ(c.source, ".ik/commands");
        }
        if (c.name == "git:commit") {
            EXPECT_EQ(c.description, "Commit the staged change"); // the first line, without its heading marks
            EXPECT_EQ(c.source, ".claude/commands");
        }
        EXPECT_EQ(c.description.find('\x1b'), std::string::npos) << c.name;
        EXPECT_EQ(c.description.find('\x07'), std::string::npos) << c.name;
    }
    std::string notes;
    for (const auto& n : s.notes)
        notes += n + "\n";
    EXPECT_THAT(notes, HasSubstr("bad name.md: not a command name"));
}

TEST_F(CustomCommands, InstalledCommandsCompleteAndBuiltInsWin)
{
    std::vector<std::string> notes = install_custom_commands(scan());
    std::string all;
    for (const auto& n : notes)
        all += n + "\n";
    EXPECT_THAT(all, HasSubstr("/clear is a built-in command, which wins"));
    const SlashCommand* clear = find_command("clear");
    ASSERT_NE(clear, nullptr);
    EXPECT_EQ(clear->custom, nullptr);
    const SlashCommand* greet = find_command("greet");
    ASSERT_NE(greet, nullptr);
    ASSERT_NE(greet->custom, nullptr);
    EXPECT_EQ(greet->args, "NAME");
    std::vector<std::string_view> names;
    for (const SlashCommand* c : commands_with_prefix("g"))
        names.push_back(c->name);
    EXPECT_EQ(names, (std::vector<std::string_view>{ "git:commit", "greet" }));
    EXPECT_EQ(suggest_command("gret"), greet);
    EXPECT_EQ(find_command("nothing"), nullptr);
}

} // namespace
} // namespace ik::app
