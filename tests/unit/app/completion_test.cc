#include <gtest/gtest.h>

#include "app/commands/completion.h"

namespace ik::app {
namespace {

std::vector<std::string_view> names(const std::vector<const SlashCommand*>& list)
{
    std::vector<std::string_view> out;
    for (const SlashCommand* c : list)
        out.push_back(c->name);
    return out;
}

TEST(Completion, PrefixListsNamesAndAliasesInTableOrder)
{
    EXPECT_EQ(names(commands_with_prefix("co")), (std::vector<std::string_view>{ "context", "compact", "copy" }));
    EXPECT_EQ(names(commands_with_prefix("qu")), (std::vector<std::string_view>{ "exit" }));
    EXPECT_EQ(commands_with_prefix("").size(), commands().size());
    EXPECT_TRUE(commands_with_prefix("zz").empty());
}

TEST(Completion, ATypoWithinTwoEditsGetsTheClosestCommand)
{
    ASSERT_NE(suggest_command("comapct"), nullptr); // a swap
    EXPECT_EQ(suggest_command("comapct")->name, "compact");
    EXPECT_EQ(suggest_command("usge")->name, "usage"); // a deletion
    EXPECT_EQ(suggest_command("qiut")->name, "exit"); // an alias
    EXPECT_EQ(suggest_command("rewnid")->name, "rewind");
    EXPECT_EQ(suggest_command("sess")->name, "sessions"); // the only command with that prefix
}

TEST(Completion, NoGuessForSomethingFarOrTooShort)
{
    EXPECT_EQ(suggest_command("frobnicate"), nullptr);
    EXPECT_EQ(suggest_command(""), nullptr);
    EXPECT_EQ(suggest_command("x"), nullptr); // one edit from nothing useful
    EXPECT_EQ(suggest_command(std::string(100, 'a')), nullptr);
}

} // namespace
} // namespace ik::app
