// A task's `model` and `agent` (agent/sub_agent_setup.h): the sub-agent talks
// to the model a factory made for it, which goes when the sub-agent ends,
// and an agent definition's prompt, tools and model shape it.
#include "agent/ext/agent_definitions.h"
#include "agent/model_factory.h"
#include "agent/sub_agent_setup.h"
#include "agent/tools/registry.h"
#include "unit/agent/session_fixture.h"

namespace ik::agent::test {
namespace {

using ::ik::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Not;

ScriptedRound calls(std::vector<ScriptedEvent> call)
{
    ScriptedRound r;
    r.events = std::move(call);
    r.events.push_back(finish(llm::FinishReason::tool_calls));
    return r;
}

// Forwards to a FakeModel the test scripts; says when it is freed.
class TrackedModel final : public Model {
public:
    TrackedModel(FakeModel& inner, int& alive)
        : m_inner(inner)
        , m_alive(alive)
    {
        ++m_alive;
    }
    ~TrackedModel() override { --m_alive; }
    TrackedModel(const TrackedModel&) = delete;
    TrackedModel& operator=(const TrackedModel&) = delete;
    std::unique_ptr<ModelCall> start(const llm::Request& request, llm::StreamSink& sink, ModelDone done) override
    {
        names.push_back(std::string(request.model));
        std::string tools;
        for (const llm::ToolSpec& t : request.tools)
            tools += std::string(t.name) + " ";
        offered.push_back(tools);
        return m_inner.start(request, sink, std::move(done));
    }
    std::vector<std::string> names;
    std::vector<std::string> offered;

private:
    FakeModel& m_inner;
    int& m_alive;
};

class FakeFactory final : public ModelFactory {
public:
    FakeFactory(FakeModel& inner, int& alive, std::vector<std::string>& made)
        : m_inner(inner)
        , m_alive(alive)
        , m_made(made)
    {
    }
    Result<SubModel> make(Loop&, mem::Arena&, std::string_view spec) const override
    {
        if (!spec.starts_with("other/"))
            return fail(ErrorCode::config, "unknown provider in '{}'", spec);
        m_made.emplace_back(spec);
        SubModel m;
        m.model = std::make_unique<TrackedModel>(m_inner, m_alive);
        m.spec = std::string(spec);
        m.name = std::string(spec.substr(6));
        return m;
    }

private:
    FakeModel& m_inner;
    int& m_alive;
    std::vector<std::string>& m_made;
};

class SubAgentSetupTest : public SessionTest {
protected:
    SessionSettings with_factory()
    {
        SessionSettings s = settings();
        s.models = std::make_shared<const FakeFactory>(other, alive, made);
        return s;
    }
    std::string result_of(size_t request, std::string_view id)
    {
        for (const auto& m : model.requests.at(request))
            if (m.tool_call_id == id)
                return m.text;
        return "(no result)";
    }
    FakeModel other{ loop };
    int alive = 0;
    std::vector<std::string> made;
};

TEST_F(SubAgentSetupTest, TheSubAgentTalksToItsOwnModelWhichGoesWhenItEnds)
{
    open(with_factory());
    model.rounds.push_back(calls(tool_call(0, "t1", "task", R"({"prompt":"p","model":"other/small"})")));
    other.rounds.push_back(reply({ text("from the other model"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("go");
    EXPECT_EQ(made, std::vector<std::string>{ "other/small" });
    ASSERT_EQ(other.requests.size(), 1u);
    EXPECT_EQ(model.requests.size(), 2u); // the parent's two rounds only
    EXPECT_EQ(result_of(1, "t1"), "from the other model");
    EXPECT_EQ(alive, 0);
}

TEST_F(SubAgentSetupTest, UnknownModelsAndAgentsAreErrorResults)
{
    open(with_factory());
    model.rounds.push_back(calls(tool_call(0, "t1", "task", R"({"prompt":"p","model":"nowhere/x"})")));
    model.rounds.push_back(calls(tool_call(0, "t2", "task", R"({"prompt":"p","agent":"ghost"})")));
    model.rounds.push_back(calls(tool_call(0, "t3", "task", R"({"prompt":"p","model":"a\u001b[2Jb"})")));
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("go");
    EXPECT_THAT(result_of(1, "t1"), HasSubstr("task: model 'nowhere/x': unknown provider"));
    EXPECT_THAT(result_of(2, "t2"), HasSubstr("no agent named 'ghost'; there are no agent definitions"));
    EXPECT_THAT(result_of(3, "t3"), HasSubstr("'model' is a name of at most"));
    EXPECT_TRUE(made.empty());
    EXPECT_EQ(alive, 0);
}

TEST_F(SubAgentSetupTest, ADefinitionGivesItsPromptToolsAndModel)
{
    AgentDefinition d{ .name = "reviewer",
        .description = "Reviews.",
        .tools = { "read_file", "grep" },
        .model = "other/reviewer-model",
        .model_is_alias = false,
        .prompt = "DEFINITION PROMPT",
        .source = ".ik/agents/reviewer.md" };
    SessionSettings s = with_factory();
    s.agent_definitions = std::make_shared<const AgentDefinitions>(std::vector{ d }, std::vector<std::string>{});
    open(std::move(s));
    // The task narrows the definition's tools (write_file is not the definition's: dropped).
    model.rounds.push_back(
        calls(tool_call(0, "t1", "task", R"({"prompt":"p","agent":"reviewer","tools":["grep","write_file"]})")));
    other.rounds.push_back(reply({ text("reviewed"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("go");
    EXPECT_EQ(made, std::vector<std::string>{ "other/reviewer-model" });
    ASSERT_EQ(other.systems.size(), 1u);
    EXPECT_THAT(other.systems[0], HasSubstr("You are ik."));
    EXPECT_THAT(other.systems[0], HasSubstr("You are a sub-agent"));
    EXPECT_THAT(other.systems[0], HasSubstr("DEFINITION PROMPT"));
    EXPECT_THAT(model.systems[0], Not(HasSubstr("DEFINITION PROMPT")));
    EXPECT_EQ(result_of(1, "t1"), "reviewed");
}

const llm::ToolSpec& task_spec(const std::vector<llm::ToolSpec>& specs)
{
    for (const llm::ToolSpec& s : specs)
        if (s.name == "task")
            return s;
    static const llm::ToolSpec none{};
    ADD_FAILURE() << "no task tool";
    return none;
}

TEST_F(SubAgentSetupTest, WithoutDefinitionsTheTaskToolIsAsBuiltIn)
{
    SessionSettings s = settings();
    s.only_tools = { "read_file", "task" };
    std::vector<llm::ToolSpec> specs = tool_specs();
    shape_tool_specs(specs, s);
    ASSERT_EQ(specs.size(), 2u);
    const ToolDescriptor* task = find_tool("task");
    EXPECT_EQ(task_spec(specs).parameters, task->parameters);
    EXPECT_EQ(task_spec(specs).description, task->description);
    AgentDefinition d{ .name = "x",
        .description = "X.",
        .tools = {},
        .model = {},
        .model_is_alias = false,
        .prompt = "p",
        .source = "s" };
    s.agent_definitions = std::make_shared<const AgentDefinitions>(std::vector{ d }, std::vector<std::string>{});
    shape_tool_specs(specs, s);
    EXPECT_THAT(std::string(task_spec(specs).description), HasSubstr("- x: X."));
    EXPECT_THAT(std::string(task_spec(specs).parameters), HasSubstr(R"("agent":{)"));
    s.agent_depth = s.max_agent_depth; // it cannot start one: nothing to offer
    specs = tool_specs();
    shape_tool_specs(specs, s);
    EXPECT_EQ(task_spec(specs).description, task->description);
}

} // namespace
} // namespace ik::agent::test
