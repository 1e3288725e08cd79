// The "checkpoints" section of config.json.
#include <gtest/gtest.h>

#include "config/config.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::config;
using ik::testing::HasError;
using ik::testing::HasErrorMessage;
using ik::testing::IsOk;
using ::testing::HasSubstr;

namespace {

TEST(CheckpointsConfig, DefaultsAndValues)
{
    Config c = defaults();
    EXPECT_TRUE(c.checkpoints.enabled);
    EXPECT_EQ(c.checkpoints.keep, 100);
    EXPECT_EQ(c.checkpoints.max_age_days, 30);
    ASSERT_THAT(
        apply_file_text(c, R"({"checkpoints": {"enabled": false, "keep": 7, "max_age_days": 2}})", "config.json"),
        IsOk());
    EXPECT_FALSE(c.checkpoints.enabled);
    EXPECT_EQ(c.checkpoints.keep, 7);
    EXPECT_EQ(c.checkpoints.max_age_days, 2);
    EXPECT_THAT(to_json(c), HasSubstr(R"("checkpoints": {"enabled":false,"keep":7,"max_age_days":2})"));
}

TEST(CheckpointsConfig, RejectsWhatCannotBeRight)
{
    for (std::string_view text : {
             R"({"checkpoints": {"keep": 0}})",
             R"({"checkpoints": {"keep": "all"}})",
             R"({"checkpoints": {"max_age_days": -1}})",
             R"({"checkpoints": {"enabled": "yes"}})",
             R"({"checkpoints": {"kept": 3}})",
             R"({"checkpoints": true})",
         }) {
        Config c = defaults();
        EXPECT_THAT(apply_file_text(c, text, "config.json"), HasError(ErrorCode::config)) << text;
    }
    Config c = defaults();
    EXPECT_THAT(apply_file_text(c, R"({"checkpoints": {"keep": 0}})", "config.json"),
        HasErrorMessage(HasSubstr("checkpoints.keep: expected an integer >= 1, got 0")));
}

} // namespace
