// The dispatch of one reply's calls (agent/turn_dispatch.cc): consecutive
// read-only calls start together, results go back in the calls' order, a
// mutating call waits for the calls before it and holds back those after it,
// and Ctrl-C stops every call in flight.
//
// The calls are to two fake external tools whose runs take as long as their
// arguments say (timers on the loop), so the order of starts and ends is
// observable: `slow_read` only reads, `slow_write` runs something.
#include <chrono>

#include "agent/tools/external.h"
#include "unit/agent/session_fixture.h"

namespace ik::agent::test {
namespace {

using ::ik::testing::IsOk;
using ::testing::ElementsAre;

class SlowTools final : public ExternalTools {
public:
    std::vector<std::string> log; // "start a", "end a", "cancel a"

    SlowTools()
    {
        m_read.external = this; // the registry runs external tools through their source
        m_write.external = this;
    }

    const ToolDescriptor* find(std::string_view name) override
    {
        if (name == m_read.name)
            return &m_read;
        if (name == m_write.name)
            return &m_write;
        return nullptr;
    }
    void append_specs(std::vector<llm::ToolSpec>& /*out*/) override { }
    uint64_t generation() const override { return 1; }
    std::unique_ptr<ToolRun> start(
        const ToolDescriptor& /*tool*/, ToolContext& ctx, const json::value& args, Completion done) override
    {
        std::string tag(args.at("tag").as_string());
        auto ms = std::chrono::milliseconds(args.at("ms").to_number<int64_t>());
        log.push_back("start " + tag);
        return std::make_unique<Run>(*this, ctx.loop, tag, ms, std::move(done));
    }

private:
    class Run final : public ToolRun {
    public:
        Run(SlowTools& owner, Loop& loop, std::string tag, std::chrono::milliseconds ms, Completion done)
            : m_owner(owner)
            , m_loop(loop)
            , m_tag(std::move(tag))
            , m_done(std::move(done))
        {
            m_timer = m_loop.after(ms, [this] { end("end", ToolResult{ .content = m_tag }); });
        }
        ~Run() override
        {
            if (m_timer)
                m_loop.cancel(m_timer);
        }
        void cancel() override
        {
            if (!m_timer)
                return;
            m_loop.cancel(m_timer);
            m_timer = m_loop.after(std::chrono::milliseconds(0), [this] {
                ToolResult r = ToolResult::error("cancelled", "cancelled");
                r.state = ToolState::cancelled;
                end("cancel", std::move(r));
            });
        }

    private:
        void end(const char* what, ToolResult r)
        {
            m_timer = 0;
            m_owner.log.push_back(std::string(what) + " " + m_tag);
            m_done(std::move(r));
        }
        SlowTools& m_owner;
        Loop& m_loop;
        std::string m_tag;
        Completion m_done;
        Loop::TimerId m_timer = 0;
    };

    static constexpr std::string_view schema = R"({"type":"object"})";
    ToolDescriptor m_read{ .name = "slow_read", .description = "", .parameters = schema, .kind = ToolKind::reads };
    ToolDescriptor m_write{ .name = "slow_write", .description = "", .parameters = schema, .kind = ToolKind::runs };
};

class TurnDispatchTest : public SessionTest {
protected:
    void SetUp() override
    {
        SessionTest::SetUp();
        set_external_tools(&tools);
    }
    void TearDown() override
    {
        SessionTest::TearDown();
        set_external_tools(nullptr);
    }
    // One reply calling `calls` ({name, tag, ms}), then a final answer.
    void script(const std::vector<std::tuple<std::string, std::string, int>>& calls)
    {
        ScriptedRound r;
        int i = 0;
        for (const auto& [name, tag, ms] : calls) {
            for (auto& e : tool_call(i, tag, name, fmt::format(R"({{"tag":"{}","ms":{}}})", tag, ms)))
                r.events.push_back(e);
            ++i;
        }
        r.events.push_back(finish(llm::FinishReason::tool_calls));
        model.rounds.push_back(r);
        model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    }
    std::vector<std::string> result_ids_sent()
    {
        std::vector<std::string> ids;
        for (const auto& m : model.requests.at(1))
            if (!m.tool_call_id.empty())
                ids.push_back(m.tool_call_id + "=" + m.text);
        return ids;
    }

    SlowTools tools;
};

TEST_F(TurnDispatchTest, ConsecutiveReadOnlyCallsStartTogetherAndTheirResultsReturnInCallOrder)
{
    open(settings());
    script({ { "slow_read", "a", 300 }, { "slow_read", "b", 100 }, { "slow_read", "c", 0 } });
    auto t0 = std::chrono::steady_clock::now();
    run("read three");
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_THAT(tools.log, ElementsAre("start a", "start b", "start c", "end c", "end b", "end a"));
    EXPECT_THAT(result_ids_sent(), ElementsAre("a=a", "b=b", "c=c"));
    ASSERT_EQ(observer.results.size(), 3u);
    EXPECT_EQ(observer.results[0].content, "a");
    EXPECT_EQ(observer.results[2].content, "c");
    EXPECT_LT(took, std::chrono::milliseconds(390)); // together: not 300 + 100
    EXPECT_THAT(event_kinds(),
        ElementsAre("user", "assistant", "tool_call", "tool_call", "tool_call", "approval", "approval", "approval",
            "tool_result", "tool_result", "tool_result", "assistant"));
}

TEST_F(TurnDispatchTest, AMutatingCallWaitsForTheCallsBeforeItAndHoldsBackThoseAfterIt)
{
    open(settings());
    script({ { "slow_read", "a", 100 }, { "slow_read", "b", 0 }, { "slow_write", "w", 50 }, { "slow_read", "c", 50 },
        { "slow_read", "d", 0 } });
    run("mixed");
    EXPECT_THAT(tools.log,
        ElementsAre(
            "start a", "start b", "end b", "end a", "start w", "end w", "start c", "start d", "end d", "end c"));
    EXPECT_THAT(result_ids_sent(), ElementsAre("a=a", "b=b", "w=w", "c=c", "d=d"));
}

TEST_F(TurnDispatchTest, CtrlCStopsEveryCallInFlightAndTheCallsNotStartedGetNotRunResults)
{
    open(settings());
    script({ { "slow_read", "a", 60'000 }, { "slow_read", "b", 60'000 }, { "slow_write", "w", 0 } });
    ASSERT_THAT(session->submit("stuck"), IsOk());
    ASSERT_THAT(loop.run_until([&] { return tools.log.size() == 2; }), IsOk());
    session->cancel();
    ASSERT_THAT(loop.run_until([&] { return observer.outcome.has_value(); }), IsOk());
    EXPECT_TRUE(observer.outcome->interrupted);
    EXPECT_THAT(tools.log, ElementsAre("start a", "start b", "cancel a", "cancel b"));
    // Every call has a result, in order, or the next request would be refused.
    const auto& messages = session->conversation().messages();
    std::vector<std::string> results;
    for (const auto& m : messages)
        if (!m.tool_call_id.empty())
            results.push_back(std::string(m.tool_call_id));
    EXPECT_THAT(results, ElementsAre("a", "b", "w"));
    EXPECT_THAT(messages.back().text, ::testing::HasSubstr("not run"));
    EXPECT_EQ(event_kinds().back(), "interrupted");
}

// A call answered at once (denied, unknown) between calls in flight keeps its place.
TEST_F(TurnDispatchTest, AnUnknownToolBetweenReadsKeepsItsPlace)
{
    open(settings());
    script({ { "slow_read", "a", 50 }, { "no_such_tool", "x", 0 }, { "slow_read", "b", 0 } });
    run("with a typo");
    EXPECT_THAT(tools.log, ElementsAre("start a", "end a", "start b", "end b"));
    auto sent = result_ids_sent();
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[0], "a=a");
    EXPECT_THAT(sent[1], ::testing::StartsWith("x="));
    EXPECT_EQ(sent[2], "b=b");
}

} // namespace
} // namespace ik::agent::test
