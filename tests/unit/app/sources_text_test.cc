// The numbered sources under a reply and the search progress line: untrusted
// titles and queries lose every control character, each source is one line.
#include <gtest/gtest.h>

#include "app/sources_text.h"

namespace ik::app {
namespace {

TEST(SourcesText, NumberedLinksOneLineEach)
{
    store::SourceRecord sources[]
        = { { .url = "https://a.example/x", .title = "Alpha" }, { .url = "https://b.example/", .title = "" },
              { .url = "https://c.example/",
                  .title = "Evil\x1b]52;c;ZXZpbA==\x07 title\nsecond line\xc2\x9b"
                           "2J" },
              { .url = "https://d.example/\x1b[2J", .title = "bad url" } };
    EXPECT_EQ(sources_text(sources),
        "Sources:\n"
        "[1] Alpha — https://a.example/x\n"
        "[2] https://b.example/\n"
        "[3] Evil ]52;c;ZXZpbA==  title second line 2J — https://c.example/\n");
    EXPECT_EQ(sources_text({}), "");
}

TEST(SourcesText, SearchProgress)
{
    llm::Event e;
    e.kind = llm::StreamEventKind::search;
    EXPECT_EQ(search_progress(e), "searching the web");
    e.text = "rust\x1b[31m release";
    EXPECT_EQ(search_progress(e), "searching: rust [31m release");
    e.raw_reason = "max_uses_exceeded";
    EXPECT_EQ(search_progress(e), "web search failed: max_uses_exceeded");
}

} // namespace
} // namespace ik::app
