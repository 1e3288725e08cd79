// /agents in the REPL (app/commands/agents.cc): a background agent the model
// started is listed with its state, tokens and memory; /clear is refused
// while it exists, naming /agents stop; /agents stop ends it. And
// ApprovalPrompt keeps a second question behind the first (two sub-agents
// asking at once) instead of dropping it.
#include "agent/ext/agent_definitions.h"
#include "app/repl/approval_prompt.h"
#include "unit/app/repl_fixture.h"

namespace ik::app::test {
namespace {

using agent::test::finish;
using agent::test::reply;
using agent::test::text;
using agent::test::tool_call;

class AgentsCommandTest : public ReplTest {
protected:
    void SetUp() override
    {
        ReplTest::SetUp();
        open(settings());
    }
    void command(std::string_view line)
    {
        ui->feed(line);
        ui->feed("\r");
        settle();
    }
};

TEST_F(AgentsCommandTest, ListsABackgroundAgentRefusesClearAndStopsIt)
{
    command("/agents");
    EXPECT_TRUE(scrollback_has("No sub-agents."));
    agent::test::ScriptedRound start = reply(
        tool_call(0, "t1", "task", R"({"prompt":"watch the tests","description":"watcher","background":true})"));
    start.events.push_back(finish(llm::FinishReason::tool_calls));
    model.rounds.push_back(start);
    model.rounds.push_back(reply({ text("all green"), finish(llm::FinishReason::stop) })); // the agent
    model.rounds.push_back(reply({ text("started it"), finish(llm::FinishReason::stop) })); // the parent
    command("keep an eye on the tests");
    ASSERT_TRUE(run_until([&] { return model.requests.size() == 3; }));
    ASSERT_TRUE(run_until([&] {
        auto list = ui->session().sub_agents().list();
        return list.size() == 1 && list[0].state == agent::SubAgentState::idle;
    }));
    command("/agents");
    EXPECT_TRUE(scrollback_has("agent-1"));
    EXPECT_TRUE(scrollback_has("background"));
    EXPECT_TRUE(scrollback_has("idle"));
    EXPECT_TRUE(scrollback_has("watcher"));
    EXPECT_TRUE(scrollback_has("fake/model"));
    command("/clear");
    EXPECT_TRUE(scrollback_has("/clear is refused while 1 sub-agent exists: /agents lists them, /agents stop ID"));
    command("/agents stop agent-9");
    EXPECT_TRUE(scrollback_has("agent-9"));
    command("/agents stop agent-1");
    EXPECT_TRUE(scrollback_has("Stopped agent-1."));
    EXPECT_TRUE(ui->session().sub_agents().list().empty());
    command("/agents bogus");
    EXPECT_TRUE(scrollback_has("usage: /agents [stop ID]"));
}

TEST(ApprovalPromptQueue, ASecondQuestionWaitsBehindTheFirst)
{
    ApprovalPrompt prompt;
    std::vector<std::string> answered;
    agent::ApprovalRequest a;
    a.agent = "background agent-1";
    a.preview.command = "make one";
    agent::ApprovalRequest b = a;
    b.agent = "background agent-2";
    b.preview.command = "make two";
    prompt.open(
        a, [&](agent::UserAnswer) { answered.emplace_back("one"); }, "/");
    prompt.open(
        b, [&](agent::UserAnswer) { answered.emplace_back("two"); }, "/");
    EXPECT_NE(prompt.view().title.find("agent-1"), std::string::npos);
    prompt.answer(agent::UserAnswer::no, [](std::string_view) {});
    ASSERT_TRUE(prompt.pending());
    EXPECT_NE(prompt.view().title.find("agent-2"), std::string::npos);
    prompt.answer(agent::UserAnswer::yes, [](std::string_view) {});
    EXPECT_FALSE(prompt.pending());
    EXPECT_EQ(answered, (std::vector<std::string>{ "one", "two" }));
}

// The agent files' kinds are listed under the sub-agents, with their model
// and file, so the user can see what the model may start.
class AgentKindsTest : public AgentsCommandTest {
protected:
    void SetUp() override
    {
        ReplTest::SetUp();
        agent::SessionSettings s = settings();
        agent::AgentDefinition reviewer;
        reviewer.name = "reviewer";
        reviewer.description = "Reviews a change for bugs";
        reviewer.model = "anthropic/claude-haiku-4-5";
        reviewer.prompt = "You review code.";
        reviewer.source = ".ik/agents/reviewer.md";
        s.agent_definitions = std::make_shared<const agent::AgentDefinitions>(
            std::vector<agent::AgentDefinition>{ reviewer }, std::vector<std::string>{});
        open(std::move(s));
    }
};

TEST_F(AgentKindsTest, AgentsListsTheKindsTheAgentFilesDefine)
{
    command("/agents");
    EXPECT_TRUE(scrollback_has("No sub-agents."));
    EXPECT_TRUE(scrollback_has("Agent kinds"));
    EXPECT_TRUE(scrollback_has("reviewer"));
    EXPECT_TRUE(scrollback_has("anthropic/claude-haiku-4-5"));
    EXPECT_TRUE(scrollback_has(".ik/agents/reviewer.md"));
}

} // namespace
} // namespace ik::app::test
