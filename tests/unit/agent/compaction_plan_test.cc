// The token estimator and the compaction planner: pure functions over a
// window of messages.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "agent/context/compaction.h"
#include "agent/context/compaction_plan.h"
#include "agent/context/context_manager.h"
#include "agent/context/estimator.h"
#include "agent/context/summarizer.h"
#include "agent/conversation.h"
#include "support/matchers.h"

namespace ik::agent {
namespace {

using ::ik::testing::IsOk;
using ::testing::HasSubstr;

llm::Message message(llm::Role role, std::string_view text = {}, std::string_view call_id = {})
{
    llm::Message m;
    m.role = role;
    m.text = text;
    m.tool_call_id = call_id;
    return m;
}

// A window of `rounds` tool rounds after one user prompt, each with a tool
// result of `result_bytes`.
struct Window {
    std::vector<std::string> texts; // stable storage for the views
    std::vector<llm::ToolCall> calls;
    std::vector<llm::Message> messages;

    Window(int rounds, size_t result_bytes)
    {
        texts.reserve(static_cast<size_t>(rounds) * 2 + 1);
        calls.reserve(static_cast<size_t>(rounds));
        texts.emplace_back("please do the thing");
        messages.push_back(message(llm::Role::user, texts.back()));
        for (int i = 0; i < rounds; ++i) {
            calls.push_back(llm::ToolCall{ "c", "bash", R"({"command":"make"})" });
            llm::Message a = message(llm::Role::assistant);
            a.tool_calls = { &calls.back(), 1 };
            messages.push_back(a);
            texts.push_back(std::string(result_bytes, static_cast<char>('a' + i % 26)));
            messages.push_back(message(llm::Role::tool, texts.back(), "c"));
        }
    }
};

TEST(Estimator, StartsConservativeAndCalibratesFromUsage)
{
    TokenEstimator est;
    EXPECT_EQ(est.tokens(3500), 1000);
    est.calibrate(4000, 1000);
    EXPECT_DOUBLE_EQ(est.bytes_per_token(), 4.0);
    EXPECT_EQ(est.tokens(4001), 1001);
    est.calibrate(100, 1); // a tiny request says nothing
    EXPECT_DOUBLE_EQ(est.bytes_per_token(), 4.0);
    est.calibrate(100000, 1); // absurd reports are clamped
    EXPECT_DOUBLE_EQ(est.bytes_per_token(), TokenEstimator::max_ratio);
    est.calibrate(1000, 1000000);
    EXPECT_DOUBLE_EQ(est.bytes_per_token(), TokenEstimator::min_ratio);
    est.calibrate(1000, -5);
    EXPECT_DOUBLE_EQ(est.bytes_per_token(), TokenEstimator::min_ratio);
}

TEST(Planner, NothingToDoUnderTheLimit)
{
    Window w(3, 1000);
    TokenEstimator est;
    Plan p = plan_compaction(PlanInput{ .window = 16000, .reserve = 4000, .messages = w.messages }, est);
    EXPECT_FALSE(p.needed());
    EXPECT_EQ(p.after_tokens, p.before_tokens);
    EXPECT_EQ(p.limit_tokens, 16000 * 85 / 100 - 4000);
}

TEST(Planner, PrunesOldToolOutputsFirstAndLeavesTheNewestAlone)
{
    Window w(12, 4000); // ~48 KB: ~13.7k tokens at 3.5 bytes/token, over a 9.6k limit
    TokenEstimator est;
    Plan p = plan_compaction(PlanInput{ .window = 16000, .reserve = 4000, .messages = w.messages }, est);
    ASSERT_TRUE(p.needed());
    ASSERT_FALSE(p.prunes.empty());
    EXPECT_EQ(p.cut, 0u) << "pruning was enough";
    EXPECT_EQ(p.prunes.front().index, 2u) << "the oldest tool result goes first";
    for (const Prune& x : p.prunes) {
        EXPECT_EQ(w.messages[x.index].role, llm::Role::tool);
        EXPECT_LT(x.index, w.messages.size() - 2) << "the current round is protected";
    }
    EXPECT_LE(p.after_tokens, p.limit_tokens * 6 / 10 + 1);
}

TEST(Planner, SummarisesTheOldestRoundsWhenPruningIsNotEnough)
{
    Window w(60, 1000); // many small results: pruning cannot help
    TokenEstimator est;
    Plan p = plan_compaction(
        PlanInput{ .window = 16000, .reserve = 4000, .summary_bytes = 2000, .messages = w.messages }, est);
    ASSERT_GT(p.cut, 0u);
    EXPECT_TRUE(is_round_boundary(w.messages, p.cut));
    EXPECT_NE(w.messages[p.cut].role, llm::Role::tool) << "a call is never separated from its result";
    EXPECT_LT(p.cut, w.messages.size() - 1);
    EXPECT_LE(p.after_tokens, p.limit_tokens);
    EXPECT_LT(p.after_tokens, p.before_tokens / 2);
}

TEST(Planner, ForceCompactsEvenUnderTheLimit)
{
    Window w(8, 3000);
    TokenEstimator est;
    PlanInput in{ .window = 200000, .reserve = 8000, .messages = w.messages };
    EXPECT_FALSE(plan_compaction(in, est).needed());
    in.force = true;
    Plan p = plan_compaction(in, est);
    EXPECT_EQ(p.cut, w.messages.size() - 2) << "all but the newest round";
}

TEST(Planner, ReserveIsTheRequestsMaxTokensElseTheModelsCappedAtAQuarter)
{
    EXPECT_EQ(reserve_for(16000, 4096, 0), 4000);
    EXPECT_EQ(reserve_for(200000, 64000, 0), 50000);
    EXPECT_EQ(reserve_for(200000, 64000, 8192), 8192);
}

TEST(PrunedText, KeepsHeadAndTailOnCharacterBoundariesAndSaysWhatWasCut)
{
    std::string s = std::string(10, 'x') + "é" + std::string(100, 'y') + "ü" + std::string(10, 'z');
    std::string p = pruned_text(s, 11, 11); // both limits fall inside a two-byte character
    EXPECT_TRUE(p.starts_with(std::string(10, 'x') + "\n")) << p;
    EXPECT_TRUE(p.ends_with("\n" + std::string(10, 'z'))) << p;
    EXPECT_THAT(p, HasSubstr(std::string(prune_marker)));
    EXPECT_THAT(p, HasSubstr("104 bytes"));
    EXPECT_EQ(pruned_text("short", 10, 10), "short");
}

TEST(CompactionRecord, RoundTripsThroughTheStoreRecord)
{
    Compaction r;
    r.mode = CompactionMode::summary;
    r.cut = 7;
    r.summary = "goals: \"x\"\nfiles: a.c";
    r.prunes = { { 2, 512, 512 }, { 4, 100, 50 } };
    r.before_tokens = 9000;
    r.after_tokens = 4000;
    r.reason = "threshold";
    mem::Arena arena("record");
    std::string_view json = r.record(arena).to_json(arena);
    auto parsed = store::CompactionRecord::parse(arena, json);
    ASSERT_THAT(parsed, IsOk());
    Compaction back = Compaction::from(*parsed);
    EXPECT_EQ(back.mode, CompactionMode::summary);
    EXPECT_EQ(back.cut, 7u);
    EXPECT_EQ(back.summary, r.summary);
    EXPECT_EQ(back.reason, "threshold");
    ASSERT_EQ(back.prunes.size(), 2u);
    EXPECT_EQ(back.prunes[1].tail, 50u);
    // Positions this build never writes are dropped, not trusted.
    auto odd = store::CompactionRecord::parse(arena, R"({"prunes": [{"index": 1, "head": -2, "tail": 3}]})");
    ASSERT_THAT(odd, IsOk());
    EXPECT_TRUE(Compaction::from(*odd).prunes.empty());
    EXPECT_FALSE(store::CompactionRecord::parse(arena, R"({"prunes": [[1, 2, 3]]})").has_value());
    EXPECT_FALSE(store::CompactionRecord::parse(arena, "nope").has_value());
}

TEST(CompactionRecord, ApplyReplacesThePrefixAndPrunesAndFreesTheOldArenas)
{
    mem::Arena session("session");
    Conversation c(session);
    Window w(6, 3000);
    c.add_user(w.messages[0].text);
    for (size_t i = 1; i < w.messages.size(); i += 2) {
        c.add_assistant("", "", "", w.messages[i].tool_calls);
        c.add_tool_result("c", "bash", w.messages[i + 1].text, false);
    }
    size_t before = c.bytes();
    Compaction r;
    r.cut = 5; // user, (a, t), (a, t) → summary
    r.summary = std::string(summary_header) + "\n\nall of it";
    r.prunes = { { 6, 100, 100 }, { 3, 10, 10 }, { 99, 1, 1 }, { 5, 1, 1 } }; // 99: out of range; 5: not a tool result
    apply_compaction(c, r);
    ASSERT_EQ(c.size(), w.messages.size() - 5 + 1);
    EXPECT_EQ(c.messages()[0].role, llm::Role::user);
    EXPECT_TRUE(c.messages()[0].text.starts_with(summary_header));
    EXPECT_EQ(c.messages()[1].role, llm::Role::assistant);
    EXPECT_EQ(c.messages()[1].tool_calls.size(), 1u);
    EXPECT_EQ(c.messages()[1].tool_calls[0].name, "bash");
    EXPECT_THAT(c.messages()[2].text, HasSubstr(std::string(prune_marker)));
    EXPECT_EQ(c.messages()[4].text.size(), 3000u);
    EXPECT_LT(c.bytes(), before);

    // A cut that would separate a call from its result is ignored.
    Compaction bad;
    bad.cut = 2;
    bad.summary = "x";
    size_t size = c.size();
    apply_compaction(c, bad);
    EXPECT_EQ(c.size(), size);
}

TEST(Summary, TranscriptNamesRolesAndCallsAndIsCapped)
{
    Window w(3, 50);
    std::string t = summary_transcript(w.messages, 100000);
    EXPECT_THAT(t, HasSubstr("[user]\nplease do the thing"));
    EXPECT_THAT(t, HasSubstr("[tool call bash]\n{\"command\":\"make\"}"));
    EXPECT_THAT(t, HasSubstr("[tool result]"));
    EXPECT_LE(summary_transcript(w.messages, 100).size(), 200u);
    EXPECT_THAT(summary_instructions(), HasSubstr("Open tasks"));
}

TEST(StatusText, PercentOfTheWindowAndCost)
{
    EXPECT_EQ(context_status_text(6880, 16000, 0.1234), "ctx 43% · $0.12");
    EXPECT_EQ(context_status_text(0, 0, 0), "ctx 0% · $0.00");
}

} // namespace
} // namespace ik::agent
