// Sub-agents (agent/sub_agents.h) through the task tool, with the scripted
// model serving the parent's and the sub-agents' requests in the order they
// are made.
#include "unit/agent/session_fixture.h"

namespace ik::agent::test {
namespace {

using ::ik::testing::IsOk;
using ::testing::HasSubstr;

std::vector<ScriptedEvent> task_call(int index, std::string id, std::string args)
{
    return tool_call(index, std::move(id), "task", std::move(args));
}

ScriptedRound calls(std::vector<std::vector<ScriptedEvent>> list)
{
    ScriptedRound r;
    for (auto& c : list)
        r.events.insert(r.events.end(), c.begin(), c.end());
    r.events.push_back(finish(llm::FinishReason::tool_calls));
    return r;
}

const mem::Arena* child_named(const mem::Arena& parent, std::string_view name)
{
    for (const mem::Arena* c = parent.first_child(); c; c = c->next_sibling())
        if (c->name() == name)
            return c;
    return nullptr;
}

class SubAgentTest : public SessionTest {
protected:
    std::string tool_result_in(size_t request, std::string_view id)
    {
        for (const auto& m : model.requests.at(request))
            if (m.tool_call_id == id)
                return m.text;
        return "(no result " + std::string(id) + ")";
    }
    size_t stored_sessions()
    {
        mem::Arena a(arena, "list");
        auto list = db->list_sessions(a, {});
        EXPECT_THAT(list, IsOk());
        return list ? list->size() : 0;
    }
};

TEST_F(SubAgentTest, TheSubAgentsFinalReplyIsTheResultAndItsArenaGoesWhenItEnds)
{
    SessionSettings s = settings();
    s.memory_limit_bytes = 64 << 20;
    open(std::move(s));
    model.rounds.push_back(calls({ task_call(0, "t1", R"({"prompt":"find the answer","description":"scan"})") }));
    model.rounds.push_back(reply({ text("the answer is 42"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("delegate");
    ASSERT_EQ(model.requests.size(), 3u);
    // The sub-agent's own conversation: the prompt alone, and a system prompt that says what it is.
    ASSERT_EQ(model.requests[1].size(), 1u);
    EXPECT_EQ(model.requests[1][0].text, "find the answer");
    EXPECT_THAT(model.systems[1], HasSubstr("You are a sub-agent"));
    EXPECT_EQ(tool_result_in(2, "t1"), "the answer is 42");
    EXPECT_EQ(stored_sessions(), 2u); // its own stored session
    EXPECT_EQ(child_named(session->arena(), "sub-agent"), nullptr);
}

TEST_F(SubAgentTest, ItsArenaIsACappedChildOfTheSessionsWhileItRuns)
{
    SessionSettings s = settings();
    s.memory_limit_bytes = 64 << 20;
    open(std::move(s));
    model.rounds.push_back(calls({ task_call(0, "t1", R"({"prompt":"wait"})") }));
    ScriptedRound stalled = reply({ text("thinking...") });
    stalled.stall = true;
    model.rounds.push_back(stalled);
    ASSERT_THAT(session->submit("delegate"), IsOk());
    ASSERT_THAT(loop.run_until([&] { return model.requests.size() == 2; }), IsOk());
    const mem::Arena* child = child_named(session->arena(), "sub-agent");
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(child->cap(), size_t(16) << 20);
    // Ctrl-C reaches the sub-agent: the task ends cancelled, the turn interrupted.
    session->cancel();
    ASSERT_THAT(loop.run_until([&] { return observer.outcome.has_value(); }), IsOk());
    EXPECT_TRUE(observer.outcome->interrupted);
    ASSERT_FALSE(observer.results.empty());
    EXPECT_EQ(observer.results[0].state, ToolState::cancelled);
    ASSERT_THAT(loop.run_once(0), IsOk());
    EXPECT_EQ(child_named(session->arena(), "sub-agent"), nullptr);
}

TEST_F(SubAgentTest, TwoTasksInOneReplyRunTogetherAndReturnInCallOrder)
{
    open(settings());
    model.rounds.push_back(
        calls({ task_call(0, "a", R"({"prompt":"task A"})"), task_call(1, "b", R"({"prompt":"task B"})") }));
    model.rounds.push_back(reply({ text("answer A"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("answer B"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("two at once");
    ASSERT_EQ(model.requests.size(), 4u);
    // Both sub-agents asked before the parent's next request.
    EXPECT_EQ(model.requests[1][0].text, "task A");
    EXPECT_EQ(model.requests[2][0].text, "task B");
    EXPECT_EQ(tool_result_in(3, "a"), "answer A");
    EXPECT_EQ(tool_result_in(3, "b"), "answer B");
}

TEST_F(SubAgentTest, ASubAgentCannotStartAnotherPastTheDepthLimit)
{
    SessionSettings s = settings();
    s.max_agent_depth = 1;
    open(std::move(s));
    model.rounds.push_back(calls({ task_call(0, "t1", R"({"prompt":"go deep"})") }));
    model.rounds.push_back(calls({ task_call(0, "t2", R"({"prompt":"deeper"})") }));
    model.rounds.push_back(reply({ text("did it myself"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("nest");
    ASSERT_EQ(model.requests.size(), 4u);
    EXPECT_THAT(tool_result_in(2, "t2"), HasSubstr("cannot start another (agents.max_depth is 1)"));
    EXPECT_EQ(tool_result_in(3, "t1"), "did it myself");
}

TEST_F(SubAgentTest, AReadOnlyTaskCannotWrite)
{
    open(settings()); // yolo: only the task's restriction stops the write
    model.rounds.push_back(calls({ task_call(0, "t1", R"({"prompt":"look only","read_only":true})") }));
    model.rounds.push_back(calls({ tool_call(0, "w", "write_file", R"({"path":"x.txt","content":"no"})") }));
    model.rounds.push_back(reply({ text("could not write"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("careful");
    EXPECT_FALSE(fs::exists(work / "x.txt"));
    EXPECT_THAT(tool_result_in(2, "w"), HasSubstr("not in this task's tools"));
    // The user hears of the denial, labelled with the sub-agent.
    bool labelled = false;
    for (const auto& n : observer.notices)
        labelled = labelled
            || (n.find("sub-agent") != std::string::npos && n.find("write_file denied") != std::string::npos);
    EXPECT_TRUE(labelled);
}

TEST_F(SubAgentTest, ApprovalQuestionsReachTheUserLabelledWithTheSubAgent)
{
    open(settings(ApprovalMode::ask));
    observer.interactive = true;
    observer.answers = { UserAnswer::no };
    model.rounds.push_back(calls({ task_call(0, "t1", R"({"prompt":"run it","description":"runner"})") }));
    model.rounds.push_back(calls({ tool_call(0, "c", "bash", R"({"command":"echo hi"})") }));
    model.rounds.push_back(reply({ text("was refused"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("ask me");
    ASSERT_EQ(observer.asked_agents.size(), 1u);
    EXPECT_EQ(observer.asked_agents[0], "sub-agent 'runner'");
    EXPECT_EQ(tool_result_in(3, "t1"), "was refused");
}

TEST_F(SubAgentTest, BadArgumentsAreErrorsForTheModel)
{
    open(settings());
    model.rounds.push_back(calls({ task_call(0, "t1", R"({"description":"no prompt"})"),
        task_call(1, "t2", R"({"prompt":"x","tools":["no_such_tool"]})") }));
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("bad");
    ASSERT_EQ(model.requests.size(), 2u);
    EXPECT_THAT(tool_result_in(1, "t1"), HasSubstr("'prompt' is required"));
    EXPECT_THAT(tool_result_in(1, "t2"), HasSubstr("does not exist"));
}

} // namespace
} // namespace ik::agent::test
