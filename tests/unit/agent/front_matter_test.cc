#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/ext/front_matter.h"
#include "support/matchers.h"

namespace ik::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(FrontMatter, ScalarsQuotesListsAndBody)
{
    std::string text = "---\n"
                       "# a comment\n"
                       "name: pdf-tools\n"
                       "description: \"Reads PDFs: text, \\\"forms\\\"\"\n"
                       "hint: 'it''s fine' # trailing comment\n"
                       "plain: a value # comment\n"
                       "tools: [Read, \"Bash(git add:*)\"]\n"
                       "more:\n"
                       "  - one\n"
                       "  - 'two'\n"
                       "---\n"
                       "Body line\n";
    auto doc = parse_front_matter(text, "x.md");
    ASSERT_TRUE(doc) << doc.error().to_string();
    EXPECT_EQ(doc->value("name"), "pdf-tools");
    EXPECT_EQ(doc->value("description"), "Reads PDFs: text, \"forms\"");
    EXPECT_EQ(doc->value("hint"), "it's fine");
    EXPECT_EQ(doc->value("plain"), "a value");
    EXPECT_THAT(doc->list("tools"), ElementsAre("Read", "Bash(git add:*)"));
    EXPECT_THAT(doc->list("more"), ElementsAre("one", "two"));
    EXPECT_EQ(doc->body, "Body line\n");
    EXPECT_EQ(doc->body_line, 12u);
    EXPECT_EQ(doc->find("more")->line, 8u);
}

TEST(FrontMatter, CommaSeparatedListsKeepParentheses)
{
    auto doc = parse_front_matter("---\nallowed-tools: Bash(git add:*), Bash(a, b), Read\n---\n", "x.md");
    ASSERT_TRUE(doc);
    EXPECT_THAT(doc->list("allowed-tools"), ElementsAre("Bash(git add:*)", "Bash(a, b)", "Read"));
}

TEST(FrontMatter, BlockScalarsAndContinuations)
{
    auto doc = parse_front_matter("---\r\ndescription: >\r\n  folded\r\n  text\r\nlit: |\n  a\n  b\n"
                                  "plain: first\n  second\n---\nbody",
        "x.md");
    ASSERT_TRUE(doc) << doc.error().to_string();
    EXPECT_EQ(doc->value("description"), "folded text");
    EXPECT_EQ(doc->value("lit"), "a\nb");
    EXPECT_EQ(doc->value("plain"), "first second");
    EXPECT_EQ(doc->body, "body");
}

TEST(FrontMatter, UnicodeEscapes)
{
    auto doc = parse_front_matter("---\nd: \"caf\\u00e9 \\u20ac\\u0041\"\n---\n", "x.md");
    ASSERT_TRUE(doc) << doc.error().to_string();
    EXPECT_EQ(doc->value("d"),
        "caf\xC3\xA9 \xE2\x82\xAC"
        "A");
    EXPECT_FALSE(parse_front_matter("---\nd: \"\\u12\"\n---\n", "x.md"));
}

TEST(FrontMatter, NoFrontMatterIsAllBody)
{
    auto doc = parse_front_matter("\xEF\xBB\xBFJust text\n---\n", "x.md");
    ASSERT_TRUE(doc);
    EXPECT_TRUE(doc->fields.empty());
    EXPECT_EQ(doc->body, "Just text\n---\n");
}

TEST(FrontMatter, ErrorsNameTheFileAndLine)
{
    auto expect_error = [](std::string_view text, std::string_view where) {
        auto doc = parse_front_matter(text, "cmds/x.md");
        ASSERT_FALSE(doc) << text;
        EXPECT_EQ(doc.error().code(), ErrorCode::parse);
        EXPECT_THAT(doc.error().message(), HasSubstr(where)) << doc.error().message();
    };
    expect_error("---\nname: a\nno colon here\n---\n", "cmds/x.md:3: expected 'key: value'");
    expect_error("---\nname: \"open\n---\n", "cmds/x.md:2: a quoted value is not closed");
    expect_error("---\nname: a\nname: b\n---\n", "cmds/x.md:3: 'name' is given twice");
    expect_error("---\n- item\n---\n", "cmds/x.md:2: a list item");
    expect_error("---\nlist: [a, b\n---\n", "cmds/x.md:2: a list opened with '['");
    expect_error("---\nname: a\n", "cmds/x.md:1: the front matter opened with '---' is never closed");
    expect_error("---\nkey:value\n---\n", "cmds/x.md:2:");
    expect_error("---\n  indented: x\n---\n", "cmds/x.md:2: unexpected indented line");
    expect_error("---\nd: \"bad \\q\"\n---\n", "unknown escape");
}

TEST(FrontMatter, HostileInputNeverCrashes)
{
    std::string junk;
    for (int i = 0; i < 4096; ++i)
        junk += static_cast<char>((i * 131) % 256);
    (void)parse_front_matter("---\n" + junk, "junk.md");
    (void)parse_front_matter("---\n" + std::string(100000, '-'), "dashes.md");
    (void)parse_front_matter("---\nk: |\n", "x.md");
    SUCCEED();
}

} // namespace
} // namespace ik::agent
