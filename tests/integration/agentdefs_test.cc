// Agent definition files and the task tool's `model` end to end: the real
// ik binary, headless, with one mock serving two providers (Anthropic for
// the parent, OpenAI for a sub-agent that asks for another model), answering
// the parent's and the sub-agent's requests in the order they come.
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class AgentDefs : public IkTest {
protected:
    // The parent on Anthropic; OpenAI served by the same mock, for the sub-agents.
    RunResult run(std::vector<std::string> args)
    {
        auto env = env_for(Wire::anthropic);
        env.merge(env_for(Wire::openai_chat));
        args.insert(args.begin(), { "--model", model_for(Wire::anthropic) });
        return ik(std::move(args), env);
    }
    void write_agent(const std::string& relative, const std::string& text)
    {
        std::filesystem::path path = std::filesystem::path(work_dir()) / relative;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path) << text;
    }
};

std::string call(const char* id, const char* name, const std::string& arguments)
{
    return fmt::format(R"({{"steps": [{{"tool_calls": [{{"id": "{}", "name": "{}", "arguments": "{}"}}]}}]}})", id,
        name, json_escape(arguments));
}

std::string text(const char* t)
{
    return fmt::format(R"({{"steps": [{{"text": "{}"}}]}})", t);
}

// A tool offered in a request, in either format the test uses.
bool offers(const std::string& request, std::string_view tool)
{
    return request.find(fmt::format(R"("name":"{}")", tool)) != std::string::npos;
}

TEST_F(AgentDefs, AnAgentFilesPromptToolsAndModelShapeTheSubAgent)
{
    write_agent(".ik/agents/reviewer.md",
        "---\nname: reviewer\ndescription: Reviews a change for bugs.\ntools: Read, grep\n"
        "model: openai/gpt-sub\n---\nREVIEWER-INSTRUCTIONS: be strict.\n");
    start_mock("[" + call("t1", "task", R"({"prompt": "review main.cc", "agent": "reviewer"})") + ","
        + text("no bugs found") + "," + text("done") + "]");
    RunResult r = run({ "-p", "get it reviewed" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "done\n");
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 3u);
    // The parent is offered the agent, with its description.
    EXPECT_THAT(requests[0], HasSubstr("- reviewer: Reviews a change for bugs."));
    EXPECT_THAT(requests[0], HasSubstr(R"("agent":{)"));
    EXPECT_THAT(requests[0], Not(HasSubstr("REVIEWER-INSTRUCTIONS")));
    // The sub-agent: its model on its provider, ik's prompt plus the definition's, only its tools.
    EXPECT_THAT(requests[1], HasSubstr(R"("format":"openai-chat")"));
    EXPECT_THAT(requests[1], HasSubstr(R"("model":"gpt-sub")"));
    EXPECT_THAT(requests[1], HasSubstr("You are a sub-agent"));
    EXPECT_THAT(requests[1], HasSubstr("REVIEWER-INSTRUCTIONS: be strict."));
    EXPECT_THAT(requests[1], HasSubstr("review main.cc"));
    EXPECT_TRUE(offers(requests[1], "read_file")) << requests[1];
    EXPECT_TRUE(offers(requests[1], "grep"));
    EXPECT_FALSE(offers(requests[1], "bash"));
    EXPECT_FALSE(offers(requests[1], "write_file"));
    EXPECT_FALSE(offers(requests[1], "task"));
    EXPECT_THAT(requests[2], HasSubstr(R"("format":"anthropic")"));
    EXPECT_THAT(requests[2], HasSubstr("no bugs found"));
    RunResult list = ik({ "sessions", "-a" });
    ASSERT_EQ(list.exit_code, 0) << list.err;
    size_t at = list.out.find("review main.cc");
    ASSERT_NE(at, std::string::npos) << list.out;
    RunResult shown = ik({ "sessions", "show", list.out.substr(list.out.rfind('\n', at) + 1, 8) });
    EXPECT_THAT(shown.out, HasSubstr("Model openai/gpt-sub")) << shown.err;
}

TEST_F(AgentDefs, TheModelArgumentReachesAnotherProviderAndItsUsageIsStoredThere)
{
    start_mock("[" + call("t1", "task", R"({"prompt": "count the files", "model": "gpt-5-mini"})") + ","
        + R"({"steps": [{"text": "7"}, {"usage": {"input": 100000, "output": 5000}}]},)" + text("done") + "]");
    RunResult r = run({ "-p", "delegate" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_THAT(requests[0], Not(HasSubstr(R"("agent":{)"))); // no definitions: no agent argument
    EXPECT_THAT(requests[1], HasSubstr(R"("format":"openai-chat")"));
    EXPECT_THAT(requests[1], HasSubstr(R"("model":"gpt-5-mini")"));
    EXPECT_TRUE(offers(requests[1], "bash")); // no subset: the parent's tools
    // The sub-agent's session records its model, tokens and cost (priced as gpt-5-mini).
    RunResult list = ik({ "sessions", "-a" });
    ASSERT_EQ(list.exit_code, 0) << list.err;
    size_t at = list.out.find("count the files");
    ASSERT_NE(at, std::string::npos) << list.out;
    std::string line = list.out.substr(list.out.rfind('\n', at) + 1, at - list.out.rfind('\n', at));
    EXPECT_THAT(line, HasSubstr("$")) << line;
    RunResult shown = ik({ "sessions", "show", line.substr(0, 8) });
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_THAT(shown.out, HasSubstr("Model openai/gpt-5-mini"));
}

TEST_F(AgentDefs, UnknownAgentsAndModelsAreErrorsTheModelReads)
{
    write_agent(".ik/agents/reviewer.md", "---\ndescription: Reviews.\n---\nReview.\n");
    start_mock("[" + call("t1", "task", R"({"prompt": "x", "agent": "nobody"})") + ","
        + call("t2", "task", R"({"prompt": "x", "model": "nowhere/model-x"})") + ","
        + call("t3", "task", R"({"prompt": "x", "model": "google/gemini-2.5-flash"})") + ","
        + call("t4", "task", R"({"prompt": "x", "model": "not a model"})") + "," + text("gave up") + "]");
    RunResult r = run({ "-p", "try" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "gave up\n");
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 5u);
    EXPECT_THAT(requests[1], HasSubstr("no agent named 'nobody'; the agents are: reviewer"));
    EXPECT_THAT(requests[2], HasSubstr("task: model 'nowhere/model-x'"));
    EXPECT_THAT(requests[3], HasSubstr("no API key for 'google'"));
    EXPECT_THAT(requests[4], HasSubstr("'model' is a name of at most"));
}

TEST_F(AgentDefs, ClaudeCodeFilesWorkAndBadFilesAreSkippedWithANotice)
{
    // haiku needs an Anthropic key: here it has one, so the alias is used.
    write_agent(".claude/agents/explorer.md",
        "---\nname: explorer\ndescription: Explores.\ntools: Glob, Read\nmodel: haiku\n---\nEXPLORE-PROMPT\n");
    write_agent(".ik/agents/broken.md", "---\ndescription: d\nthis is not a field\n---\nP\n");
    std::filesystem::create_directories(m_config_dir + "/agents");
    write_file("agents/mine.md", "---\ndescription: The user's own.\n---\nMINE\n");
    start_mock("[" + call("t1", "task", R"({"prompt": "look", "agent": "explorer"})") + "," + text("found it") + ","
        + text("done") + "]");
    RunResult r = run({ "-p", "explore" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr(".ik/agents/broken.md:3"));
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_THAT(requests[0], HasSubstr("- explorer: Explores."));
    EXPECT_THAT(requests[0], HasSubstr("- mine: The user's own."));
    EXPECT_THAT(requests[1], HasSubstr(R"("model":"claude-haiku-4-5")"));
    EXPECT_THAT(requests[1], HasSubstr("EXPLORE-PROMPT"));
    EXPECT_TRUE(offers(requests[1], "glob"));
    EXPECT_FALSE(offers(requests[1], "grep"));
}

TEST_F(AgentDefs, AClaudeAliasWithoutThatProvidersKeyUsesTheParentsModel)
{
    write_agent(".claude/agents/big.md", "---\ndescription: Thinks hard.\nmodel: opus\n---\nBIG\n");
    start_mock("[" + call("t1", "task", R"({"prompt": "think", "agent": "big"})") + "," + text("thought") + ","
        + text("done") + "]");
    RunResult r = ik({ "--model", model_for(Wire::openai_chat), "-p", "go" }, env_for(Wire::openai_chat));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_THAT(requests[1], HasSubstr(R"("model":"gpt-test")"));
    EXPECT_THAT(requests[1], HasSubstr("BIG"));
}

std::string two_calls(const std::string& a, const std::string& b)
{
    return fmt::format(
        R"({{"steps": [{{"tool_calls": [{{"id": "t1", "name": "task", "arguments": "{}"}}, {{"id": "t2", "name": "task", "arguments": "{}"}}]}}]}})",
        json_escape(a), json_escape(b));
}

TEST_F(AgentDefs, TwoTasksInOneReplyEachOnItsOwnModel)
{
    start_mock("["
        + two_calls(R"({"prompt": "one", "model": "openai/gpt-a"})", R"({"prompt": "two", "model": "openai/gpt-b"})")
        + "," + text("answer") + "," + text("answer") + "," + text("done") + "]");
    RunResult r = run({ "-p", "both" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "done\n");
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 4u);
    std::string sub = requests[1] + requests[2];
    EXPECT_THAT(sub, HasSubstr(R"("model":"gpt-a")"));
    EXPECT_THAT(sub, HasSubstr(R"("model":"gpt-b")"));
    EXPECT_THAT(requests[3], HasSubstr("answer"));
}

} // namespace
