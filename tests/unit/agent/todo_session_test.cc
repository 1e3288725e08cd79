// The todo tool in a session: a call replaces the session's list and the
// model reads it back; a bad call changes nothing; resume, /rewind and
// /clear put the list where the conversation is; a compaction keeps it in
// the summary the model reads.
#include <gmock/gmock.h>

#include "agent/context/compaction.h"
#include "agent/todo_list.h"
#include "unit/agent/session_fixture.h"

namespace ik::agent::test {
namespace {

using ::ik::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string todos_json(std::vector<std::pair<std::string, std::string>> items)
{
    std::string out = R"({"todos": [)";
    for (size_t i = 0; i < items.size(); ++i)
        out += fmt::format(R"({}{{"content": "{}", "status": "{}"}})", i ? ", " : "", items[i].first, items[i].second);
    return out + "]}";
}

class TodoSessionTest : public SessionTest {
protected:
    // One prompt whose reply calls todo with `args`, then answers "ok".
    void plan(const std::string& args, const std::string& prompt = "plan it")
    {
        ScriptedRound r1;
        r1.events = tool_call(0, fmt::format("call_{}", ++m_calls), "todo", args);
        r1.events.push_back(finish(llm::FinishReason::tool_calls));
        model.rounds.push_back(r1);
        model.rounds.push_back(reply({ text("ok"), finish(llm::FinishReason::stop) }));
        run(prompt);
    }
    std::vector<std::string> contents()
    {
        std::vector<std::string> out;
        for (const TodoItem& item : session->task_list().list().items)
            out.push_back(fmt::format("{}:{}", item.content, to_string(item.status)));
        return out;
    }
    void reopen()
    {
        std::string id(session->id());
        session.reset();
        open(settings(ApprovalMode::ask), id);
    }
    int m_calls = 0;
};

TEST_F(TodoSessionTest, ACallReplacesTheListWithoutAskingAndTheModelReadsItBack)
{
    open(settings(ApprovalMode::ask)); // read-only: never asked, even in ask mode
    plan(todos_json({ { "read", "in_progress" }, { "write", "pending" } }));
    EXPECT_EQ(contents(), (std::vector<std::string>{ "read:in_progress", "write:pending" }));
    ASSERT_EQ(model.requests.size(), 2u);
    const SeenMessage& result = model.requests[1].back();
    EXPECT_EQ(result.role, llm::Role::tool);
    EXPECT_FALSE(result.is_error);
    EXPECT_THAT(result.text, HasSubstr("1. [in_progress] read\n2. [pending] write"));
    ASSERT_EQ(observer.results.size(), 1u);
    EXPECT_EQ(observer.results[0].summary, "2 items · 1 in progress · 1 pending");
    // The next call replaces all of it.
    plan(todos_json({ { "read", "done" }, { "write", "in_progress" }, { "test", "pending" } }));
    EXPECT_EQ(contents(), (std::vector<std::string>{ "read:done", "write:in_progress", "test:pending" }));
}

TEST_F(TodoSessionTest, ABadCallIsAnErrorForTheModelAndLeavesTheListAsItWas)
{
    open(settings());
    plan(todos_json({ { "read", "pending" } }));
    plan(todos_json({ { "a", "in_progress" }, { "b", "in_progress" } }));
    EXPECT_EQ(contents(), (std::vector<std::string>{ "read:pending" }));
    const SeenMessage& result = model.requests.back().back();
    EXPECT_TRUE(result.is_error);
    EXPECT_THAT(result.text, HasSubstr("todos[0] and todos[1] are both in_progress"));
    // Resume follows what ran: the bad call changed nothing there either.
    reopen();
    EXPECT_EQ(contents(), (std::vector<std::string>{ "read:pending" }));
}

TEST_F(TodoSessionTest, ResumeRestoresTheNewestListThatRan)
{
    open(settings());
    plan(todos_json({ { "one", "pending" } }));
    plan(todos_json({ { "one", "done" }, { "two", "in_progress" } }));
    model.rounds.push_back(reply({ text("no plan change"), finish(llm::FinishReason::stop) }));
    run("chat");
    reopen();
    EXPECT_EQ(contents(), (std::vector<std::string>{ "one:done", "two:in_progress" }));
    // An empty list is a list too: it clears.
    plan(todos_json({}));
    reopen();
    EXPECT_TRUE(session->task_list().list().empty());
}

TEST_F(TodoSessionTest, RewindGoesBackToTheMarksListAndClearEmptiesIt)
{
    open(settings());
    plan(todos_json({ { "first plan", "pending" } }));
    ASSERT_THAT(session->mark("m"), IsOk());
    plan(todos_json({ { "second plan", "pending" } }));
    ASSERT_THAT(session->rewind("m"), IsOk());
    EXPECT_EQ(contents(), (std::vector<std::string>{ "first plan:pending" }));
    reopen(); // the replay follows the rewind the same way
    EXPECT_EQ(contents(), (std::vector<std::string>{ "first plan:pending" }));
    ASSERT_THAT(session->clear(), IsOk());
    EXPECT_TRUE(session->task_list().list().empty());
    reopen();
    EXPECT_TRUE(session->task_list().list().empty());
}

TEST_F(TodoSessionTest, ACompactionSummaryCarriesTheCurrentList)
{
    SessionSettings s = settings();
    s.context.limits.context_window = 4000;
    s.context.limits.max_output = 512;
    open(s);
    plan(todos_json({ { "migrate the schema", "in_progress" }, { "write the docs", "pending" } }));
    for (int i = 0; i < 12 && session->context().accounting().compactions == 0; ++i) {
        model.rounds.push_back(reply({ text("noted"), finish(llm::FinishReason::stop) }));
        run(fmt::format("question {} ", i) + std::string(2000, static_cast<char>('a' + i)));
    }
    ASSERT_GT(session->context().accounting().compactions, 0);
    std::string_view summary = session->conversation().messages().front().text;
    ASSERT_THAT(summary, StartsWith(std::string(summary_header)));
    EXPECT_THAT(summary, HasSubstr("The todo list as it stands"));
    EXPECT_THAT(summary, HasSubstr("1. [in_progress] migrate the schema\n2. [pending] write the docs"));
    // Recorded with the summary: resume shows the model the same text.
    std::string live(summary);
    reopen();
    EXPECT_EQ(session->conversation().messages().front().text, live);
    EXPECT_EQ(contents(), (std::vector<std::string>{ "migrate the schema:in_progress", "write the docs:pending" }));
}

} // namespace
} // namespace ik::agent::test
