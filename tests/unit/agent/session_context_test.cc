// A session against a small context window: compaction before a request,
// the sliding window when the summary fails, resume and /rewind across a
// compaction (the window is the one the model saw, or the mark's).
#include <gmock/gmock.h>

#include "agent/context/compaction.h"
#include "store/records.h"
#include "unit/agent/session_fixture.h"

namespace ik::agent::test {
namespace {

using ::ik::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class ContextTest : public SessionTest {
protected:
    // About 600 tokens per question at the default 3.5 bytes a token: a
    // 4,000-token window compacts after a few of them.
    SessionSettings small_window()
    {
        SessionSettings s = settings();
        s.context.limits.context_window = 4000;
        s.context.limits.max_output = 512;
        return s;
    }
    void ask(int i, std::string answer = "noted")
    {
        model.rounds.push_back(reply({ text(std::move(answer)), finish(llm::FinishReason::stop) }));
        run(fmt::format("question {} ", i) + std::string(2000, static_cast<char>('a' + i % 26)));
    }
    // Asks until the session has compacted; the summary call takes the
    // scripted reply of the round it precedes, which then gets the fake's
    // "(script exhausted)": harmless here.
    void ask_until_compacted(int from)
    {
        for (int i = from; i < from + 12 && session->context().accounting().compactions == 0; ++i)
            ask(i);
        ASSERT_GT(session->context().accounting().compactions, 0) << "the small window should have compacted";
    }
    std::vector<store::CompactionRecord> compactions(mem::Arena& a)
    {
        std::vector<store::CompactionRecord> out;
        auto events = db->load_events(a, session->id());
        EXPECT_THAT(events, IsOk());
        for (const auto& e : *events) {
            if (e.kind == store::EventKind::compaction)
                out.push_back(*store::CompactionRecord::parse(a, e.data));
        }
        return out;
    }
};

TEST_F(ContextTest, ALongSessionIsSummarisedAndTheNextRequestFits)
{
    open(small_window());
    ask_until_compacted(0);
    ask(100);
    const auto& sent = model.requests.back();
    ASSERT_FALSE(sent.empty());
    EXPECT_THAT(sent.front().text, StartsWith(std::string(summary_header)));
    mem::Arena a(arena, "read");
    auto records = compactions(a);
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records.front().mode, "summary");
    EXPECT_GT(records.front().cut, 0);
    EXPECT_EQ(records.front().reason, "threshold");
    // The summary call's tokens count, marked as compaction.
    EXPECT_THAT(observer.notices, ::testing::Contains(HasSubstr("compacted the context")));
}

TEST_F(ContextTest, AFailedSummaryFallsBackToASlidingWindow)
{
    open(small_window());
    for (int i = 0; i < 12 && session->context().accounting().compactions == 0; ++i) {
        // Every round may be preceded by a summary call: make each call after
        // the first answer of a round fail, so the summary (never a round
        // of its own here) is the one that fails.
        ScriptedRound broken;
        broken.fail = Error(ErrorCode::provider, "summary model unavailable");
        model.rounds.push_back(broken);
        model.rounds.push_back(reply({ text("noted"), finish(llm::FinishReason::stop) }));
        observer.outcome.reset();
        ASSERT_THAT(session->submit(fmt::format("question {} ", i) + std::string(2000, 'q')), IsOk());
        ASSERT_THAT(loop.run_until([&] { return observer.outcome.has_value(); }), IsOk());
        ASSERT_THAT(loop.run_once(0), IsOk());
        if (session->context().accounting().compactions == 0)
            model.rounds.clear(); // the round took the failure: the turn failed, try again
    }
    ASSERT_GT(session->context().accounting().compactions, 0);
    mem::Arena a(arena, "read");
    auto records = compactions(a);
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records.back().mode, "sliding");
    EXPECT_THAT(records.back().summary, HasSubstr("No summary: summary model unavailable"));
    EXPECT_THAT(session->conversation().messages().front().text, StartsWith(std::string(summary_header)));
}

TEST_F(ContextTest, ResumeAfterCompactionRebuildsTheSameWindow)
{
    open(small_window());
    ask_until_compacted(0);
    ask(50);
    auto live = snapshot(session->conversation().messages());
    size_t first = session->conversation().first_exchange();
    size_t end = session->conversation().exchange_end();
    double cost = session->context().accounting().cost_usd;
    int count = session->context().accounting().compactions;
    std::string id(session->id());
    session.reset();

    open(small_window(), id);
    EXPECT_EQ(snapshot(session->conversation().messages()), live);
    EXPECT_EQ(session->conversation().first_exchange(), first);
    EXPECT_EQ(session->conversation().exchange_end(), end);
    EXPECT_EQ(session->context().accounting().compactions, count);
    EXPECT_DOUBLE_EQ(session->context().accounting().cost_usd, cost);
}

TEST_F(ContextTest, RewindToAMarkBeforeACompactionRestoresTheOriginals)
{
    open(small_window());
    ask(0);
    ASSERT_THAT(session->mark("early"), IsOk());
    auto at_mark = snapshot(session->conversation().messages());
    ask_until_compacted(1);
    ASSERT_NE(snapshot(session->conversation().messages()), at_mark);

    ASSERT_THAT(session->rewind("early"), IsOk());
    EXPECT_EQ(snapshot(session->conversation().messages()), at_mark);
    EXPECT_EQ(session->conversation().exchange_end(), 1u);

    // Resume agrees: the rewind dropped the compaction recorded after the mark.
    std::string id(session->id());
    session.reset();
    open(small_window(), id);
    EXPECT_EQ(snapshot(session->conversation().messages()), at_mark);
}

TEST_F(ContextTest, RewindToAMarkAfterACompactionKeepsIt)
{
    open(small_window());
    ask_until_compacted(0);
    ASSERT_THAT(session->mark("late"), IsOk());
    auto at_mark = snapshot(session->conversation().messages());
    size_t end = session->conversation().exchange_end();
    ask(60);
    ASSERT_THAT(session->rewind("late"), IsOk());
    EXPECT_EQ(snapshot(session->conversation().messages()), at_mark);
    EXPECT_EQ(session->conversation().exchange_end(), end);

    std::string id(session->id());
    session.reset();
    open(small_window(), id);
    EXPECT_EQ(snapshot(session->conversation().messages()), at_mark);
}

// The estimator's calibration survives resume: the next prompt is estimated
// as the live session would have (not from the default 3.5 bytes a token).
TEST_F(ContextTest, ResumeEstimatesTheNextPromptAsTheLiveSessionDid)
{
    open(settings());
    model.rounds.push_back(reply({ text("noted"), usage(700, 5), finish(llm::FinishReason::stop) }));
    run("question " + std::string(2000, 'x'));
    double live_ratio = session->context().estimator().bytes_per_token();
    ASSERT_NE(live_ratio, TokenEstimator::default_ratio) << "the usage report should have calibrated the estimate";
    int64_t live = session->context().prompt_tokens(session->conversation(), session->request_shape());
    std::string id(session->id());
    session.reset();

    open(settings(), id);
    EXPECT_DOUBLE_EQ(session->context().estimator().bytes_per_token(), live_ratio);
    EXPECT_EQ(session->context().prompt_tokens(session->conversation(), session->request_shape()), live);
    EXPECT_EQ(session->context().accounting().last_prompt_tokens, 700);
}

// The compaction event is written before the window changes: when it cannot
// be, the turn ends with the store error and the live window is the one
// resume rebuilds (the uncompacted one), not a compacted window the store
// knows nothing of.
TEST_F(ContextTest, ACompactionThatCannotBeRecordedLeavesTheWindowAsResumeRebuildsIt)
{
    open(small_window());
    failing->fail_kind(store::EventKind::compaction);
    int i = 0;
    for (; i < 12; ++i) {
        ask(i);
        if (observer.outcome->error)
            break;
    }
    ASSERT_LT(i, 12) << "the small window should have needed a compaction";
    EXPECT_EQ(observer.outcome->error->code(), ErrorCode::store);
    EXPECT_THAT(observer.outcome->error->to_string(), HasSubstr("could not record the compaction"));
    EXPECT_EQ(session->context().accounting().compactions, 0);
    EXPECT_THAT(observer.notices, ::testing::Not(::testing::Contains(HasSubstr("compacted the context"))));
    auto live = snapshot(session->conversation().messages());
    ASSERT_FALSE(live.empty());
    EXPECT_THAT(live.front().text, ::testing::Not(StartsWith(std::string(summary_header))));
    std::string id(session->id());
    session.reset();

    failing->fail_kind(std::nullopt);
    open(small_window(), id);
    EXPECT_EQ(snapshot(session->conversation().messages()), live);
    // With the store back, the next turn compacts and records it.
    ask(50);
    EXPECT_FALSE(observer.outcome->error);
    EXPECT_EQ(session->context().accounting().compactions, 1);
    mem::Arena a(arena, "read");
    EXPECT_EQ(compactions(a).size(), 1u);
}

} // namespace
} // namespace ik::agent::test
