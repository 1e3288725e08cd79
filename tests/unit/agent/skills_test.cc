#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/ext/skills.h"
#include "support/process.h"

namespace ik::agent {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(Skills, ThePromptSectionIsCappedInCountAndSize)
{
    EXPECT_EQ(skills_prompt({}), "");
    std::vector<Skill> many;
    for (int i = 0; i < 100; ++i)
        many.push_back(Skill{
            .name = "s" + std::to_string(i), .description = "does a thing", .dir = {}, .root = {}, .source = {} });
    std::string prompt = skills_prompt(many);
    EXPECT_THAT(prompt, HasSubstr("- s63: does a thing"));
    EXPECT_THAT(prompt, Not(HasSubstr("- s64:")));
    EXPECT_THAT(prompt, HasSubstr("36 more skills are not listed"));
    std::vector<Skill> big;
    for (int i = 0; i < 60; ++i)
        big.push_back(Skill{ .name = "b" + std::to_string(i),
            .description = std::string(max_skill_description, 'x'),
            .dir = {},
            .root = {},
            .source = {} });
    EXPECT_LE(skills_prompt(big).size(), size_t{ 17 } * 1024);
}

TEST(Skills, FilesAreListedAndReadBeneathTheSkillOnly)
{
    ik::testing::TempDir tmp;
    fs::path root = fs::path(tmp.path()) / "project";
    fs::create_directories(root / ".claude/skills/pdf/reference");
    std::ofstream(root / ".claude/skills/pdf/SKILL.md") << "---\nname: pdf\ndescription: PDFs\n---\nBODY\n";
    std::ofstream(root / ".claude/skills/pdf/reference/forms.md") << "FORMS\n";
    std::ofstream(root / ".claude/skills/pdf/blob.bin") << std::string("a\0b", 3);
    std::ofstream(root / "secret.txt") << "SECRET\n";
    Loop loop;
    SkillScan scan = scan_skills(loop, { .project_root = root, .user_dir = {} });
    ASSERT_EQ(scan.skills.size(), 1u);
    const Skill& s = scan.skills[0];
    EXPECT_EQ(s.source, ".claude/skills");
    EXPECT_EQ(*load_skill_body(loop, s), "BODY\n");
    EXPECT_EQ(skill_files(s), (std::vector<std::string>{ "SKILL.md", "blob.bin", "reference/forms.md" }));
    EXPECT_EQ(*read_skill_file(loop, s, "reference/forms.md"), "FORMS\n");
    EXPECT_FALSE(read_skill_file(loop, s, "../../../secret.txt"));
    EXPECT_FALSE(read_skill_file(loop, s, (root / "secret.txt").string()));
    EXPECT_FALSE(read_skill_file(loop, s, "blob.bin"));
    EXPECT_FALSE(read_skill_file(loop, s, ""));
}

} // namespace
} // namespace ik::agent
