// A sub-agent's stored session is linked to its parent's (store migration 6):
// the parent session's id, the id of the task call that started it, and the
// task's description as its title; several task calls in one reply each get
// their own link.
#include <map>

#include "unit/agent/session_fixture.h"

namespace ik::agent::test {
namespace {

using ::ik::testing::IsOk;

ScriptedRound calls(std::vector<std::vector<ScriptedEvent>> list)
{
    ScriptedRound r;
    for (auto& c : list)
        r.events.insert(r.events.end(), c.begin(), c.end());
    r.events.push_back(finish(llm::FinishReason::tool_calls));
    return r;
}

class SubAgentLinkTest : public SessionTest {
protected:
    // The sessions the store holds, by the task call that started them
    // ("" for the top-level one).
    std::map<std::string, store::SessionInfo> by_call(mem::Arena& a)
    {
        auto list = db->list_sessions(a, { .cwd = "", .limit = 0 });
        EXPECT_THAT(list, IsOk());
        std::map<std::string, store::SessionInfo> out;
        if (list)
            for (const store::SessionInfo& s : *list)
                out.emplace(std::string(s.parent_call_id), s);
        return out;
    }
};

TEST_F(SubAgentLinkTest, EachTaskCallsSessionNamesTheParentAndTheCall)
{
    open(settings());
    model.rounds.push_back(calls({ tool_call(0, "toolu_a", "task", R"({"prompt":"scan src","description":"scan"})"),
        tool_call(1, "toolu_b", "task", R"({"prompt":"read the docs\nall of them"})") }));
    model.rounds.push_back(reply({ text("one"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("two"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("delegate twice");
    ASSERT_EQ(model.requests.size(), 4u);

    mem::Arena a(arena, "list");
    auto sessions = by_call(a);
    ASSERT_EQ(sessions.size(), 3u);
    ASSERT_TRUE(sessions.contains("") && sessions.contains("toolu_a") && sessions.contains("toolu_b"));
    const store::SessionInfo& parent = sessions.at("");
    EXPECT_EQ(parent.id, session->id());
    EXPECT_EQ(parent.parent_id, "");
    EXPECT_EQ(sessions.at("toolu_a").parent_id, parent.id);
    EXPECT_EQ(sessions.at("toolu_a").title, "scan"); // the task's description
    EXPECT_EQ(sessions.at("toolu_b").parent_id, parent.id);
    EXPECT_EQ(sessions.at("toolu_b").title, "read the docs"); // no description: the prompt's first line
    // What `ik -c` would continue is the parent.
    auto latest = db->latest_session(a, work.string());
    ASSERT_THAT(latest, IsOk());
    ASSERT_TRUE(latest->has_value());
    EXPECT_EQ((*latest)->id, parent.id);
}

TEST_F(SubAgentLinkTest, ASubAgentsSubAgentNamesTheSubAgent)
{
    SessionSettings s = settings();
    s.max_agent_depth = 2;
    open(std::move(s));
    model.rounds.push_back(calls({ tool_call(0, "outer", "task", R"({"prompt":"go deeper","description":"outer"})") }));
    model.rounds.push_back(
        calls({ tool_call(0, "inner", "task", R"({"prompt":"the bottom","description":"inner"})") }));
    model.rounds.push_back(reply({ text("bottom reached"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("outer done"), finish(llm::FinishReason::stop) }));
    model.rounds.push_back(reply({ text("all done"), finish(llm::FinishReason::stop) }));
    run("nest");
    ASSERT_EQ(model.requests.size(), 5u);

    mem::Arena a(arena, "list");
    auto sessions = by_call(a);
    ASSERT_EQ(sessions.size(), 3u);
    ASSERT_TRUE(sessions.contains("outer") && sessions.contains("inner"));
    EXPECT_EQ(sessions.at("outer").parent_id, session->id());
    EXPECT_EQ(sessions.at("inner").parent_id, sessions.at("outer").id);
    EXPECT_EQ(sessions.at("inner").title, "inner");
}

} // namespace
} // namespace ik::agent::test
