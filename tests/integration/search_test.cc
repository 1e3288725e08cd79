// Provider web search end to end: the real ik binary headless against
// ik-mockllm scripting a server-side search in each provider's shape. The
// request carries the provider's search tool only with web.search on and a
// model the catalog marks as searching; the sources are printed under the
// reply (text), listed in json and stream-json, stored with the reply and
// shown again by `ik sessions show`; the next turn builds on the reply
// without re-sending any search block.
#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

constexpr std::string_view script = R"js([{"steps": [
    {"search": {"query": "rust 1.80 release date", "sources": [
        {"url": "https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html", "title": "Announcing Rust 1.80.0"},
        {"url": "https://releases.rs/docs/1.80.0/", "title": "Evil\u001b[2J title"},
        {"url": "javascript:alert(1)", "title": "never shown"}]}},
    {"text": "Rust 1.80 came out on July 25, 2024."}]},
  {"steps": [{"text": "Nothing more to add."}]}])js";

struct Case {
    Wire wire;
    std::string model; // one the catalog marks with cap_web_search
    std::string tool; // what the request carries
};

class Search : public IkTest, public ::testing::WithParamInterface<Case> {
protected:
    RunResult run(std::vector<std::string> args)
    {
        args.insert(args.begin(), { "--model", GetParam().model });
        return ik(std::move(args), env_for(GetParam().wire));
    }
    void search_on() { write_config(R"({"web": {"search": true, "search_max_uses": 2}})"); }
    std::string session_id()
    {
        RunResult list = ik({ "sessions" });
        return list.out.substr(list.out.find('\n') + 1, 6);
    }
};

TEST_P(Search, SourcesUnderTheReplyStoredAndShown)
{
    search_on();
    start_mock(std::string(script));
    RunResult r = run({ "-p", "when did rust 1.80 come out?" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
        "Rust 1.80 came out on July 25, 2024.\n\n"
        "Sources:\n"
        "[1] Announcing Rust 1.80.0 — https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html\n"
        "[2] Evil [2J title — https://releases.rs/docs/1.80.0/\n");
    EXPECT_THAT(r.err, HasSubstr("searching: rust 1.80 release date"));
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_THAT(requests[0], HasSubstr(GetParam().tool));

    RunResult shown = ik({ "sessions", "show", session_id() });
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_THAT(
        shown.out, HasSubstr("[1] Announcing Rust 1.80.0 — https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html"));
    EXPECT_THAT(shown.out, Not(HasSubstr("\x1b[2J")));

    // The next turn: the reply's text goes back, no search block and no source list.
    RunResult again = run({ "-c", "-p", "anything else?" });
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_THAT(again.out, HasSubstr("Nothing more to add."));
    requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[1], HasSubstr("Rust 1.80 came out on July 25, 2024."));
    EXPECT_THAT(requests[1], Not(HasSubstr("server_tool_use")));
    EXPECT_THAT(requests[1], Not(HasSubstr("web_search_call")));
    EXPECT_THAT(requests[1], Not(HasSubstr("Announcing Rust")));
}

TEST_P(Search, JsonAndStreamJsonCarryTheSources)
{
    search_on();
    start_mock(R"js([{"times": 2, "steps": [
        {"search": {"query": "rust 1.80 release date", "sources": [
            {"url": "https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html", "title": "Announcing Rust 1.80.0"},
            {"url": "javascript:alert(1)", "title": "never shown"}]}},
        {"text": "July 25, 2024."}]}])js");
    RunResult r = run({ "-p", "when?", "--output-format", "json" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out,
        HasSubstr(
            R"js("sources":[{"url":"https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html","title":"Announcing Rust 1.80.0"}])js"));
    EXPECT_THAT(r.out, Not(HasSubstr("javascript:")));

    RunResult s = run({ "-p", "when?", "--output-format", "stream-json" });
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_THAT(s.out, HasSubstr(R"({"type":"search","query":"rust 1.80 release date"})"));
    EXPECT_THAT(s.out, HasSubstr(R"({"type":"sources","sources":[{"url":"https://blog.rust-lang.org/)"));
}

TEST_P(Search, OffByDefault)
{
    start_mock(R"([{"steps": [{"text": "No search."}]}])");
    RunResult r = run({ "-p", "hi" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_THAT(requests[0], Not(HasSubstr(GetParam().tool)));
}

INSTANTIATE_TEST_SUITE_P(Providers, Search,
    ::testing::Values(Case{ Wire::anthropic, "anthropic/claude-sonnet-4-5", R"("type":"web_search_20250305")" },
        Case{ Wire::openai_responses, "openai-responses/gpt-5", R"("type":"web_search")" },
        Case{ Wire::gemini, "google/gemini-3-pro-preview", R"("google_search":{})" }),
    [](const ::testing::TestParamInfo<Case>& p) { return wire_name(p.param.wire); });

// Search on, but for a model without a server-side search (Gemini 2.5
// rejects google_search beside function tools): the tool stays out.
TEST_F(IkTest, SearchIsLeftOutForModelsWithoutOne)
{
    write_config(R"({"web": {"search": true}})");
    start_mock(R"([{"steps": [{"text": "ok"}]}, {"steps": [{"text": "ok"}]}])");
    ASSERT_EQ(ik({ "--model", "google/gemini-2.5-pro", "-p", "hi" }, env_for(Wire::gemini)).exit_code, 0);
    ASSERT_EQ(ik({ "--model", "openai/gpt-5", "-p", "hi" }, env_for(Wire::openai_chat)).exit_code, 0);
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[0], Not(HasSubstr("google_search")));
    EXPECT_THAT(requests[1], Not(HasSubstr("web_search")));
}

} // namespace
