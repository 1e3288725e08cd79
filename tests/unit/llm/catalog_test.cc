// The model catalog: the built-in table, config overrides, learned windows,
// the persisted file, costs and reading providers' context-length errors.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "llm/catalog.h"
#include "llm/context_error.h"
#include "llm/learned_models.h"
#include "support/matchers.h"

using namespace ik::llm;
using ik::testing::IsOk;

namespace {

TEST(Catalog, EveryBuiltinRowIsPlausibleAndSourced)
{
    ASSERT_GT(builtin_models().size(), 20u);
    for (const CatalogEntry& e : builtin_models()) {
        EXPECT_NE(e.spec.find('/'), std::string_view::npos) << e.spec;
        EXPECT_GE(e.context_window, 8192) << e.spec;
        EXPECT_GT(e.max_output, 0) << e.spec;
        EXPECT_LE(e.max_output, e.context_window) << e.spec;
        EXPECT_GE(e.prices.output, e.prices.input) << e.spec;
        EXPECT_LE(e.prices.cache_read, e.prices.input) << e.spec;
        EXPECT_NE(e.source.find("(20"), std::string_view::npos) << e.spec << ": prices need a date";
        EXPECT_TRUE(e.source.starts_with("https://")) << e.spec;
        for (const CatalogEntry& other : builtin_models()) {
            if (&other != &e) {
                EXPECT_NE(other.spec, e.spec);
            }
        }
    }
}

TEST(Catalog, KnownModelUnknownModelAndResponsesAlias)
{
    Catalog c;
    ModelLimits sonnet = c.lookup("anthropic/claude-sonnet-4-5");
    EXPECT_EQ(sonnet.origin, LimitsOrigin::builtin);
    EXPECT_EQ(sonnet.context_window, 200000);
    EXPECT_DOUBLE_EQ(sonnet.prices.input, 3);
    EXPECT_TRUE(sonnet.caps & cap_thinking);

    ModelLimits unknown = c.lookup("openai/some-future-model");
    EXPECT_EQ(unknown.origin, LimitsOrigin::fallback);
    EXPECT_EQ(unknown.context_window, default_context_window);
    EXPECT_DOUBLE_EQ(unknown.prices.input, 0);

    EXPECT_EQ(c.lookup("openai-responses/gpt-5").context_window, c.lookup("openai/gpt-5").context_window);
}

TEST(Catalog, ConfigOverridesBeatLearnedWindowsWhichBeatTheTable)
{
    std::map<std::string, ModelOverride, std::less<>> overrides;
    overrides["openai/x"]
        = ModelOverride{ .context_window = 16000, .max_output = 4096, .input_price = 0.5, .output_price = 1.5 };
    overrides["openai/gpt-5"] = ModelOverride{ .output_price = 11 };
    Catalog c(overrides, { { "openai/gpt-4o", 64000 }, { "openai/x", 99999 } });

    ModelLimits x = c.lookup("openai/x");
    EXPECT_EQ(x.origin, LimitsOrigin::config);
    EXPECT_EQ(x.context_window, 16000);
    EXPECT_EQ(x.max_output, 4096);
    EXPECT_DOUBLE_EQ(x.prices.output, 1.5);

    ModelLimits gpt5 = c.lookup("openai/gpt-5");
    EXPECT_EQ(gpt5.context_window, 400000); // kept from the table
    EXPECT_DOUBLE_EQ(gpt5.prices.output, 11);
    EXPECT_DOUBLE_EQ(gpt5.prices.input, 1.25);

    EXPECT_EQ(c.lookup("openai/gpt-4o").context_window, 64000);
    EXPECT_EQ(c.lookup("openai/gpt-4o").origin, LimitsOrigin::learned);

    c.learn("ollama/tiny", 2048, LimitsOrigin::server);
    EXPECT_EQ(c.lookup("ollama/tiny").context_window, 2048);
    EXPECT_EQ(c.lookup("ollama/tiny").max_output, 1024); // at most half the window
    c.learn("ollama/tiny", 0);
    EXPECT_EQ(c.lookup("ollama/tiny").context_window, 2048);

    auto all = c.all();
    EXPECT_EQ(all.size(), builtin_models().size() + 1); // openai/x added; gpt-4o is in the table
}

TEST(Catalog, ImagesAreOffForUnknownModelsUnlessConfigSaysSo)
{
    EXPECT_FALSE(Catalog().lookup("ollama/llava").caps & cap_images);
    EXPECT_TRUE(Catalog().lookup("anthropic/claude-sonnet-4-5").caps & cap_images);
    std::map<std::string, ModelOverride, std::less<>> overrides;
    overrides["ollama/llava"] = ModelOverride{ .images = true };
    overrides["anthropic/claude-sonnet-4-5"] = ModelOverride{ .images = false };
    Catalog c(overrides, {});
    EXPECT_TRUE(c.lookup("ollama/llava").caps & cap_images);
    EXPECT_TRUE(c.lookup("ollama/llava").caps & cap_tools);
    EXPECT_FALSE(c.lookup("anthropic/claude-sonnet-4-5").caps & cap_images);
}

TEST(Catalog, CostBillsCachedTokensAtTheCacheReadPrice)
{
    ModelPrices p{ .input = 3, .output = 15, .cache_read = 0.3, .cache_write = 3.75 };
    Usage u{ .input = 1'000'000, .output = 100'000, .cached = 800'000 };
    EXPECT_NEAR(cost_usd(p, u), 0.2 * 3 + 0.8 * 0.3 + 0.1 * 15, 1e-9);
    // No cache price listed: cached tokens cost the input price.
    EXPECT_NEAR(cost_usd(ModelPrices{ .input = 1, .output = 2 }, u), 1 + 0.2, 1e-9);
    // Hostile usage (negative, cached > input) never makes money.
    EXPECT_GE(cost_usd(p, Usage{ .input = -5, .output = -1, .cached = 99 }), 0);
    EXPECT_EQ(format_cost(0), "$0.00");
    EXPECT_EQ(format_cost(0.0042), "$0.0042");
    EXPECT_EQ(format_cost(12.4), "$12.40");
}

TEST(ContextError, ReadsEachProvidersShape)
{
    auto openai = parse_context_overflow("This model's maximum context length is 16,385 tokens. However, your "
                                         "messages resulted in 20012 tokens. Please reduce the length.");
    EXPECT_EQ(openai.window, 16385);
    EXPECT_EQ(openai.prompt_tokens, 20012);

    auto anthropic = parse_context_overflow("prompt is too long: 208310 tokens > 200000 maximum");
    EXPECT_EQ(anthropic.window, 200000);
    EXPECT_EQ(anthropic.prompt_tokens, 208310);

    auto gemini = parse_context_overflow(
        "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).");
    EXPECT_EQ(gemini.window, 1048576);
    EXPECT_EQ(gemini.prompt_tokens, 1200000);

    auto llama = parse_context_overflow("request (20012 tokens) exceeds the available context size (16384 tokens)");
    EXPECT_EQ(llama.window, 16384);
    EXPECT_EQ(llama.prompt_tokens, 20012);

    auto openrouter = parse_context_overflow(
        "This endpoint's maximum context length is 16000 tokens. However, you requested about 19000 tokens");
    EXPECT_EQ(openrouter.window, 16000);
    EXPECT_EQ(openrouter.prompt_tokens, 19000);
}

TEST(ContextError, HostileMessagesYieldNothing)
{
    EXPECT_EQ(parse_context_overflow("").window, 0);
    EXPECT_EQ(parse_context_overflow("context_length_exceeded").window, 0);
    EXPECT_EQ(parse_context_overflow("maximum context length is 99999999999999999999 tokens").window, 0);
    EXPECT_EQ(parse_context_overflow("maximum context length is").window, 0);
    EXPECT_EQ(parse_context_overflow("prompt is too long: x > maximum").window, 0);
    EXPECT_EQ(parse_context_overflow(std::string(100000, '9')).window, 0);
}

class Learned : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = std::filesystem::temp_directory_path()
            / ("ik-learned-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-"
                + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }
    std::filesystem::path m_dir;
};

TEST_F(Learned, RoundTripsThroughAnAtomicallyWrittenFile)
{
    std::string path = (m_dir / "state" / "ik" / "models.json").string();
    EXPECT_TRUE(load_learned(path).empty());
    ASSERT_THAT(save_learned(path, { { "openai/x", 16000 }, { "ollama/y", 4096 } }), IsOk());
    auto back = load_learned(path);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back["openai/x"], 16000);
    for (const auto& entry : std::filesystem::directory_iterator(m_dir / "state" / "ik"))
        EXPECT_EQ(entry.path().filename(), "models.json") << "no temp file left behind";
}

TEST_F(Learned, MalformedFilesAreIgnored)
{
    std::filesystem::create_directories(m_dir);
    std::string path = (m_dir / "models.json").string();
    for (std::string text : { "not json", "[1,2]", R"({"a": 5})", R"({"a": {"context_window": -1}})",
             R"({"a": {"context_window": "big"}})", R"({"a": {"context_window": 1e12}})" }) {
        std::ofstream(path) << text;
        EXPECT_TRUE(load_learned(path).empty()) << text;
    }
    std::ofstream(path) << R"({"a": {"context_window": 8000}, "b": 3})";
    EXPECT_EQ(load_learned(path).size(), 1u);
}

} // namespace
