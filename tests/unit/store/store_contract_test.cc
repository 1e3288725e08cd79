// The store contract: every behaviour here holds for SQLite and PostgreSQL.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/utf8.h"
#include "store/internal/schema.h"
#include "store/records.h"
#include "store/reply_text.h"
#include "store/store.h"
#include "support/matchers.h"
#include "unit/store/backends.h"

namespace ik::store::test {
namespace {

using ::ik::testing::HasError;
using ::ik::testing::HasErrorMessage;
using ::ik::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

template <typename B> class StoreContract : public StoreTest<B> {
};
TYPED_TEST_SUITE(StoreContract, Backends, BackendNames);

std::string user(std::string_view text)
{
    return fmt::format(R"({{"text":"{}"}})", text);
}

std::vector<std::string> kinds_of(std::span<const Event> events)
{
    std::vector<std::string> out;
    for (const Event& e : events)
        out.emplace_back(to_string(e.kind));
    return out;
}

TYPED_TEST(StoreContract, CreatesSessionWithShortHexId)
{
    Result<std::string> id = this->store->create_session({ .cwd = "/src/app", .model = "gpt-5", .title = "" });
    ASSERT_THAT(id, IsOk());
    EXPECT_THAT(*id, ::testing::MatchesRegex("[0-9a-f]{12}"));
    Result<SessionInfo> s = this->store->session(this->arena, *id);
    ASSERT_THAT(s, IsOk());
    EXPECT_EQ(s->id, *id);
    EXPECT_EQ(s->cwd, "/src/app");
    EXPECT_EQ(s->model, "gpt-5");
    EXPECT_EQ(s->title, "");
    EXPECT_EQ(s->event_count, 0);
    EXPECT_GT(s->created_at, 1'700'000'000'000);
    EXPECT_THAT(this->store->session(this->arena, "000000000000"), HasError(ErrorCode::not_found));
}

TYPED_TEST(StoreContract, AppendsConsecutiveSeqsAndLoadsExactData)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    const char* tool = R"({"id":"c1","name":"bash","arguments":"{\"command\":\"ls\"}"})";
    EXPECT_EQ(*this->store->append(id, EventKind::user, user("hi")), 1);
    EXPECT_EQ(*this->store->append(id, EventKind::tool_call, tool), 2);
    EXPECT_EQ(*this->store->append(id, EventKind::usage, R"({"input":10,  "output":2})"), 3);
    auto events = this->store->load_events(this->arena, id);
    ASSERT_THAT(events, IsOk());
    EXPECT_THAT(kinds_of(*events), ElementsAre("user", "tool_call", "usage"));
    EXPECT_EQ((*events)[1].data, tool);
    EXPECT_EQ((*events)[2].data, R"({"input":10,  "output":2})"); // byte for byte
    EXPECT_EQ((*events)[2].seq, 3);
    EXPECT_EQ(this->store->session(this->arena, id)->event_count, 3);

    auto tail = this->store->load_events(this->arena, id, 2);
    ASSERT_THAT(tail, IsOk());
    ASSERT_EQ(tail->size(), 1u);
    EXPECT_EQ((*tail)[0].seq, 3);
    EXPECT_THAT(this->store->check_integrity(), IsOk());
}

TYPED_TEST(StoreContract, AppendsManyInOneTransaction)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    ASSERT_THAT(this->store->append(id, EventKind::user, user("first")), IsOk());
    std::vector<Store::NewEvent> batch = { { EventKind::tool_result, R"({"text":"a"})" },
        { EventKind::tool_result, R"({"text":"b"})" }, { EventKind::usage, R"({"input":1})" } };
    EXPECT_EQ(*this->store->append_many(id, batch), 4);
    // All or nothing: a bad event anywhere writes none of them.
    batch[1].data_json = "not json";
    EXPECT_THAT(this->store->append_many(id, batch), HasErrorMessage(HasSubstr("in event 2 of 3")));
    EXPECT_THAT(this->store->append_many("ffffffffffff", std::span(batch).first(1)), HasError(ErrorCode::not_found));
    auto events = this->store->load_events(this->arena, id);
    EXPECT_THAT(kinds_of(*events), ElementsAre("user", "tool_result", "tool_result", "usage"));
    EXPECT_THAT(this->store->check_integrity(), IsOk());
}

TYPED_TEST(StoreContract, RejectsBadInput)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    EXPECT_THAT(this->store->append("ffffffffffff", EventKind::user, user("x")), HasError(ErrorCode::not_found));
    EXPECT_THAT(this->store->append(id, EventKind::user, "{\"text\": "), HasError(ErrorCode::parse));
    EXPECT_THAT(this->store->append(id, EventKind::user, "[1,2]"),
        HasErrorMessage(HasSubstr("must be a JSON object, got array")));
    EXPECT_THAT(this->store->load_events(this->arena, "ffffffffffff"), HasError(ErrorCode::not_found));
    EXPECT_THAT(this->store->begin_reply("ffffffffffff"), HasError(ErrorCode::not_found));
    EXPECT_THAT(this->store->append_text(Reply{ 12345 }, "x"), HasError(ErrorCode::invalid_argument));
    EXPECT_EQ(this->store->session(this->arena, id)->event_count, 0);
}

TYPED_TEST(StoreContract, ListsNewestFirstWithTitleFromFirstPrompt)
{
    std::string a = *this->store->create_session({ .cwd = "/one" });
    std::string b = *this->store->create_session({ .cwd = "/two" });
    std::string c = *this->store->create_session({ .cwd = "/one", .title = "named" });
    ASSERT_THAT(this->store->append(a, EventKind::user, user("  fix the build\\nplease")), IsOk());
    ASSERT_THAT(this->store->append(a, EventKind::user, user("second prompt")), IsOk());
    ASSERT_THAT(this->store->append(c, EventKind::user, user("ignored for title")), IsOk());

    auto all = this->store->list_sessions(this->arena, {});
    ASSERT_THAT(all, IsOk());
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].id, c);
    EXPECT_EQ((*all)[1].id, a);
    EXPECT_EQ((*all)[2].id, b);
    EXPECT_EQ((*all)[1].title, "fix the build");
    EXPECT_EQ((*all)[1].event_count, 2);
    EXPECT_EQ((*all)[0].title, "named");

    auto one = this->store->list_sessions(this->arena, { .cwd = "/one", .limit = 1 });
    ASSERT_THAT(one, IsOk());
    ASSERT_EQ(one->size(), 1u);
    EXPECT_EQ((*one)[0].id, c);

    ASSERT_THAT(this->store->append(a, EventKind::assistant, R"({"text":"ok"})"), IsOk());
    auto latest = this->store->latest_session(this->arena, "/one");
    ASSERT_THAT(latest, IsOk());
    ASSERT_TRUE(latest->has_value());
    EXPECT_EQ((*latest)->id, a);
    auto none = this->store->latest_session(this->arena, "/nowhere");
    ASSERT_THAT(none, IsOk());
    EXPECT_FALSE(none->has_value());
}

TYPED_TEST(StoreContract, SearchesFullTextWithSnippets)
{
    std::string a = *this->store->create_session({ .cwd = "/w" });
    std::string b = *this->store->create_session({ .cwd = "/w" });
    ASSERT_THAT(this->store->append(a, EventKind::user, user("the flaky websocket reconnect test")), IsOk());
    ASSERT_THAT(this->store->append(b, EventKind::assistant, R"({"text":"websocket handshake fixed"})"), IsOk());
    ASSERT_THAT(
        this->store->append(b, EventKind::tool_call, R"({"name":"grep","arguments":"{\"pattern\":\"zebra\"}"})"),
        IsOk());

    auto hits = this->store->search(this->arena, "websocket");
    ASSERT_THAT(hits, IsOk());
    ASSERT_EQ(hits->size(), 2u);
    EXPECT_EQ((*hits)[0].session_id, b); // newest first
    EXPECT_EQ((*hits)[0].kind, EventKind::assistant);
    EXPECT_THAT(std::string((*hits)[0].snippet), HasSubstr("**websocket**"));
    EXPECT_EQ((*hits)[1].session_id, a);
    EXPECT_EQ((*hits)[1].title, "the flaky websocket reconnect test");

    auto both = this->store->search(this->arena, "websocket flaky"); // every word must match
    ASSERT_THAT(both, IsOk());
    ASSERT_EQ(both->size(), 1u);
    EXPECT_EQ((*both)[0].session_id, a);

    auto args = this->store->search(this->arena, "zebra");
    ASSERT_THAT(args, IsOk());
    EXPECT_EQ(args->size(), 1u);

    // Operators and quotes are plain words, never a syntax error.
    EXPECT_THAT(this->store->search(this->arena, "\"web* AND (NOT x) -y:"), IsOk());
    EXPECT_THAT(this->store->search(this->arena, "nothinglikethis"), IsOk());
    EXPECT_TRUE(this->store->search(this->arena, "nothinglikethis")->empty());
    EXPECT_THAT(this->store->search(this->arena, "   "), HasError(ErrorCode::invalid_argument));

    // A long text is stored whole but indexed by its first 256 KiB only
    // (PostgreSQL refuses a tsvector over 1 MiB; FTS5's memory grows with it).
    std::string big = "earlyword ";
    while (big.size() < (size_t{ 900 } << 10))
        big += "filler" + std::to_string(big.size() % 977) + " ";
    big += "lateword";
    std::string c = *this->store->create_session({ .cwd = "/w" });
    ASSERT_THAT(this->store->append(c, EventKind::assistant, fmt::format(R"({{"text":"{}"}})", big)), IsOk());
    EXPECT_EQ(this->store->search(this->arena, "earlyword")->size(), 1u);
    EXPECT_TRUE(this->store->search(this->arena, "lateword")->empty());
    auto stored = this->store->load_events(this->arena, c);
    ASSERT_THAT(stored, IsOk());
    EXPECT_THAT(std::string((*stored)[0].data), HasSubstr("lateword"));
}

TYPED_TEST(StoreContract, ResolvesUniqueIdPrefixes)
{
    std::vector<std::string> ids;
    for (int i = 0; i < 17; ++i) // 17 ids: two share a first hex digit
        ids.push_back(*this->store->create_session({ .cwd = "/w" }));
    EXPECT_EQ(*this->store->resolve_id(ids[0]), ids[0]);
    EXPECT_EQ(*this->store->resolve_id(ids[3].substr(0, 10)), ids[3]);
    std::string upper = ids[5];
    for (char& ch : upper)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EXPECT_EQ(*this->store->resolve_id(upper), ids[5]);

    std::map<char, int> first;
    for (const std::string& id : ids)
        first[id[0]]++;
    char shared = std::find_if(first.begin(), first.end(), [](auto& p) { return p.second > 1; })->first;
    EXPECT_THAT(this->store->resolve_id(std::string(1, shared)), HasErrorMessage(HasSubstr("ambiguous")));
    EXPECT_THAT(this->store->resolve_id("zz"), HasError(ErrorCode::invalid_argument));
    EXPECT_THAT(this->store->resolve_id(""), HasError(ErrorCode::invalid_argument));
    std::string missing = ids[0] + "0";
    EXPECT_THAT(this->store->resolve_id(missing), HasError(ErrorCode::not_found));
}

TYPED_TEST(StoreContract, MigrationsAreIdempotentAndNewerSchemaIsRefused)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    ASSERT_THAT(this->store->append(id, EventKind::user, user("kept")), IsOk());
    int version = *this->store->schema_version();
    EXPECT_EQ(version, TypeParam::latest_version());
    this->store.reset();
    auto again = this->reopen();
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(*again->schema_version(), version);
    EXPECT_EQ(again->session(this->arena, id)->event_count, 1);
    EXPECT_EQ(again->search(this->arena, "kept")->size(), 1u); // the FTS backfill did not duplicate
    again.reset();

    ASSERT_TRUE(this->backend.exec_raw("INSERT INTO schema_migrations VALUES(99, 'from the future', 0)"));
    EXPECT_THAT(this->backend.open(),
        HasErrorMessage(HasSubstr(
            fmt::format("schema version 99 is newer than this ik supports ({})", TypeParam::latest_version()))));
}

// `ik sessions` lists tokens and cost from the session row (an index walk, not
// a sum over events per listing): every usage event adds to it, one at a time
// or in a batch, and a store written before the totals existed (schema 4) gets
// them summed by the migration.
TYPED_TEST(StoreContract, KeepsTokenAndCostTotalsOnTheSessionRow)
{
    auto totals_are = [&](Store& st, const std::string& id) {
        auto s = st.session(this->arena, id);
        ASSERT_THAT(s, IsOk());
        EXPECT_EQ(s->tokens_in, 1501);
        EXPECT_EQ(s->tokens_out, 26);
        EXPECT_NEAR(s->cost_usd, 0.5125, 1e-12);
        auto listed = st.list_sessions(this->arena, { .cwd = "", .limit = 0 });
        ASSERT_THAT(listed, IsOk());
        ASSERT_EQ(listed->size(), 2u);
        const SessionInfo& newest = listed->front();
        EXPECT_EQ(newest.id, id);
        EXPECT_EQ(newest.tokens_in, 1501);
        EXPECT_EQ(listed->back().tokens_in, 0);
        EXPECT_EQ(listed->back().cost_usd, 0.0);
    };
    std::string idle = *this->store->create_session({ .cwd = "/w" });
    ASSERT_THAT(this->store->append(idle, EventKind::user, user("no usage")), IsOk());
    std::string id = *this->store->create_session({ .cwd = "/w" });
    ASSERT_THAT(this->store->append(id, EventKind::user, user("q")), IsOk());
    ASSERT_THAT(this->store->append(id, EventKind::usage,
                    R"({"input":1000,"output":20,"cached":0,"reasoning":0,"cost_usd":0.0125,"bytes_per_token":3.2})"),
        IsOk());
    std::vector<Store::NewEvent> batch = {
        { EventKind::usage,
            R"({"input":500,"output":5,"cached":0,"reasoning":0,"cost_usd":0.5,"purpose":"compaction"})" },
        { EventKind::tool_result, R"({"text":"not usage","input":99})" },
        { EventKind::usage, R"({"input":1,"output":1,"cached":0,"reasoning":0})" },
    };
    ASSERT_THAT(this->store->append_many(id, batch), IsOk());
    totals_are(*this->store, id);

    this->store.reset();
    // Later migrations are undone too: migration 5 runs again only below them.
    std::string to_v4 = std::string(TypeParam::name) == "sqlite"
        ? "DROP INDEX sessions_by_parent; ALTER TABLE sessions DROP COLUMN parent_id; "
          "ALTER TABLE sessions DROP COLUMN parent_call_id; "
          "DROP TRIGGER sessions_usage; ALTER TABLE sessions DROP COLUMN tokens_in; "
          "ALTER TABLE sessions DROP COLUMN tokens_out; ALTER TABLE sessions DROP COLUMN cost_usd; "
          "DROP TABLE fts_state; CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN SELECT 1; END; "
          "DELETE FROM schema_migrations WHERE version >= 5"
        : "DROP INDEX sessions_by_parent; ALTER TABLE sessions DROP COLUMN parent_id, DROP COLUMN parent_call_id; "
          "DROP TRIGGER sessions_usage ON events; DROP FUNCTION ik_sessions_usage(); "
          "ALTER TABLE sessions DROP COLUMN tokens_in, DROP COLUMN tokens_out, DROP COLUMN cost_usd; "
          "DELETE FROM schema_migrations WHERE version >= 5";
    ASSERT_TRUE(this->backend.exec_raw(to_v4));
    auto migrated = this->reopen();
    ASSERT_NE(migrated, nullptr);
    EXPECT_EQ(*migrated->schema_version(), TypeParam::latest_version());
    totals_are(*migrated, id);
    // And the trigger is back: the next report adds to the summed totals.
    ASSERT_THAT(migrated->append(id, EventKind::usage, R"({"input":9,"output":4,"cached":0,"reasoning":0})"), IsOk());
    EXPECT_EQ(migrated->session(this->arena, id)->tokens_in, 1510);
    EXPECT_EQ(migrated->session(this->arena, id)->tokens_out, 30);
}

TYPED_TEST(StoreContract, KeepsUnicodeAndLargePayloadsIntact)
{
    std::string id = *this->store->create_session({ .cwd = "/tmp/ünïcødé 目录", .model = "m" });
    std::string text = "naïve café — 日本語のテキスト 🎉👩‍👩‍👧 e\u0301";
    ASSERT_THAT(this->store->append(id, EventKind::user, user(text)), IsOk());
    std::string big(4 * 1024 * 1024, 'x');
    for (size_t i = 0; i < big.size(); i += 97)
        big[i] = ' ';
    ASSERT_THAT(this->store->append(id, EventKind::tool_result, user(big)), IsOk());

    auto events = this->store->load_events(this->arena, id);
    ASSERT_THAT(events, IsOk());
    ASSERT_EQ(events->size(), 2u);
    EXPECT_EQ((*events)[0].data, user(text));
    EXPECT_EQ((*events)[1].data.size(), user(big).size());
    EXPECT_EQ((*events)[1].data, user(big));
    auto s = this->store->session(this->arena, id);
    EXPECT_EQ(s->cwd, "/tmp/ünïcødé 目录");
    EXPECT_EQ(s->title, text);
    auto hits = this->store->search(this->arena, "café");
    ASSERT_THAT(hits, IsOk());
    EXPECT_EQ(hits->size(), 1u);
}

TYPED_TEST(StoreContract, StreamsReplyInTimedBatches)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    Store& s = *this->store;
    auto t0 = Clock::now();
    Result<Reply> reply = s.begin_reply(id);
    ASSERT_THAT(reply, IsOk());
    EXPECT_FALSE(s.next_flush_deadline().has_value());
    ASSERT_THAT(s.append_text(*reply, "Hel", t0), IsOk());
    ASSERT_THAT(s.append_text(*reply, "lo", t0 + std::chrono::milliseconds(100)), IsOk());
    EXPECT_EQ(s.next_flush_deadline(), t0 + std::chrono::milliseconds(250));
    EXPECT_EQ(s.session(this->arena, id)->event_count, 0); // still buffered
    ASSERT_THAT(s.flush_if_due(t0 + std::chrono::milliseconds(249)), IsOk());
    EXPECT_EQ(s.session(this->arena, id)->event_count, 0);
    ASSERT_THAT(s.flush_if_due(t0 + std::chrono::milliseconds(250)), IsOk());
    EXPECT_EQ(s.session(this->arena, id)->event_count, 1);
    EXPECT_FALSE(s.next_flush_deadline().has_value());
    // append_text flushes by itself once the batch is due.
    ASSERT_THAT(s.append_text(*reply, ", wor", t0 + std::chrono::milliseconds(300)), IsOk());
    ASSERT_THAT(s.append_text(*reply, "ld", t0 + std::chrono::milliseconds(560)), IsOk());
    EXPECT_EQ(s.session(this->arena, id)->event_count, 2);

    ASSERT_THAT(s.end_reply(*reply, AssistantRecord{ .text = "Hello, world" }), IsOk());
    auto events = s.load_events(this->arena, id);
    ASSERT_THAT(events, IsOk());
    EXPECT_THAT(kinds_of(*events), ElementsAre("assistant_partial", "assistant_partial", "assistant"));
    EXPECT_THAT(std::string((*events)[0].data), HasSubstr("\"text\":\"Hello\""));
    EXPECT_THAT(std::string((*events)[1].data), HasSubstr("\"text\":\", world\""));
    EXPECT_THAT(s.append_text(*reply, "late"), HasError(ErrorCode::invalid_argument));
    // Partials are not searchable (the final event repeats the text).
    EXPECT_EQ(s.search(this->arena, "Hello")->size(), 1u);

    auto again = this->reopen(); // a finished reply is not marked interrupted
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(again->session(this->arena, id)->event_count, 3);
}

TYPED_TEST(StoreContract, ANewSessionIsWrittenWithItsFirstEvents)
{
    Store& s = *this->store;
    std::string prompt = user("fix the parser");
    std::vector<Store::NewEvent> first
        = { { EventKind::command, R"({"text":"/model x"})" }, { EventKind::user, prompt } };
    Result<std::string> id = s.create_session({ .cwd = "/w" }, first);
    ASSERT_THAT(id, IsOk());
    auto info = s.session(this->arena, *id);
    ASSERT_THAT(info, IsOk());
    EXPECT_EQ(info->event_count, 2);
    EXPECT_EQ(info->title, "fix the parser");
    auto events = s.load_events(this->arena, *id);
    ASSERT_THAT(events, IsOk());
    EXPECT_THAT(kinds_of(*events), ElementsAre("command", "user"));
    EXPECT_THAT(s.claim_session(*id), IsOk()); // claimed by this process already
    // A bad first event creates nothing.
    std::vector<Store::NewEvent> broken = { { EventKind::user, "not json" } };
    EXPECT_THAT(s.create_session({ .cwd = "/w" }, broken), HasError(ErrorCode::parse));
    EXPECT_EQ(s.list_sessions(this->arena, { .cwd = "", .limit = 0 })->size(), 1u);
}

TYPED_TEST(StoreContract, AReplyAndItsUsageAreOneCommit)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    Store& s = *this->store;
    std::vector<Store::NewEvent> usage = { { EventKind::usage, R"({"input":7,"output":3,"cached":0,"reasoning":0})" } };
    Reply reply = *s.begin_reply(id);
    ASSERT_THAT(s.append_text(reply, "answer", Clock::now()), IsOk());
    Result<int64_t> seq = s.end_reply(reply, AssistantRecord{ .text = "answer" }, usage);
    ASSERT_THAT(seq, IsOk());
    EXPECT_EQ(*seq, 1); // the assistant event's, not the usage's
    Reply cut = *s.begin_reply(id);
    ASSERT_THAT(s.append_text(cut, "half", Clock::now()), IsOk());
    EXPECT_EQ(*s.abort_reply(cut, "cancelled", usage), 3);
    auto events = s.load_events(this->arena, id);
    ASSERT_THAT(events, IsOk());
    EXPECT_THAT(kinds_of(*events), ElementsAre("assistant", "usage", "interrupted", "usage"));
    EXPECT_EQ(s.session(this->arena, id)->tokens_in, 14); // the totals trigger ran
    // A bad usage event writes nothing and leaves the reply open.
    Reply bad = *s.begin_reply(id);
    std::vector<Store::NewEvent> broken = { { EventKind::usage, "[1]" } };
    EXPECT_THAT(s.end_reply(bad, AssistantRecord{ .text = "x" }, broken), HasError(ErrorCode::invalid_argument));
    EXPECT_EQ(s.session(this->arena, id)->event_count, 4);
    EXPECT_THAT(s.end_reply(bad, AssistantRecord{ .text = "x" }), IsOk());
}

TYPED_TEST(StoreContract, FlushesLargeBuffersAtOnce)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    this->store->set_options({ .flush_interval = std::chrono::hours(1), .flush_bytes = 1000 });
    Reply reply = *this->store->begin_reply(id);
    auto t = Clock::now();
    ASSERT_THAT(this->store->append_text(reply, std::string(600, 'a'), t), IsOk());
    EXPECT_EQ(this->store->session(this->arena, id)->event_count, 0);
    ASSERT_THAT(this->store->append_text(reply, std::string(600, 'b'), t), IsOk());
    EXPECT_EQ(this->store->session(this->arena, id)->event_count, 1);
}

// A reply of at least one batch is not written twice where search joins the
// batches (SQLite): its final event refers to them and carries the rest, and
// readers and search see the whole text. PostgreSQL repeats it.
TYPED_TEST(StoreContract, ALongReplysFinalEventRefersToItsBatches)
{
    Store& s = *this->store;
    std::string id = *s.create_session({ .cwd = "/w" });
    s.set_options({ .flush_interval = std::chrono::hours(1), .flush_bytes = 16 });
    Reply reply = *s.begin_reply(id);
    std::string text;
    for (std::string_view delta : { "opening words ", "then the middle ", "and a closing" }) {
        ASSERT_THAT(s.append_text(reply, delta), IsOk());
        text += delta;
    }
    ASSERT_THAT(s.end_reply(reply, AssistantRecord{ .text = text, .stop_reason = "end_turn" }), IsOk());
    auto events = s.load_events(this->arena, id);
    ASSERT_THAT(events, IsOk());
    ASSERT_EQ(events->size(), 3u);
    EXPECT_EQ((*events)[2].kind, EventKind::assistant);
    std::string final_data((*events)[2].data);
    if (s.backend() == "sqlite") {
        EXPECT_THAT(final_data, HasSubstr(R"("text":"d a closing")")); // batches are 16 bytes
        EXPECT_THAT(final_data, HasSubstr(R"("partials":true)"));
    } else {
        EXPECT_THAT(final_data, HasSubstr(text));
        EXPECT_THAT(final_data, Not(HasSubstr("partials")));
    }
    ReplyText joined(this->arena);
    mem::Arena scratch(this->arena, "scratch");
    std::string read;
    for (const Event& e : *events) {
        if (!*joined.take(scratch, e))
            read = joined.text(*AssistantRecord::parse(scratch, e.data));
    }
    EXPECT_EQ(read, text);
    for (const char* word : { "opening", "closing" }) {
        auto hits = s.search(this->arena, word);
        ASSERT_THAT(hits, IsOk());
        ASSERT_EQ(hits->size(), 1u) << word;
        EXPECT_EQ((*hits)[0].kind, EventKind::assistant) << word;
    }
    EXPECT_EQ(s.search(this->arena, "opening closing")->size(), 1u) << "one text, not pieces";

    // A text that does not begin with the batches is carried whole.
    Reply other = *s.begin_reply(id);
    ASSERT_THAT(s.append_text(other, "streamed this, longer than a batch"), IsOk());
    ASSERT_THAT(s.end_reply(other, AssistantRecord{ .text = "but ended with another text" }), IsOk());
    EXPECT_THAT(std::string(s.load_events(this->arena, id, 3)->back().data),
        HasSubstr(R"({"text":"but ended with another text")"));
}

// However large a delta, no batch is over flush_bytes, and none splits a
// code point: a megabyte delta is not buffered whole (docs/perf.md).
TYPED_TEST(StoreContract, ALargeDeltaIsWrittenInBatchesOfAtMostTheBatchSize)
{
    Store& s = *this->store;
    std::string id = *s.create_session({ .cwd = "/w" });
    s.set_options({ .flush_interval = std::chrono::hours(1), .flush_bytes = 16 });
    Reply reply = *s.begin_reply(id);
    std::string text = "ab";
    for (int i = 0; i < 20; ++i)
        text += "é€"; // 2 and 3 bytes
    ASSERT_THAT(s.append_text(reply, "x"), IsOk());
    ASSERT_THAT(s.append_text(reply, text), IsOk());
    ASSERT_THAT(s.abort_reply(reply, "cut"), IsOk());
    auto events = s.load_events(this->arena, id);
    ASSERT_THAT(events, IsOk());
    ASSERT_GE(events->size(), 6u);
    mem::Arena scratch(this->arena, "scratch");
    std::string joined;
    for (const Event& e : *events) {
        if (e.kind != EventKind::assistant_partial)
            continue;
        auto batch = AssistantPartialRecord::parse(scratch, e.data);
        ASSERT_THAT(batch, IsOk());
        EXPECT_LE(batch->text.size(), 16u);
        EXPECT_GE(batch->text.size(), 14u) << "filled up to a code point";
        EXPECT_TRUE(utf8::is_valid(batch->text)) << e.data;
        joined += batch->text;
    }
    auto last = InterruptedRecord::parse(scratch, events->back().data);
    ASSERT_THAT(last, IsOk());
    EXPECT_EQ(joined + std::string(last->text), "x" + text);
}

TYPED_TEST(StoreContract, AbortedReplyKeepsItsTextAsInterrupted)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    Reply reply = *this->store->begin_reply(id);
    auto t = Clock::now();
    ASSERT_THAT(this->store->append_text(reply, "partial ", t), IsOk());
    ASSERT_THAT(this->store->flush(reply), IsOk());
    ASSERT_THAT(this->store->append_text(reply, "answer", t), IsOk());
    Result<int64_t> seq = this->store->abort_reply(reply, "user pressed Ctrl-C");
    ASSERT_THAT(seq, IsOk());
    EXPECT_EQ(*seq, 2);
    auto events = this->store->load_events(this->arena, id);
    ASSERT_EQ(events->size(), 2u);
    EXPECT_EQ((*events)[0].kind, EventKind::assistant_partial);
    EXPECT_EQ((*events)[1].kind, EventKind::interrupted);
    // The written batch is referred to, not repeated: the event carries the rest.
    EXPECT_THAT(std::string((*events)[1].data), HasSubstr(R"("text":"answer")"));
    EXPECT_THAT(std::string((*events)[1].data), HasSubstr(R"("partials":true)"));
    EXPECT_THAT(std::string((*events)[1].data), HasSubstr("Ctrl-C"));
    ReplyText joined(this->arena);
    mem::Arena scratch(this->arena, "scratch");
    EXPECT_EQ(*joined.take(scratch, (*events)[0]), true);
    EXPECT_EQ(*joined.take(scratch, (*events)[1]), false);
    auto record = InterruptedRecord::parse(scratch, (*events)[1].data);
    ASSERT_THAT(record, IsOk());
    EXPECT_EQ(joined.text(*record), "partial answer");
    EXPECT_EQ(*this->reopen()->recover_interrupted(), 0u);
}

TYPED_TEST(StoreContract, AbortedReplyWithoutBatchesCarriesAllItsText)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    Reply reply = *this->store->begin_reply(id);
    ASSERT_THAT(this->store->append_text(reply, "short", Clock::now()), IsOk());
    ASSERT_THAT(this->store->abort_reply(reply, "cancelled"), IsOk());
    auto events = this->store->load_events(this->arena, id);
    ASSERT_EQ(events->size(), 1u);
    EXPECT_THAT(std::string((*events)[0].data), HasSubstr(R"("text":"short")"));
    EXPECT_THAT(std::string((*events)[0].data), Not(HasSubstr("partials")));
}

TYPED_TEST(StoreContract, ClosingTheStoreClosesOpenReplies)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    Reply reply = *this->store->begin_reply(id);
    ASSERT_THAT(this->store->append_text(reply, "half a thou"), IsOk());
    this->store.reset();
    auto again = this->reopen();
    ASSERT_NE(again, nullptr);
    auto events = again->load_events(this->arena, id);
    ASSERT_THAT(events, IsOk());
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ((*events)[0].kind, EventKind::interrupted);
    EXPECT_THAT(std::string((*events)[0].data), HasSubstr(R"("reason":"the session was closed","text":"half a thou")"));
}

} // namespace
} // namespace ik::store::test
