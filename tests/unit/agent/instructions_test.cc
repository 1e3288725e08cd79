#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "agent/instructions.h"
#include "agent/tools/registry.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::agent;
using ik::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Not;

namespace fs = std::filesystem;

class Instructions : public ::testing::Test {
protected:
    void SetUp() override
    {
        std::string tmpl = (fs::temp_directory_path() / "ik-instr-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        m_dir = tmpl;
        fs::create_directories(m_dir / "home/ik");
        fs::create_directories(m_dir / "repo/.git");
        fs::create_directories(m_dir / "repo/src/deep");
    }
    void TearDown() override
    {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    void write(const fs::path& p, std::string_view text) { std::ofstream(p, std::ios::binary) << text; }

    fs::path m_dir;
};

TEST_F(Instructions, ProjectRootIsTheNearestDirectoryWithGit)
{
    EXPECT_EQ(find_project_root(m_dir / "repo/src/deep"), m_dir / "repo");
    EXPECT_EQ(find_project_root(m_dir / "repo"), m_dir / "repo");
    EXPECT_EQ(find_project_root(m_dir / "home"), m_dir / "home"); // no .git above: the cwd
}

TEST_F(Instructions, LoadsUserThenProjectFiles)
{
    write(m_dir / "home/ik/AGENTS.md", "Prefer short answers.\n");
    write(m_dir / "repo/AGENTS.md", "Run `make check` before finishing.\n");
    write(m_dir / "repo/src/AGENTS.md", "not the root: ignored\n");
    auto files = load_instructions({ .cwd = m_dir / "repo/src/deep", .user_config_dir = m_dir / "home/ik" });
    ASSERT_THAT(files, IsOk());
    ASSERT_EQ(files->size(), 2u);
    EXPECT_EQ((*files)[0].path, m_dir / "home/ik/AGENTS.md");
    EXPECT_EQ((*files)[0].text, "Prefer short answers.\n");
    EXPECT_EQ((*files)[1].path, m_dir / "repo/AGENTS.md");
    EXPECT_FALSE((*files)[1].truncated);
}

TEST_F(Instructions, MissingFilesAreSkipped)
{
    auto files = load_instructions({ .cwd = m_dir / "repo", .user_config_dir = m_dir / "nowhere" });
    ASSERT_THAT(files, IsOk());
    EXPECT_TRUE(files->empty());
}

TEST_F(Instructions, BigFilesAreCappedAtALineWithANote)
{
    std::string big;
    for (int i = 0; i < 2000; ++i)
        big += "line " + std::to_string(i) + " of the project rules\n";
    write(m_dir / "repo/AGENTS.md", big);
    auto files = load_instructions({ .cwd = m_dir / "repo", .user_config_dir = {}, .cap = 1000 });
    ASSERT_THAT(files, IsOk());
    ASSERT_EQ(files->size(), 1u);
    auto& f = (*files)[0];
    EXPECT_TRUE(f.truncated);
    EXPECT_EQ(f.original_bytes, big.size());
    auto note = f.text.find("[" + (m_dir / "repo/AGENTS.md").string() + " truncated: showing the first ");
    ASSERT_NE(note, std::string::npos) << f.text;
    EXPECT_LE(note, 1000u);
    EXPECT_EQ(f.text.substr(0, note), big.substr(0, note));
    EXPECT_EQ(f.text[note - 1], '\n');
    EXPECT_THAT(f.text, HasSubstr(fmt::format("of {:.1f} KiB]", double(big.size()) / 1024)));
}

TEST_F(Instructions, CapNeverSplitsACharacter)
{
    std::string text;
    for (int i = 0; i < 100; ++i)
        text += "é"; // one long line of two-byte characters
    auto f = cap_instructions("X", text, 51);
    EXPECT_TRUE(f.truncated);
    EXPECT_EQ(f.text.substr(0, 51), text.substr(0, 50) + "\n");
}

TEST_F(Instructions, XdgConfigHomeWins)
{
    const char* old = std::getenv("XDG_CONFIG_HOME");
    std::string saved = old ? old : "";
    ::setenv("XDG_CONFIG_HOME", (m_dir / "xdg").c_str(), 1);
    EXPECT_EQ(user_config_dir(), m_dir / "xdg/ik");
    if (old)
        ::setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
    else
        ::unsetenv("XDG_CONFIG_HOME");
}

TEST_F(Instructions, SystemPromptHasEnvironmentToolsAndInstructions)
{
    write(m_dir / "repo/AGENTS.md", "Use tabs.\n");
    auto env = current_environment(m_dir / "repo/src");
    EXPECT_EQ(env.project_root, m_dir / "repo");
    EXPECT_TRUE(env.git_repository);
    EXPECT_EQ(env.date.size(), 10u);
    auto files = load_instructions({ .cwd = m_dir / "repo/src", .user_config_dir = {} });
    ASSERT_THAT(files, IsOk());
    std::string prompt = build_system_prompt(env, all_tools(), *files);
    EXPECT_THAT(prompt, HasSubstr("You are ik"));
    EXPECT_THAT(prompt, HasSubstr("- Working directory: " + (m_dir / "repo/src").string()));
    EXPECT_THAT(prompt, HasSubstr("- Project root: " + (m_dir / "repo").string()));
    EXPECT_THAT(prompt, HasSubstr("- Today's date: " + env.date));
    EXPECT_THAT(prompt, HasSubstr("- bash (may need approval): Run a shell command"));
    EXPECT_THAT(prompt, HasSubstr("- grep: Search file contents"));
    EXPECT_THAT(prompt, HasSubstr("# Instructions from " + (m_dir / "repo/AGENTS.md").string() + "\n\nUse tabs.\n"));
}
