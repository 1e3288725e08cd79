// Background agents end to end: the real ik binary, headless. The mock
// answers the parent's requests in order and every sub-agent request (its
// system prompt says it is one) with the same reply, so the two streams can
// interleave however the loop sends them. task with background: true
// returns an id at once; agent_wait, agent_send and agent_kill reach the
// agent; an `ik -p` run ends with its background agents stopped, saying so.
#include <chrono>
#include <string>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class BackgroundAgents : public IkTest {
protected:
    RunResult run(std::vector<std::string> args) { return ik_for(Wire::anthropic, std::move(args), {}); }
    // The requests the parent made, in order, and those of its sub-agents.
    void split(std::vector<std::string>& parent, std::vector<std::string>& child)
    {
        for (std::string& r : m_mock->requests())
            (r.find("You are a sub-agent") == std::string::npos ? parent : child).push_back(std::move(r));
    }
};

std::string call(const char* id, const char* name, const std::string& arguments)
{
    return fmt::format(R"({{"steps": [{{"tool_calls": [{{"id": "{}", "name": "{}", "arguments": "{}"}}]}}]}})", id,
        name, json_escape(arguments));
}

constexpr const char* child_reply = R"({"match": "You are a sub-agent", "steps": [{"text": "child says hi"}]})";

TEST_F(BackgroundAgents, TaskReturnsAnIdAndSendWaitAndKillReachTheAgent)
{
    start_mock(std::string("[") + child_reply + ","
        + call("t1", "task", R"({"prompt": "scan the tree", "description": "scanner", "background": true})") + ","
        + call("w1", "agent_wait", R"({"id": "agent-1"})") + ","
        + call("s1", "agent_send", R"({"id": "agent-1", "message": "count again"})") + ","
        + call("w2", "agent_wait", R"({})") + "," + call("k1", "agent_kill", R"({"id": "agent-1"})") + ","
        + call("s2", "agent_send", R"({"id": "agent-1", "message": "hello?"})")
        + R"(, {"steps": [{"text": "done"}]}])");
    RunResult r = run({ "-p", "work in the background" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "done\n");
    EXPECT_THAT(r.err, Not(HasSubstr("at the end of the run"))); // killed before the end
    std::vector<std::string> parent;
    std::vector<std::string> child;
    split(parent, child);
    ASSERT_EQ(parent.size(), 7u);
    ASSERT_EQ(child.size(), 2u);
    EXPECT_THAT(parent[1], HasSubstr("agent-1 started in the background (scanner)"));
    EXPECT_THAT(parent[2], HasSubstr("agent-1 'scanner' (idle, 1 turn finished):"));
    EXPECT_THAT(parent[2], HasSubstr("child says hi"));
    EXPECT_THAT(parent[3], HasSubstr("agent-1 was idle: its next turn started"));
    EXPECT_THAT(parent[4], HasSubstr("(idle, 2 turns finished)"));
    EXPECT_THAT(parent[5], HasSubstr("agent-1 is stopped and its memory freed"));
    EXPECT_THAT(parent[6], HasSubstr("no background agent 'agent-1'"));
    EXPECT_THAT(child[0], HasSubstr("scan the tree"));
    EXPECT_THAT(child[0], Not(HasSubstr("work in the background"))); // its own conversation
    EXPECT_THAT(child[1], HasSubstr("count again"));
    EXPECT_THAT(child[1], HasSubstr("child says hi")); // the same conversation, one turn on
    RunResult list = ik({ "sessions", "-a" });
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_THAT(list.out, HasSubstr("↳ scanner")); // its stored session stays, under its parent
}

TEST_F(BackgroundAgents, AWaitTimesOutAndTheRunsEndStopsTheAgent)
{
    start_mock(R"([{"match": "You are a sub-agent", "steps": [{"delay_ms": 20000}, {"text": "too late"}]},)"
        + call("t1", "task", R"({"prompt": "take your time", "background": true})") + ","
        + call("w1", "agent_wait", R"({"id": "agent-1", "timeout_s": 1})") + R"(, {"steps": [{"text": "done"}]}])");
    auto began = std::chrono::steady_clock::now();
    RunResult r = run({ "-p", "do not wait long" });
    auto took = std::chrono::steady_clock::now() - began;
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "done\n");
    EXPECT_THAT(r.err, HasSubstr("ik: stopped 1 background agent at the end of the run"));
    EXPECT_LT(took, std::chrono::seconds(15)); // not the agent's 20 s
    std::vector<std::string> parent;
    std::vector<std::string> child;
    split(parent, child);
    ASSERT_EQ(parent.size(), 3u);
    EXPECT_THAT(parent[2], HasSubstr("timed out after 1 s"));
    EXPECT_THAT(parent[2], HasSubstr("(running, 0 turns finished)"));
}

TEST_F(BackgroundAgents, BadCallsAreErrorsTheModelReads)
{
    start_mock("[" + call("w1", "agent_wait", R"({"id": "agent-7"})") + ","
        + call("k1", "agent_kill", R"({"id": "\u001b[2Jagent"})") + ","
        + call("s1", "agent_send", R"({"id": "agent-1"})") + R"(, {"steps": [{"text": "ok"}]}])");
    RunResult r = run({ "-p", "poke" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_THAT(requests[1], HasSubstr("agent_wait: no background agent 'agent-7'"));
    EXPECT_THAT(requests[2], HasSubstr("no background agent"));
    EXPECT_THAT(requests[3], HasSubstr("'message' is required"));
    EXPECT_THAT(r.err, Not(HasSubstr("\x1b[2J"))); // the id reaches stderr only rendered safely
}

} // namespace
