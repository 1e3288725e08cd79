// The "models" and "compaction" sections of config.json.
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

TEST(ModelsConfig, ReadsEntriesAndCompaction)
{
    Config c = defaults();
    ASSERT_THAT(apply_file_text(c, R"({"models": {"openai/x": {"context_window": 16000, "max_output": 4096,
        "input_price": 0.5, "output_price": 1.5}, "anthropic/y": {"cache_read_price": 0}},
        "compaction": {"threshold": 0.7, "model": "small"}})",
                    "config.json"),
        IsOk());
    ASSERT_EQ(c.models.size(), 2u);
    const ModelEntry& x = c.models.at("openai/x");
    EXPECT_EQ(x.context_window, 16000);
    EXPECT_EQ(x.max_output, 4096);
    EXPECT_DOUBLE_EQ(*x.input_price, 0.5);
    EXPECT_FALSE(x.cache_read_price.has_value());
    EXPECT_DOUBLE_EQ(*c.models.at("anthropic/y").cache_read_price, 0);
    EXPECT_DOUBLE_EQ(c.compaction.threshold, 0.7);
    EXPECT_EQ(c.compaction.model, "small");
    EXPECT_THAT(to_json(c), HasSubstr(R"("openai/x":{"context_window":16000)"));
}

TEST(ModelsConfig, ReadsWhetherAModelAcceptsImages)
{
    Config c = defaults();
    ASSERT_THAT(apply_file_text(c, R"({"models": {"ollama/llava": {"images": true}, "openai/x": {"images": false}}})",
                    "config.json"),
        IsOk());
    EXPECT_EQ(c.models.at("ollama/llava").images, true);
    EXPECT_EQ(c.models.at("openai/x").images, false);
    EXPECT_THAT(to_json(c), HasSubstr(R"("ollama/llava":{"images":true})"));
    Config bad = defaults();
    EXPECT_THAT(apply_file_text(bad, R"({"models": {"ollama/llava": {"images": "yes"}}})", "config.json"),
        HasError(ErrorCode::config));
}

TEST(ModelsConfig, RejectsWhatCannotBeRight)
{
    for (std::string_view text : {
             R"({"models": {"openai/x": {"context_window": 0}}})",
             R"({"models": {"openai/x": {"input_price": -1}}})",
             R"({"models": {"openai/x": {"input_price": "cheap"}}})",
             R"({"models": {"x": {"context_window": 1000}}})",
             R"({"models": {"openai/x": {"window": 1000}}})",
             R"({"models": []})",
             R"({"compaction": {"threshold": 1.5}})",
             R"({"compaction": {"threshold": 0}})",
             R"({"compaction": {"treshold": 0.5}})",
         }) {
        Config c = defaults();
        EXPECT_THAT(apply_file_text(c, text, "config.json"), HasError(ErrorCode::config)) << text;
    }
    Config c = defaults();
    EXPECT_THAT(apply_file_text(c, R"({"compaction": {"treshold": 0.5}})", "config.json"),
        HasErrorMessage(HasSubstr("did you mean 'compaction.threshold'")));
}

} // namespace
