// A reply's sources: cited pages win over search results, each URL once,
// at most ReplySources::max_sources, copied out of the event's memory.
#include <gtest/gtest.h>

#include "agent/reply_sources.h"
#include "llm/catalog.h"

namespace ik::agent {
namespace {

llm::Event source(std::string_view url, std::string_view title, bool cited)
{
    llm::Event e;
    e.kind = llm::StreamEventKind::source;
    e.text = url;
    e.name = title;
    e.index = cited ? 1 : 0;
    return e;
}

TEST(ReplySources, CitedPagesWinOverResultsAndRepeatsGo)
{
    mem::Arena arena(mem::root(), "sources-test");
    ReplySources s(arena);
    s.add(source("https://a/", "A", false));
    s.add(source("https://b/", "B", false));
    ASSERT_EQ(s.list().size(), 2u);
    EXPECT_EQ(s.list()[0].url, "https://a/");
    s.add(source("https://b/", "B cited", true));
    s.add(source("https://b/", "again", true));
    s.add(source("", "empty", true));
    llm::Event text;
    text.kind = llm::StreamEventKind::text_delta;
    text.text = "https://c/";
    s.add(text);
    ASSERT_EQ(s.list().size(), 1u);
    EXPECT_EQ(s.list()[0].url, "https://b/");
    EXPECT_EQ(s.list()[0].title, "B cited");
}

TEST(ReplySources, CappedAndCopied)
{
    mem::Arena arena(mem::root(), "sources-test");
    ReplySources s(arena);
    for (int i = 0; i < 50; ++i) {
        std::string url = "https://e/" + std::to_string(i); // dies at the end of each iteration
        s.add(source(url, "t", false));
    }
    ASSERT_EQ(s.list().size(), ReplySources::max_sources);
    EXPECT_EQ(s.list()[0].url, "https://e/0");
    EXPECT_EQ(s.list().back().url, "https://e/19");
}

TEST(ReplySources, OfferedOnlyToModelsWithASearch)
{
    llm::WebSearch on{ .enabled = true, .max_uses = 4 };
    EXPECT_TRUE(offered_search(on, llm::cap_tools | llm::cap_web_search).enabled);
    EXPECT_EQ(offered_search(on, llm::cap_web_search).max_uses, 4);
    EXPECT_FALSE(offered_search(on, llm::cap_tools).enabled);
    EXPECT_FALSE(offered_search(llm::WebSearch{}, llm::cap_web_search).enabled);
    llm::Catalog catalog;
    EXPECT_TRUE(catalog.lookup("anthropic/claude-sonnet-4-5").caps & llm::cap_web_search);
    EXPECT_TRUE(catalog.lookup("openai-responses/gpt-5").caps & llm::cap_web_search);
    EXPECT_TRUE(catalog.lookup("google/gemini-3-pro-preview").caps & llm::cap_web_search);
    EXPECT_FALSE(catalog.lookup("google/gemini-2.5-pro").caps & llm::cap_web_search); // no search beside functions
    EXPECT_FALSE(catalog.lookup("ollama/qwen3").caps & llm::cap_web_search);
}

} // namespace
} // namespace ik::agent
