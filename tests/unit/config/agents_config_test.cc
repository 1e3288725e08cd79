// The "agents" section of config.json: agents.max_depth.
#include <gtest/gtest.h>

#include "config/config.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::config;
using ik::testing::HasError;
using ik::testing::IsOk;
using ::testing::HasSubstr;

namespace {

TEST(AgentsConfig, MaxDepthDefaultsToOneAndIsRead)
{
    Config c = defaults();
    EXPECT_EQ(c.agents_max_depth, 1);
    ASSERT_THAT(apply_file_text(c, R"({"agents": {"max_depth": 0}})", "config.json"), IsOk());
    EXPECT_EQ(c.agents_max_depth, 0);
    EXPECT_THAT(to_json(c), HasSubstr(R"("agents": {"max_depth":0})"));
}

TEST(AgentsConfig, RejectsWhatCannotBeRight)
{
    for (std::string_view text : { R"({"agents": {"max_depth": -1}})", R"({"agents": {"max_depth": "deep"}})",
             R"({"agents": {"depth": 2}})", R"({"agents": 3})" }) {
        Config c = defaults();
        EXPECT_THAT(apply_file_text(c, text, "config.json"), HasError(ErrorCode::config)) << text;
    }
}

} // namespace
