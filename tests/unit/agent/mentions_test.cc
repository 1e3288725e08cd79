#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/mentions.h"
#include "support/process.h"

namespace ik::agent {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

void write(const fs::path& p, const std::string& text)
{
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

TEST(Mentions, TheWordAtTheCursor)
{
    EXPECT_EQ(mention_at("see @src/ma"), "src/ma");
    EXPECT_EQ(mention_at("@"), "");
    EXPECT_FALSE(mention_at("mail me@example").has_value());
    EXPECT_FALSE(mention_at("see @src/main.cc ").has_value());
    EXPECT_FALSE(mention_at("plain").has_value());
}

TEST(Mentions, RankingPrefersTheFileNameAndContiguousRuns)
{
    std::vector<std::string> files = { "docs/main_notes.md", "src/app/main.cc", "src/domain/alpha_in.cc", "README.md" };
    auto ranked = rank_files(files, "main", 10);
    ASSERT_EQ(ranked.size(), 3u);
    EXPECT_EQ(ranked[0], "src/app/main.cc");
    EXPECT_THAT(rank_files(files, "MAIN.CC", 10), ::testing::Contains("src/app/main.cc"));
    EXPECT_TRUE(rank_files(files, "zzz", 10).empty());
    EXPECT_EQ(rank_files(files, "", 2).size(), 2u);
}

class MentionFiles : public ::testing::Test {
protected:
    void SetUp() override
    {
        root = fs::path(tmp.path()) / "project";
        write(root / "src/main.cc", "int main() {}\n");
        write(root / "build/out.o", "x");
        write(root / ".gitignore", "build/\n");
        write(fs::path(tmp.path()) / "secret.txt", "outside\n");
        policy.project_root = root;
    }
    ik::testing::TempDir tmp;
    fs::path root;
    ApprovalPolicy policy;
    Loop loop;
};

TEST_F(MentionFiles, ListingHonoursGitignore)
{
    auto files = project_files(root);
    EXPECT_THAT(files, ::testing::UnorderedElementsAre(".gitignore", "src/main.cc"));
}

TEST_F(MentionFiles, AMentionedProjectFileIsAttachedOnce)
{
    Mentions m = attach_mentions("explain @src/main.cc, and again @src/main.cc", policy, loop, root);
    EXPECT_THAT(m.text,
        HasSubstr(
            "explain @src/main.cc, and again @src/main.cc\n\n<file path=\"src/main.cc\">\nint main() {}\n</file>"));
    EXPECT_THAT(m.attached, ElementsAre("src/main.cc (1 lines)"));
    EXPECT_TRUE(m.notes.empty());
    EXPECT_EQ(m.text.find("<file", m.text.find("</file>")), std::string::npos);
}

TEST_F(MentionFiles, OutsideTheProjectOrNotAFileStaysAsTyped)
{
    std::string prompt = "ask @alice about @../secret.txt and @src";
    Mentions m = attach_mentions(prompt, policy, loop, root);
    EXPECT_THAT(m.text, Not(HasSubstr("outside")));
    EXPECT_TRUE(m.attached.empty());
    ASSERT_EQ(m.notes.size(), 1u);
    EXPECT_THAT(m.notes[0], HasSubstr("@../secret.txt: not attached"));
}

TEST_F(MentionFiles, BinaryAndPrivateFilesAreNotAttached)
{
    std::ofstream(root / "blob.bin") << std::string("a\0b", 3);
    fs::path priv = root / "private";
    write(priv / "credentials.json", "{\"key\": \"sk-secret\"}");
    policy.private_dirs = { fs::canonical(priv) };
    Mentions m = attach_mentions("@blob.bin @private/credentials.json", policy, loop, root);
    EXPECT_THAT(m.text, Not(HasSubstr("sk-secret")));
    EXPECT_TRUE(m.attached.empty());
    EXPECT_EQ(m.notes.size(), 2u);
}

} // namespace
} // namespace ik::agent
