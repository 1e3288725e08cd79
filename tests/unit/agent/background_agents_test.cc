// Background agents (agent/background_agents.h) driven directly through a
// SubAgents registry: start, send, wait and kill in every order, the limit,
// and the memory each one holds, returned at once when it is killed.
#include "agent/background_agents.h"
#include "agent/recorder.h"
#include "unit/agent/session_fixture.h"

namespace ik::agent::test {
namespace {

using namespace std::chrono_literals;
using ::ik::testing::HasError;
using ::ik::testing::IsOk;
using ::testing::HasSubstr;

ScriptedRound answer(std::string text_)
{
    return reply({ text(std::move(text_)), finish(llm::FinishReason::stop) });
}

ScriptedRound stalled()
{
    ScriptedRound r = reply({ text("working...") });
    r.stall = true;
    return r;
}

const mem::Arena* child_named(const mem::Arena& parent, std::string_view name)
{
    for (const mem::Arena* c = parent.first_child(); c; c = c->next_sibling())
        if (c->name() == name)
            return c;
    return nullptr;
}

class BackgroundAgentTest : public SessionTest {
protected:
    void SetUp() override
    {
        SessionTest::SetUp();
        parent_settings = settings();
        parent_settings.memory_limit_bytes = 64 << 20;
        parent = std::make_unique<mem::Arena>(arena, "parent");
        recorder = std::make_unique<Recorder>(*db, *parent, Recorder::Identity{ .cwd = "/w", .model = "mock" });
        agents = std::make_unique<SubAgents>(
            SubAgents::Deps{ loop, *db, model, observer, *parent, parent_settings, *recorder });
    }
    void TearDown() override
    {
        agents.reset();
        recorder.reset();
        parent.reset();
        SessionTest::TearDown();
    }
    BackgroundAgents& bg() { return agents->background(); }
    std::string start(std::string prompt, std::string description = "scanner")
    {
        TaskRequest request;
        request.prompt = std::move(prompt);
        request.description = std::move(description);
        request.background = true;
        auto id = bg().start(request);
        EXPECT_THAT(id, IsOk());
        return id ? *id : std::string();
    }
    // Waits through the registry; true when it timed out.
    bool wait_for(const std::string& id, std::chrono::milliseconds timeout = 5s)
    {
        std::optional<bool> timed_out;
        auto w = bg().wait(id, timeout, [&](bool t) { timed_out = t; });
        EXPECT_THAT(loop.run_until([&] { return timed_out.has_value(); }), IsOk());
        return timed_out.value_or(true);
    }
    size_t stored_sessions()
    {
        mem::Arena a(arena, "list");
        auto list = db->list_sessions(a, {});
        EXPECT_THAT(list, IsOk());
        return list ? list->size() : 0;
    }

    SessionSettings parent_settings;
    std::unique_ptr<mem::Arena> parent;
    std::unique_ptr<Recorder> recorder; // the parent's: sub-agents link their stored sessions to it
    std::unique_ptr<SubAgents> agents;
};

TEST_F(BackgroundAgentTest, ItRunsWithoutTheCallerAndWaitHandsBackItsReply)
{
    model.rounds.push_back(answer("found 3 files"));
    std::string id = start("scan the tree");
    EXPECT_EQ(id, "agent-1");
    auto listed = agents->list();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_TRUE(listed[0].background);
    EXPECT_EQ(listed[0].description, "scanner");
    EXPECT_EQ(listed[0].model, "fake/model");
    EXPECT_EQ(listed[0].state, SubAgentState::running);
    EXPECT_GT(listed[0].memory, 0u);
    EXPECT_FALSE(wait_for(id));
    BackgroundAgents::Report r = bg().report(id);
    EXPECT_EQ(r.state, SubAgentState::idle);
    EXPECT_EQ(r.turns, 1);
    EXPECT_EQ(r.last, "found 3 files");
    ASSERT_EQ(model.requests.size(), 1u);
    EXPECT_EQ(model.requests[0][0].text, "scan the tree");
    EXPECT_THAT(model.systems[0], HasSubstr("You are a sub-agent"));
    // Idle, it stays: its window and arena wait for the next message.
    EXPECT_EQ(agents->list().at(0).state, SubAgentState::idle);
    EXPECT_NE(child_named(*parent, "sub-agent"), nullptr);
}

TEST_F(BackgroundAgentTest, SendStartsAnIdleAgentsTurnAndQueuesForABusyOne)
{
    model.rounds.push_back(answer("first"));
    model.rounds.push_back(answer("second"));
    model.rounds.push_back(answer("third"));
    std::string id = start("begin");
    ASSERT_FALSE(wait_for(id));
    auto started = bg().send(id, "go on");
    ASSERT_THAT(started, IsOk());
    EXPECT_TRUE(*started);
    // Its turn is in flight: the next message waits for the turn after it.
    auto queued = bg().send(id, "and then this");
    ASSERT_THAT(queued, IsOk());
    EXPECT_FALSE(*queued);
    EXPECT_EQ(bg().report(id).state, SubAgentState::running);
    ASSERT_FALSE(wait_for(id)); // idle only when the queue is done too
    ASSERT_EQ(model.requests.size(), 3u);
    EXPECT_EQ(model.requests[1].back().text, "go on");
    EXPECT_EQ(model.requests[2].back().text, "and then this");
    EXPECT_EQ(model.requests[2].size(), 5u); // one conversation: begin, first, go on, second, and then this
    BackgroundAgents::Report r = bg().report(id);
    EXPECT_EQ(r.turns, 3);
    EXPECT_EQ(r.last, "third");
}

TEST_F(BackgroundAgentTest, KillFreesItsArenaAtOnceAndEndsAWaitOnIt)
{
    size_t before = parent->subtree_reserved();
    model.rounds.push_back(stalled());
    std::string id = start("take forever");
    ASSERT_THAT(loop.run_until([&] { return model.requests.size() == 1; }), IsOk());
    const mem::Arena* child = child_named(*parent, "sub-agent");
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(child->cap(), size_t(16) << 20); // a quarter of the parent's cap
    EXPECT_GT(parent->subtree_reserved(), before);
    std::optional<bool> timed_out;
    auto w = bg().wait(id, 5s, [&](bool t) { timed_out = t; });
    auto stored = bg().kill(id);
    ASSERT_THAT(stored, IsOk());
    EXPECT_FALSE(stored->empty());
    // At once, not on a later round: the memory report is back to its size.
    EXPECT_EQ(parent->subtree_reserved(), before);
    EXPECT_EQ(child_named(*parent, "sub-agent"), nullptr);
    EXPECT_EQ(bg().size(), 0u);
    ASSERT_THAT(loop.run_until([&] { return timed_out.has_value(); }), IsOk());
    EXPECT_FALSE(*timed_out);
    EXPECT_TRUE(bg().report(id).gone);
    EXPECT_EQ(stored_sessions(), 1u); // what it said stays stored
    EXPECT_THAT(bg().kill(id), HasError(ErrorCode::not_found));
}

TEST_F(BackgroundAgentTest, AWaitTimesOutWithWhatIsKnown)
{
    model.rounds.push_back(stalled());
    std::string id = start("slow");
    EXPECT_TRUE(wait_for(id, 20ms));
    EXPECT_EQ(bg().report(id).state, SubAgentState::running);
    EXPECT_EQ(bg().report(id).turns, 0);
}

TEST_F(BackgroundAgentTest, WaitingForAllEndsWhenEveryOneIsIdle)
{
    model.rounds.push_back(answer("a"));
    model.rounds.push_back(answer("b"));
    start("one");
    start("two");
    EXPECT_FALSE(wait_for(""));
    EXPECT_EQ(bg().report("agent-1").last, "a");
    EXPECT_EQ(bg().report("agent-2").last, "b");
}

TEST_F(BackgroundAgentTest, TheLimitAndUnknownIdsAreErrorsForTheModel)
{
    for (size_t i = 0; i < BackgroundAgents::max_agents; ++i) {
        model.rounds.push_back(stalled());
        start("busy " + std::to_string(i));
    }
    TaskRequest more;
    more.prompt = "one more";
    more.background = true;
    auto one_more = bg().start(more);
    ASSERT_THAT(one_more, HasError(ErrorCode::invalid_argument));
    EXPECT_THAT(one_more.error().to_string(), HasSubstr("the most at once"));
    EXPECT_THAT(bg().send("agent-99", "hello"), HasError(ErrorCode::not_found));
    EXPECT_THAT(agents->stop("agent-99"), HasError(ErrorCode::not_found));
    // /agents stop reaches a background agent too.
    EXPECT_THAT(agents->stop("agent-1"), IsOk());
    EXPECT_EQ(bg().size(), BackgroundAgents::max_agents - 1);
    // Destroying the registry with turns in flight stops them (TearDown; LSan checks the rest).
}

TEST_F(BackgroundAgentTest, ItsApprovalQuestionsAreLabelledWithIt)
{
    parent_settings.approval.mode = ApprovalMode::ask;
    observer.interactive = true;
    observer.answers = { UserAnswer::no };
    ScriptedRound call = reply(tool_call(0, "c", "bash", R"({"command":"echo hi"})"));
    call.events.push_back(finish(llm::FinishReason::tool_calls));
    model.rounds.push_back(call);
    model.rounds.push_back(answer("was refused"));
    std::string id = start("run it", "runner");
    ASSERT_FALSE(wait_for(id));
    ASSERT_EQ(observer.asked_agents.size(), 1u);
    EXPECT_EQ(observer.asked_agents[0], "background agent-1 'runner'");
    EXPECT_EQ(bg().report(id).last, "was refused");
}

} // namespace
} // namespace ik::agent::test
