// The turn loop against a scripted model, the real tools and a real SQLite
// store: what the model sees, what runs, what is recorded, and that resume
// rebuilds the window exactly as the provider saw it.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "unit/agent/session_fixture.h"

namespace ik::agent::test {
namespace {

using ::ik::testing::HasError;
using ::ik::testing::IsOk;
using ::testing::HasSubstr;

TEST_F(SessionTest, TextReplyIsStreamedRecordedAndKept)
{
    open(settings());
    model.rounds.push_back(reply({ text("Hel"), text("lo!"), usage(10, 2), finish(llm::FinishReason::stop) }));
    run("hi");
    EXPECT_EQ(observer.streamed, "Hello!");
    ASSERT_TRUE(observer.outcome);
    EXPECT_FALSE(observer.outcome->error);
    EXPECT_EQ(observer.outcome->rounds, 1);
    EXPECT_EQ(observer.outcome->usage.input, 10);
    EXPECT_EQ(model.systems[0], "You are ik.");
    ASSERT_EQ(session->conversation().size(), 2u);
    EXPECT_EQ(session->conversation().messages()[1].text, "Hello!");
    EXPECT_EQ(event_kinds(), (std::vector<std::string>{ "user", "assistant", "usage" }));
}

TEST_F(SessionTest, ToolCallRunsAndItsResultGoesBackToTheModel)
{
    open(settings());
    std::ofstream(work / "notes.txt") << "alpha\nbeta\n";
    ScriptedRound r1;
    r1.events = tool_call(0, "call_1", "read_file", R"({"path":"notes.txt"})");
    r1.events.push_back(finish(llm::FinishReason::tool_calls));
    model.rounds.push_back(r1);
    model.rounds.push_back(reply({ text("It says alpha."), finish(llm::FinishReason::stop) }));
    run("what is in notes.txt?");
    ASSERT_EQ(model.requests.size(), 2u);
    const auto& second = model.requests[1];
    ASSERT_EQ(second.size(), 3u);
    EXPECT_EQ(second[1].calls, (std::vector<std::string>{ R"(call_1 read_file {"path":"notes.txt"})" }));
    EXPECT_EQ(second[2].role, llm::Role::tool);
    EXPECT_EQ(second[2].tool_call_id, "call_1");
    EXPECT_THAT(second[2].text, HasSubstr("alpha"));
    EXPECT_FALSE(second[2].is_error);
    EXPECT_EQ(observer.outcome->rounds, 2);
    EXPECT_EQ(event_kinds(),
        (std::vector<std::string>{ "user", "assistant", "tool_call", "approval", "tool_result", "assistant" }));
}

// The calls of one reply run one after another (tools.h); what this checks is
// that every call runs and the results go back together, in call order.
TEST_F(SessionTest, TwoCallsInOneReplyBothRunAndTheirResultsReturnInCallOrder)
{
    open(settings());
    ScriptedRound r1;
    for (auto& e : tool_call(0, "a", "bash", R"({"command":"echo one"})"))
        r1.events.push_back(e);
    for (auto& e : tool_call(1, "b", "bash", R"({"command":"echo two"})"))
        r1.events.push_back(e);
    r1.events.push_back(finish(llm::FinishReason::tool_calls));
    model.rounds.push_back(r1);
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("run both");
    ASSERT_EQ(model.requests.size(), 2u);
    const auto& second = model.requests[1];
    ASSERT_EQ(second.size(), 4u);
    EXPECT_EQ(second[2].tool_call_id, "a");
    EXPECT_THAT(second[2].text, HasSubstr("one"));
    EXPECT_EQ(second[3].tool_call_id, "b");
    EXPECT_THAT(second[3].text, HasSubstr("two"));
    EXPECT_EQ(observer.tools_started, (std::vector<std::string>{ "bash", "bash" }));
}

TEST_F(SessionTest, ToolErrorsGoBackAsResultsNotFailures)
{
    open(settings());
    ScriptedRound r1;
    r1.events = tool_call(0, "c", "read_file", R"({"path":"missing.txt"})");
    model.rounds.push_back(r1);
    ScriptedRound r2;
    r2.events = tool_call(0, "d", "no_such_tool", R"({})");
    model.rounds.push_back(r2);
    ScriptedRound r3;
    r3.events = tool_call(0, "e", "edit_file", R"({"path": 5})");
    model.rounds.push_back(r3);
    model.rounds.push_back(reply({ text("ok"), finish(llm::FinishReason::stop) }));
    run("go");
    EXPECT_FALSE(observer.outcome->error);
    ASSERT_EQ(model.requests.size(), 4u);
    EXPECT_TRUE(model.requests[1].back().is_error);
    EXPECT_THAT(model.requests[1].back().text, HasSubstr("missing.txt"));
    EXPECT_TRUE(model.requests[2].back().is_error);
    EXPECT_THAT(model.requests[2].back().text, HasSubstr("no_such_tool"));
    EXPECT_TRUE(model.requests[3].back().is_error);
}

TEST_F(SessionTest, TheRoundBoundStopsAModelThatNeverFinishes)
{
    SessionSettings s = settings();
    s.max_tool_turns = 3;
    open(s);
    for (int i = 0; i < 10; ++i) {
        ScriptedRound r;
        r.events = tool_call(0, fmt::format("c{}", i), "list_dir", R"({"path":"."})");
        model.rounds.push_back(r);
    }
    run("loop forever");
    EXPECT_TRUE(observer.outcome->hit_tool_limit);
    EXPECT_EQ(observer.outcome->rounds, 3);
    EXPECT_EQ(model.requests.size(), 3u);
    ASSERT_FALSE(observer.notices.empty());
    EXPECT_THAT(observer.notices.back(), HasSubstr("3 tool rounds"));
}

TEST_F(SessionTest, HeadlessAskPolicyDeniesMutationsWithAReason)
{
    open(settings(ApprovalMode::ask));
    ScriptedRound r1;
    r1.events = tool_call(0, "c", "bash", R"({"command":"touch created.txt"})");
    model.rounds.push_back(r1);
    model.rounds.push_back(reply({ text("denied, fine"), finish(llm::FinishReason::stop) }));
    run("make a file");
    EXPECT_FALSE(fs::exists(work / "created.txt"));
    const auto& result = model.requests[1].back();
    EXPECT_TRUE(result.is_error);
    EXPECT_THAT(result.text, HasSubstr("--approval"));
    EXPECT_TRUE(observer.tools_started.empty());
}

TEST_F(SessionTest, InteractiveApprovalRunsOnYesAndRemembersAlways)
{
    open(settings(ApprovalMode::ask));
    observer.interactive = true;
    observer.answers = { UserAnswer::always };
    for (const char* file : { "one.txt", "two.txt" }) {
        ScriptedRound r;
        r.events = tool_call(0, file, "bash", fmt::format(R"({{"command":"touch {}"}})", file));
        model.rounds.push_back(r);
    }
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    run("make files");
    EXPECT_TRUE(fs::exists(work / "one.txt"));
    EXPECT_TRUE(fs::exists(work / "two.txt"));
    EXPECT_EQ(observer.asked.size(), 1u) << "the second touch is allowed by the session rule";
}

TEST_F(SessionTest, InteractiveNoDeniesTheCall)
{
    open(settings(ApprovalMode::ask));
    observer.interactive = true;
    observer.answers = { UserAnswer::no };
    ScriptedRound r;
    r.events = tool_call(0, "c", "bash", R"({"command":"touch nope.txt"})");
    model.rounds.push_back(r);
    model.rounds.push_back(reply({ text("ok"), finish(llm::FinishReason::stop) }));
    run("make a file");
    EXPECT_FALSE(fs::exists(work / "nope.txt"));
    EXPECT_TRUE(model.requests[1].back().is_error);
}

TEST_F(SessionTest, CancelDuringAStreamKeepsThePartialText)
{
    open(settings());
    ScriptedRound r;
    r.events = { text("partial ans") };
    r.stall = true;
    model.rounds.push_back(r);
    ASSERT_THAT(session->submit("q"), IsOk());
    ASSERT_THAT(loop.run_until([&] { return observer.streamed == "partial ans"; }), IsOk());
    session->cancel();
    ASSERT_THAT(loop.run_until([&] { return observer.outcome.has_value(); }), IsOk());
    EXPECT_TRUE(observer.outcome->interrupted);
    ASSERT_EQ(session->conversation().size(), 2u);
    EXPECT_EQ(session->conversation().messages()[1].text, "partial ans");
    EXPECT_EQ(event_kinds().back(), "interrupted");
}

TEST_F(SessionTest, AProviderErrorEndsTheTurnAndIsRecorded)
{
    open(settings());
    ScriptedRound r;
    r.fail = Error(ErrorCode::overloaded, "overloaded after 4 attempts");
    model.rounds.push_back(r);
    run("q");
    ASSERT_TRUE(observer.outcome->error);
    EXPECT_EQ(observer.outcome->error->code(), ErrorCode::overloaded);
    EXPECT_EQ(event_kinds().back(), "error");
}

TEST_F(SessionTest, ResumeRebuildsTheWindowExactlyAsTheProviderSawIt)
{
    open(settings());
    std::ofstream(work / "a.txt") << "content\n";
    ScriptedRound r1;
    r1.events = { thinking("let me look") };
    for (auto& e : tool_call(0, "c1", "read_file", R"({"path":"a.txt"})"))
        r1.events.push_back(e);
    model.rounds.push_back(r1);
    model.rounds.push_back(reply({ text("It has content."), finish(llm::FinishReason::stop) }));
    run("read a.txt");
    ASSERT_THAT(session->mark("before"), IsOk());
    model.rounds.push_back(reply({ text("second answer"), finish(llm::FinishReason::stop) }));
    run("another question");
    ASSERT_THAT(session->rewind("before"), IsOk());
    model.rounds.push_back(reply({ text("third"), finish(llm::FinishReason::stop) }));
    run("after rewind");
    auto live = snapshot(session->conversation().messages());
    std::string id(session->id());
    session.reset();

    open(settings(), id.substr(0, 6));
    EXPECT_EQ(session->id(), id);
    EXPECT_EQ(snapshot(session->conversation().messages()), live);
    // And the next request carries exactly that window plus the new prompt.
    model.rounds.push_back(reply({ text("resumed"), finish(llm::FinishReason::stop) }));
    run("continue");
    auto sent = model.requests.back();
    sent.pop_back();
    EXPECT_EQ(sent, live);
}

TEST_F(SessionTest, ResumeAnswersToolCallsThatNeverFinished)
{
    open(settings());
    std::string id = *db->create_session({ .cwd = work.string(), .model = "fake/model" });
    ASSERT_THAT(db->append(id, store::EventKind::user, R"({"text":"go"})"), IsOk());
    ASSERT_THAT(db->append(id, store::EventKind::assistant,
                    R"({"text":"","tool_calls":[{"id":"x","name":"bash","arguments":"{}"}]})"),
        IsOk());
    session.reset();
    open(settings(), id);
    auto m = session->conversation().messages();
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[2].role, llm::Role::tool);
    EXPECT_EQ(m[2].tool_call_id, "x");
    EXPECT_TRUE(m[2].is_error);
}

TEST_F(SessionTest, ClearEmptiesTheWindowAndSurvivesResume)
{
    open(settings());
    model.rounds.push_back(reply({ text("a"), finish(llm::FinishReason::stop) }));
    run("one");
    ASSERT_THAT(session->clear(), IsOk());
    EXPECT_TRUE(session->conversation().empty());
    std::string id(session->id());
    session.reset();
    open(settings(), id);
    EXPECT_TRUE(session->conversation().empty());
}

TEST_F(SessionTest, RewindToAnUnknownMarkIsAClearError)
{
    open(settings());
    EXPECT_THAT(session->rewind("nope"), HasError(ErrorCode::not_found));
    EXPECT_THAT(session->rewind(""), HasError(ErrorCode::not_found));
}

TEST_F(SessionTest, SubmitWhileBusyIsRefused)
{
    open(settings());
    ScriptedRound r;
    r.stall = true;
    model.rounds.push_back(r);
    ASSERT_THAT(session->submit("one"), IsOk());
    EXPECT_THAT(session->submit("two"), HasError(ErrorCode::invalid_argument));
    session->cancel();
    ASSERT_THAT(loop.run_until([&] { return observer.outcome.has_value(); }), IsOk());
}

} // namespace
} // namespace ik::agent::test
