// Sub-agents end to end: the real ik binary, headless, the mock answering the
// parent's and the sub-agent's requests in the order they come. The sub-agent
// has its own conversation and stored session; its final reply is the task's
// result; headless output carries only the parent's answer, and a sub-agent's
// denied call is reported on stderr labelled with it.
#include <algorithm>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class SubAgents : public IkTest {
protected:
    RunResult run(std::vector<std::string> args) { return ik_for(Wire::anthropic, std::move(args), {}); }
};

std::string call(const char* id, const char* name, const std::string& arguments)
{
    return fmt::format(R"({{"steps": [{{"tool_calls": [{{"id": "{}", "name": "{}", "arguments": "{}"}}]}}]}})", id,
        name, json_escape(arguments));
}

TEST_F(SubAgents, TheSubAgentsFinalReplyGoesBackToTheModelAndItsSessionIsStored)
{
    start_mock("[" + call("t1", "task", R"({"prompt": "count the files", "description": "counter"})")
        + R"(, {"steps": [{"text": "there are 7 files"}]}, {"steps": [{"text": "done"}]}])");
    RunResult r = run({ "-p", "delegate it" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "done\n");
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_THAT(requests[1], HasSubstr("You are a sub-agent"));
    EXPECT_THAT(requests[1], HasSubstr("count the files"));
    EXPECT_THAT(requests[1], Not(HasSubstr("delegate it"))); // its own conversation
    EXPECT_THAT(requests[2], HasSubstr("there are 7 files"));
    RunResult list = ik({ "sessions", "-a" });
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_THAT(list.out, HasSubstr("delegate it"));
    EXPECT_THAT(list.out, HasSubstr("counter")); // the task's description titles its session
}

TEST_F(SubAgents, HeadlessPolicyAnswersASubAgentsCallsAndSaysWhose)
{
    // The default mode asks before commands; headless, nobody can answer.
    start_mock("[" + call("t1", "task", R"({"prompt": "run it", "description": "runner"})") + ","
        + call("b1", "bash", R"({"command": "touch made-by-sub"})")
        + R"(, {"steps": [{"text": "it was refused"}]}, {"steps": [{"text": "done"}]}])");
    RunResult r = run({ "-p", "delegate a command" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "done\n");
    EXPECT_THAT(r.err, HasSubstr("sub-agent 'runner': bash denied"));
    EXPECT_FALSE(std::filesystem::exists(work_dir() + "/made-by-sub"));
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_THAT(requests[3], HasSubstr("it was refused"));
}

TEST_F(SubAgents, DepthZeroTurnsTheToolOff)
{
    write_config(R"({"agents": {"max_depth": 0}})");
    start_mock("[" + call("t1", "task", R"({"prompt": "anything"})") + R"(, {"steps": [{"text": "ok"}]}])");
    RunResult r = run({ "-p", "try" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[1], HasSubstr("cannot start another (agents.max_depth is 0)"));
}

} // namespace

namespace {

// Two tasks in one reply stream at the same time on the parent's model: each
// sub-agent has a connection of its own (before, the second one's request
// found the parent's client busy and ik panicked).
TEST_F(SubAgents, TwoTasksInOneReplyStreamAtOnceOnTheParentsModel)
{
    std::string both
        = R"({"steps": [{"tool_calls": [)"
          R"({"id": "t1", "name": "task", "arguments": "{\"prompt\": \"part one\", \"description\": \"one\"}"},)"
          R"({"id": "t2", "name": "task", "arguments": "{\"prompt\": \"part two\", \"description\": \"two\"}"}]}]})";
    std::string slow = R"({"steps": [{"text": "half "}, {"delay_ms": 400}, {"text": "found"}]})";
    start_mock("[" + both + "," + slow + "," + slow + R"(, {"steps": [{"text": "both done"}]}])");
    RunResult r = run({ "-p", "split it" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "both done\n");
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_THAT(requests[3], HasSubstr("half found"));
    // Both sub-agents' requests were in flight together.
    EXPECT_TRUE(std::any_of(requests.begin(), requests.end(),
        [](const std::string& line) { return line.find(R"("in_flight":2)") != std::string::npos; }));
}

} // namespace
