// What a session records and how it comes back: typed tool results, store
// failures during a turn, the session row created with the first event,
// eviction and marks, and events exactly as earlier versions wrote them.
#include <gmock/gmock.h>

#include "store/records.h"
#include "unit/agent/session_fixture.h"

namespace ik::agent::test {
namespace {

using ::ik::testing::HasError;
using ::ik::testing::IsOk;
using ::testing::HasSubstr;

// The records of one kind in a session, parsed. Views into `a`.
template <typename R> std::vector<R> records_of(store::Store& db, mem::Arena& a, std::string_view id)
{
    std::vector<R> out;
    auto events = db.load_events(a, id);
    EXPECT_THAT(events, IsOk());
    for (const auto& e : *events) {
        if (e.kind != R::kind)
            continue;
        auto r = R::parse(a, e.data);
        EXPECT_THAT(r, IsOk());
        out.push_back(*r);
    }
    return out;
}

TEST_F(SessionTest, BashResultsCarryTheirExitCodeAndState)
{
    open(settings());
    ScriptedRound r1;
    r1.events = tool_call(0, "c1", "bash", R"({"command":"echo hi; exit 3"})");
    model.rounds.push_back(r1);
    model.rounds.push_back(reply({ text("ok"), finish(llm::FinishReason::stop) }));
    run("run it");
    ASSERT_EQ(observer.results.size(), 1u);
    EXPECT_EQ(observer.results[0].exit_code, 3);
    EXPECT_EQ(observer.results[0].state, ToolState::ran);
    mem::Arena a(arena, "read");
    auto results = records_of<store::ToolResultRecord>(*db, a, session->id());
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].exit_code, 3);
    EXPECT_EQ(results[0].state, store::ToolState::ran);
    EXPECT_TRUE(results[0].is_error);
}

TEST_F(SessionTest, DeniedAndFailedCallsSayWhichInTheirState)
{
    open(settings(ApprovalMode::ask)); // headless: bash is denied
    ScriptedRound r1;
    for (auto& e : tool_call(0, "c1", "bash", R"({"command":"touch x"})"))
        r1.events.push_back(e);
    for (auto& e : tool_call(1, "c2", "read_file", R"({"path":"missing.txt"})"))
        r1.events.push_back(e);
    model.rounds.push_back(r1);
    model.rounds.push_back(reply({ text("ok"), finish(llm::FinishReason::stop) }));
    run("go");
    mem::Arena a(arena, "read");
    auto results = records_of<store::ToolResultRecord>(*db, a, session->id());
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].state, store::ToolState::denied);
    EXPECT_FALSE(results[0].exit_code);
    EXPECT_EQ(results[1].state, store::ToolState::failed);
    auto approvals = records_of<store::ApprovalRecord>(*db, a, session->id());
    ASSERT_EQ(approvals.size(), 2u);
    EXPECT_EQ(approvals[0].verdict, "deny");
    EXPECT_EQ(approvals[0].command, "touch x");
    EXPECT_EQ(approvals[1].verdict, "allow");
}

TEST_F(SessionTest, AStoreFailureEndsTheTurnNamingTheEventAndKeepsTheText)
{
    open(settings());
    ScriptedRound r1;
    r1.events = { text("Hel"), text("lo") };
    for (auto& e : tool_call(0, "c1", "list_dir", R"({"path":"."})"))
        r1.events.push_back(e);
    model.rounds.push_back(r1);
    model.rounds.push_back(reply({ text("never asked"), finish(llm::FinishReason::stop) }));
    // Writes from here: user, begin reply, end reply, then the tool call fails.
    failing->fail_from(4);
    run("look");
    ASSERT_TRUE(observer.outcome->error);
    EXPECT_EQ(observer.outcome->error->code(), ErrorCode::store);
    EXPECT_THAT(observer.outcome->error->to_string(), HasSubstr("could not record the tool call"));
    EXPECT_THAT(observer.outcome->error->to_string(), HasSubstr("disk I/O error (injected)"));
    EXPECT_TRUE(observer.tools_started.empty()) << "nothing runs once the store fails";
    EXPECT_EQ(model.requests.size(), 1u);
    ASSERT_EQ(session->conversation().size(), 2u);
    EXPECT_EQ(session->conversation().messages()[1].text, "Hello");
    EXPECT_FALSE(session->busy());
}

TEST_F(SessionTest, AStoreFailureMidStreamStopsTheReplyAndKeepsWhatCame)
{
    open(settings());
    db->set_options({ .flush_interval = std::chrono::milliseconds(250), .flush_bytes = 1 }); // a batch per delta
    failing->fail_from(3); // user, begin reply, then the first batch of text
    model.rounds.push_back(reply({ text("partial "), text("answer"), finish(llm::FinishReason::stop) }));
    run("q");
    ASSERT_TRUE(observer.outcome->error);
    EXPECT_EQ(observer.outcome->error->code(), ErrorCode::store);
    EXPECT_THAT(observer.outcome->error->to_string(), HasSubstr("could not record the reply text"));
    EXPECT_EQ(observer.streamed, "partial ") << "the stream stops at the failure";
    ASSERT_EQ(session->conversation().size(), 2u);
    EXPECT_EQ(session->conversation().messages()[1].text, "partial ");
}

TEST_F(SessionTest, AStoreFailureAtTheEndOfAReplyKeepsTheText)
{
    open(settings());
    failing->fail_from(3); // user, begin reply, then the end of the reply
    model.rounds.push_back(reply({ text("whole "), text("answer"), finish(llm::FinishReason::stop) }));
    run("q");
    ASSERT_TRUE(observer.outcome->error);
    EXPECT_THAT(observer.outcome->error->to_string(), HasSubstr("could not record the reply:"));
    ASSERT_EQ(session->conversation().size(), 2u);
    EXPECT_EQ(session->conversation().messages()[1].text, "whole answer");
}

TEST_F(SessionTest, APromptThatCannotBeRecordedIsNotSent)
{
    open(settings());
    failing->fail_from(1);
    EXPECT_THAT(session->submit("q"), HasError(ErrorCode::store));
    EXPECT_TRUE(model.requests.empty());
    EXPECT_TRUE(session->conversation().empty());
}

TEST_F(SessionTest, OpeningAndClosingASessionStoresNothing)
{
    open(settings());
    EXPECT_EQ(session->id(), "");
    ASSERT_THAT(session->record_command("/help"), IsOk());
    ASSERT_THAT(session->clear(), IsOk());
    session.reset();
    mem::Arena a(arena, "list");
    auto all = db->list_sessions(a, { .cwd = "", .limit = 0 });
    ASSERT_THAT(all, IsOk());
    EXPECT_TRUE(all->empty());
    auto latest = db->latest_session(a, work.string());
    ASSERT_THAT(latest, IsOk());
    EXPECT_FALSE(latest->has_value());
}

TEST_F(SessionTest, CommandsBeforeTheFirstPromptAreStoredWithIt)
{
    open(settings());
    ASSERT_THAT(session->record_command("/model fake/other"), IsOk());
    model.rounds.push_back(reply({ text("hi"), finish(llm::FinishReason::stop) }));
    run("hello");
    EXPECT_NE(session->id(), "");
    EXPECT_EQ(event_kinds(), (std::vector<std::string>{ "command", "user", "assistant" }));
    mem::Arena a(arena, "info");
    auto info = db->session(a, session->id());
    ASSERT_THAT(info, IsOk());
    EXPECT_EQ(info->title, "hello");
}

TEST_F(SessionTest, ContinueSkipsEmptySessionsOfEarlierVersions)
{
    open(settings());
    model.rounds.push_back(reply({ text("hi"), finish(llm::FinishReason::stop) }));
    run("real work");
    std::string id(session->id());
    // What an earlier version left behind on every start: a row, no events.
    ASSERT_THAT(db->create_session({ .cwd = work.string(), .model = "fake/model" }), IsOk());
    mem::Arena a(arena, "latest");
    auto latest = db->latest_session(a, work.string());
    ASSERT_THAT(latest, IsOk());
    ASSERT_TRUE(latest->has_value());
    EXPECT_EQ((*latest)->id, id);
}

// Replies big enough that a small memory cap evicts the oldest exchanges.
class EvictionTest : public SessionTest {
protected:
    static constexpr size_t cap = 256 * 1024;
    SessionSettings capped(size_t limit = cap)
    {
        SessionSettings s = settings();
        s.memory_limit_bytes = limit;
        s.context.limits.context_window = int64_t{ 1 } << 40; // the memory cap acts, not compaction
        return s;
    }
    void ask(int i)
    {
        model.rounds.push_back(reply({ text(fmt::format("answer {} ", i) + std::string(40 * 1024, 'a' + i % 26)),
            finish(llm::FinishReason::stop) }));
        run(fmt::format("question {}", i));
    }
};

TEST_F(EvictionTest, EvictionIsRecordedAndResumeAppliesItWhateverTheCap)
{
    open(capped());
    for (int i = 0; i < 8; ++i)
        ask(i);
    ASSERT_GT(session->conversation().first_exchange(), 0u) << "the cap should have evicted something";
    auto live = snapshot(session->conversation().messages());
    size_t first = session->conversation().first_exchange();
    std::string id(session->id());
    auto kinds = event_kinds();
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "eviction"), kinds.end());
    session.reset();

    open(capped(0), id); // no cap now: the recorded eviction still holds
    EXPECT_EQ(session->conversation().first_exchange(), first);
    EXPECT_EQ(snapshot(session->conversation().messages()), live);
    session.reset();
    open(capped(64 * 1024 * 1024), id);
    EXPECT_EQ(snapshot(session->conversation().messages()), live);
}

TEST_F(EvictionTest, RewindToAMarkWhoseExchangesWereEvictedRestoresThem)
{
    open(capped());
    ask(0);
    ask(1);
    ASSERT_THAT(session->mark("early"), IsOk());
    auto at_mark = snapshot(session->conversation().messages());
    size_t first_at_mark = session->conversation().first_exchange();
    ASSERT_EQ(session->conversation().exchange_end(), 2u);
    for (int i = 2; i < 9; ++i)
        ask(i);
    ASSERT_GT(session->conversation().first_exchange(), 1u) << "the mark's exchanges should have been evicted";
    ASSERT_THAT(session->rewind("early"), IsOk());
    EXPECT_EQ(snapshot(session->conversation().messages()), at_mark);
    EXPECT_EQ(session->conversation().first_exchange(), first_at_mark);
    EXPECT_EQ(session->conversation().exchange_end(), 2u);

    // The next request carries the restored window.
    ask(9);
    auto sent = model.requests.back();
    sent.pop_back();
    EXPECT_EQ(sent, at_mark);
    auto live = snapshot(session->conversation().messages());
    std::string id(session->id());
    session.reset();

    open(capped(0), id);
    EXPECT_EQ(snapshot(session->conversation().messages()), live);
    ASSERT_EQ(session->marks().size(), 1u);
    EXPECT_EQ(session->marks()[0].name, "early");
}

TEST_F(EvictionTest, RewindWithoutEvictionTruncatesInPlace)
{
    open(settings());
    ask(0);
    ASSERT_THAT(session->mark("m"), IsOk());
    ask(1);
    ASSERT_THAT(session->rewind("m"), IsOk());
    EXPECT_EQ(session->conversation().exchange_end(), 1u);
    EXPECT_EQ(session->conversation().size(), 2u);
}

// Events byte for byte as the code before typed records wrote them (the
// writers assembled JSON by hand; keys in their order). A database made by
// that code must keep resuming, showing and exporting.
// A reply's web-search sources are stored with it; a resume keeps them by
// the reply's text for the REPL's history (the window never carries them).
TEST_F(SessionTest, ResumeKeepsEachReplysSources)
{
    std::string id = *db->create_session({ .cwd = work.string(), .model = "fake/model" });
    ASSERT_THAT(db->append(id, store::EventKind::user, R"({"text":"news?"})"), IsOk());
    ASSERT_THAT(db->append(id, store::EventKind::assistant,
                    R"({"text":"Rust 1.80 is out.","tool_calls":[],"stop_reason":"stop",)"
                    R"("sources":[{"url":"https://blog.rust-lang.org/","title":"Rust Blog"},)"
                    R"({"url":"https://releases.rs/","title":""}]})"),
        IsOk());
    ASSERT_THAT(db->append(id, store::EventKind::user, R"({"text":"thanks"})"), IsOk());
    ASSERT_THAT(
        db->append(id, store::EventKind::assistant, R"({"text":"welcome","tool_calls":[],"stop_reason":"stop"})"),
        IsOk());

    open(settings(), id);
    auto sources = session->resumed_sources("Rust 1.80 is out.");
    ASSERT_EQ(sources.size(), 2u);
    EXPECT_EQ(sources[0].url, "https://blog.rust-lang.org/");
    EXPECT_EQ(sources[0].title, "Rust Blog");
    EXPECT_EQ(sources[1].url, "https://releases.rs/");
    EXPECT_TRUE(session->resumed_sources("welcome").empty());
    EXPECT_TRUE(session->resumed_sources("never said").empty());
}

TEST_F(SessionTest, ResumeLoadsEventsAsEarlierVersionsWroteThem)
{
    std::string id = *db->create_session({ .cwd = work.string(), .model = "fake/model" });
    const std::vector<std::pair<store::EventKind, std::string>> old = {
        { store::EventKind::command, R"({"text":"/model x"})" },
        { store::EventKind::user, R"({"text":"first"})" },
        { store::EventKind::thinking, R"({"text":"hmm","signature":"sig"})" },
        { store::EventKind::assistant,
            R"({"text":"","tool_calls":[{"id":"c1","name":"bash","arguments":"{\"command\":\"rm x\"}"}],)"
            R"("stop_reason":"tool_calls","thinking":"hmm","signature":"sig"})" },
        { store::EventKind::usage, R"({"input":10,"output":2,"cached":0,"reasoning":0})" },
        { store::EventKind::tool_call, R"({"id":"c1","name":"bash","arguments":"{\"command\":\"rm x\"}"})" },
        { store::EventKind::approval,
            R"({"call_id":"c1","tool":"bash","verdict":"deny","source":"headless","reason":"nobody to ask",)"
            R"("command":"rm x"})" },
        { store::EventKind::tool_result,
            R"({"id":"c1","name":"bash","text":"Not run","is_error":true,"summary":"denied"})" },
        { store::EventKind::assistant, R"({"text":"ok","tool_calls":[],"stop_reason":"stop"})" },
        { store::EventKind::mark, R"({"name":"m"})" },
        { store::EventKind::user, R"({"text":"second"})" },
        { store::EventKind::interrupted, R"({"reason":"cancelled","text":"half","reply":7})" },
        { store::EventKind::rewind, R"({"to_seq":10,"name":"m"})" },
        { store::EventKind::user, R"({"text":"third"})" },
        { store::EventKind::error, R"({"category":"overloaded","text":"overloaded after 4 attempts"})" },
    };
    for (const auto& [kind, data] : old)
        ASSERT_THAT(db->append(id, kind, data), IsOk()) << data;

    open(settings(), id);
    auto m = snapshot(session->conversation().messages());
    ASSERT_EQ(m.size(), 5u);
    EXPECT_EQ(m[0].text, "first");
    EXPECT_EQ(m[1].thinking, "hmm");
    EXPECT_EQ(m[1].calls, (std::vector<std::string>{ R"(c1 bash {"command":"rm x"})" }));
    EXPECT_EQ(m[2].tool_call_id, "c1");
    EXPECT_TRUE(m[2].is_error);
    EXPECT_EQ(m[3].text, "ok");
    EXPECT_EQ(m[4].text, "third");
    ASSERT_EQ(session->marks().size(), 1u);
    EXPECT_EQ(session->marks()[0].end_exchange, 1u);

    mem::Arena a(arena, "read");
    auto results = records_of<store::ToolResultRecord>(*db, a, id);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].state, store::ToolState::denied);
    EXPECT_FALSE(results[0].exit_code);
    auto approvals = records_of<store::ApprovalRecord>(*db, a, id);
    ASSERT_EQ(approvals.size(), 1u);
    EXPECT_EQ(approvals[0].verdict, "deny");
}

} // namespace
} // namespace ik::agent::test
