#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/ext/command_text.h"

namespace ik::agent {
namespace {

using ::testing::ElementsAre;

TEST(CommandText, ArgumentsSplitOnSpacesAndGroupByQuotes)
{
    EXPECT_THAT(split_arguments("  a \"b c\" 'd'e  "), ElementsAre("a", "b c", "de"));
    EXPECT_THAT(split_arguments("x \"open"), ElementsAre("x", "open"));
    EXPECT_TRUE(split_arguments("   ").empty());
}

TEST(CommandText, PlaceholdersAreSubstituted)
{
    EXPECT_EQ(substitute_arguments("Fix $1 in $2 ($ARGUMENTS) $3.", " #12 parser.cc "),
        "Fix #12 in parser.cc (#12 parser.cc) .");
    EXPECT_EQ(substitute_arguments("Cost $ not a placeholder, $0 neither", ""), "Cost $ not a placeholder, $0 neither");
}

TEST(CommandText, ArgumentsWithoutPlaceholdersAreAppended)
{
    EXPECT_EQ(substitute_arguments("Review the change.", "carefully"), "Review the change.\n\nARGUMENTS: carefully");
    EXPECT_EQ(substitute_arguments("Review the change.\n", ""), "Review the change.\n");
}

TEST(CommandText, ShellSpans)
{
    auto spans = find_shell_spans("a !`git status` b !`` c !`x\ny` d !`ls -l`");
    ASSERT_EQ(spans.size(), 2u);
    EXPECT_EQ(spans[0].command, "git status");
    EXPECT_EQ(spans[0].begin, 2u);
    EXPECT_EQ(spans[0].end, 15u);
    EXPECT_EQ(spans[1].command, "ls -l");
    std::string many;
    for (int i = 0; i < 40; ++i)
        many += "!`true` ";
    EXPECT_EQ(find_shell_spans(many).size(), max_shell_spans);
    EXPECT_TRUE(find_shell_spans("unclosed !`ls").empty());
}

TEST(CommandText, AllowedToolsBecomeBashRules)
{
    std::vector<std::string> tools = { "Bash(git status:*)", "Bash(npm test)", "Bash", "Read", "Bash()" };
    std::vector<std::string> ignored;
    auto rules = expansion_allow_rules(tools, &ignored);
    ASSERT_EQ(rules.size(), 3u);
    EXPECT_EQ(rules[0].tool, "bash");
    EXPECT_EQ(rules[0].prefix, "git status");
    EXPECT_EQ(rules[1].prefix, "npm test");
    EXPECT_EQ(rules[2].prefix, "");
    EXPECT_THAT(ignored, ElementsAre("Read", "Bash()"));
}

} // namespace
} // namespace ik::agent
