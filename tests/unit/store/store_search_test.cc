// Full-text search with indexing off the append (schema 6): a search finds
// everything appended before it, on both backends; SQLite indexes lazily
// (nothing at the append, everything pending before a search), upgrades a
// schema-5 store without losing or doubling hits, and searches pending
// events from a read-only connection. The reply's stored text is the same
// bytes as before the change.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/records.h"
#include "store/reply_text.h"
#include "store/store.h"
#include "support/matchers.h"
#include "unit/store/backends.h"

namespace ik::store::test {
namespace {

using ::ik::testing::IsOk;

template <typename B> class StoreSearch : public StoreTest<B> {
};
TYPED_TEST_SUITE(StoreSearch, Backends, BackendNames);

std::string user(std::string_view text)
{
    return fmt::format(R"({{"text":"{}"}})", text);
}

size_t hits(Store& s, mem::Arena& arena, std::string_view text)
{
    auto found = s.search(arena, text, 0);
    EXPECT_THAT(found, IsOk());
    return found ? found->size() : 0;
}

TYPED_TEST(StoreSearch, FindsWhatWasAppendedJustBefore)
{
    Store& s = *this->store;
    std::string a = *s.create_session({ .cwd = "/w" });
    ASSERT_THAT(s.append(a, EventKind::user, user("alpha first")), IsOk());
    EXPECT_EQ(hits(s, this->arena, "alpha"), 1u);
    ASSERT_THAT(s.append(a, EventKind::user, user("alpha second")), IsOk());
    EXPECT_EQ(hits(s, this->arena, "alpha"), 2u); // the first is not indexed twice

    // More than a few indexing batches pending at once, single and batched
    // appends, in two sessions.
    std::string b = *s.create_session({ .cwd = "/w" });
    std::vector<std::string> texts;
    for (int i = 0; i < 700; ++i)
        texts.push_back(user(fmt::format("common word{}", i)));
    std::vector<Store::NewEvent> batch;
    for (int i = 0; i < 350; ++i)
        batch.push_back({ EventKind::tool_result, texts[i] });
    ASSERT_THAT(s.append_many(b, batch), IsOk());
    for (int i = 350; i < 700; ++i)
        ASSERT_THAT(s.append(i % 2 ? a : b, EventKind::user, texts[i]), IsOk());
    ASSERT_THAT(s.append(b, EventKind::usage, R"({"input":1,"output":1,"text":"common"})"), IsOk()); // not indexed
    EXPECT_EQ(hits(s, this->arena, "common"), 700u);
    EXPECT_EQ(hits(s, this->arena, "word0"), 1u);
    EXPECT_EQ(hits(s, this->arena, "word699"), 1u);
    auto newest = s.search(this->arena, "common", 1);
    ASSERT_THAT(newest, IsOk());
    ASSERT_EQ(newest->size(), 1u);
    EXPECT_EQ((*newest)[0].session_id, a); // word699 went to a
    EXPECT_THAT(std::string((*newest)[0].snippet), ::testing::HasSubstr("**common**"));

    // A streamed reply: its final event is found, its batches are not.
    Result<Reply> reply = s.begin_reply(b);
    ASSERT_THAT(reply, IsOk());
    auto t0 = Clock::now();
    ASSERT_THAT(s.append_text(*reply, "streamed ", t0), IsOk());
    ASSERT_THAT(s.flush_if_due(t0 + std::chrono::seconds(1)), IsOk());
    ASSERT_THAT(s.append_text(*reply, "finalword", t0 + std::chrono::seconds(1)), IsOk());
    ASSERT_THAT(s.end_reply(*reply, AssistantRecord{ .text = "streamed finalword" }), IsOk());
    EXPECT_EQ(hits(s, this->arena, "finalword"), 1u);
    EXPECT_EQ(hits(s, this->arena, "streamed"), 1u);
}

// An interrupted reply refers to its batches; SQLite indexes the text it
// stands for, batches first. (PostgreSQL's index is a generated column of
// one row and sees only the event's own rest.)
TYPED_TEST(StoreSearch, AnInterruptedReplyIsFoundByTheTextOfItsBatches)
{
    Store& s = *this->store;
    if (s.backend() != "sqlite")
        GTEST_SKIP() << "PostgreSQL indexes one row";
    std::string id = *s.create_session({ .cwd = "/w" });
    Reply reply = *s.begin_reply(id);
    ASSERT_THAT(s.append_text(reply, "batched beginning "), IsOk());
    ASSERT_THAT(s.flush(reply), IsOk());
    ASSERT_THAT(s.append_text(reply, "buffered end"), IsOk());
    ASSERT_THAT(s.abort_reply(reply, "cancelled"), IsOk());
    EXPECT_EQ(hits(s, this->arena, "beginning"), 1u);
    EXPECT_EQ(hits(s, this->arena, "beginning end"), 1u);
}

// The stored bytes of a reply do not depend on how it is indexed: the final
// event is the JSON given, byte for byte; an interrupted reply's text (its
// batches, then the event's rest) is the text streamed. (A reply left open
// by a killed process: store_process_test.cc.)
TYPED_TEST(StoreSearch, ReplyTextIsStoredByteForByte)
{
    Store& s = *this->store;
    std::string id = *s.create_session({ .cwd = "/w" });
    std::string text = "naïve \"quoted\" \\ back\nslash \x1b[31m red \u2028 日本 🎉 ";
    std::string final_json
        = std::string(AssistantRecord{ .text = text, .stop_reason = "end_turn" }.to_json(this->arena));
    Result<Reply> done = s.begin_reply(id);
    ASSERT_THAT(done, IsOk());
    auto t0 = Clock::now();
    ASSERT_THAT(s.append_text(*done, text.substr(0, 10), t0), IsOk());
    ASSERT_THAT(s.flush_if_due(t0 + std::chrono::seconds(1)), IsOk());
    ASSERT_THAT(s.append_text(*done, text.substr(10), t0 + std::chrono::seconds(1)), IsOk());
    ASSERT_THAT(s.end_reply(*done, AssistantRecord{ .text = text, .stop_reason = "end_turn" }), IsOk());

    Result<Reply> cut = s.begin_reply(id);
    ASSERT_THAT(cut, IsOk());
    ASSERT_THAT(s.append_text(*cut, text.substr(0, 7), t0), IsOk());
    ASSERT_THAT(s.flush_if_due(t0 + std::chrono::seconds(1)), IsOk());
    ASSERT_THAT(s.append_text(*cut, text.substr(7), t0 + std::chrono::seconds(1)), IsOk());
    ASSERT_THAT(s.abort_reply(*cut, "cancelled"), IsOk());

    auto interrupted_texts = [&](Store& st) {
        std::vector<std::string> out;
        mem::Arena scratch(this->arena, "scratch");
        ReplyText joiner(this->arena);
        auto r = st.load_events(id, 0, [&](const Event& e) -> Result<void> {
            if (TRY(joiner.take(scratch, e)))
                return {};
            if (e.kind == EventKind::interrupted)
                out.emplace_back(joiner.text(TRY(InterruptedRecord::parse(scratch, e.data))));
            return {};
        });
        EXPECT_THAT(r, IsOk());
        return out;
    };
    auto events = s.load_events(this->arena, id);
    ASSERT_THAT(events, IsOk());
    auto final_event
        = std::find_if(events->begin(), events->end(), [](const Event& e) { return e.kind == EventKind::assistant; });
    ASSERT_NE(final_event, events->end());
    EXPECT_EQ(final_event->data, final_json);
    EXPECT_THAT(interrupted_texts(s), ::testing::ElementsAre(text));
    // The final event and the interrupted event's unbatched rest; never a batch.
    EXPECT_EQ(hits(s, this->arena, "quoted"), 2u);
}

// SQLite's lazy index: raw counts in the FTS table.
int64_t count(const std::string& path, const char* sql)
{
    sqlite3* db = nullptr;
    int64_t n = -1;
    if (sqlite3_open(path.c_str(), &db) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

class SqliteSearch : public StoreTest<SqliteBackend> {
protected:
    int64_t indexed() { return count(backend.path, "SELECT count(*) FROM events_fts"); }
};

TEST_F(SqliteSearch, AnAppendDoesNotIndexASearchDoes)
{
    std::string id = *store->create_session({ .cwd = "/w" });
    ASSERT_THAT(store->append(id, EventKind::user, user("lazyword")), IsOk());
    ASSERT_THAT(store->append(id, EventKind::assistant, user("lazyword again")), IsOk());
    EXPECT_EQ(indexed(), 0); // nothing on the append's path
    EXPECT_EQ(
        count(backend.path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'"), 0);
    EXPECT_EQ(hits(*store, arena, "lazyword"), 2u);
    EXPECT_EQ(indexed(), 2);
    EXPECT_EQ(
        count(backend.path, "SELECT indexed_upto FROM fts_state"), count(backend.path, "SELECT max(id) FROM events"));
}

TEST_F(SqliteSearch, AStoreFromSchema5KeepsEveryHitOnceAfterTheUpgrade)
{
    std::string id = *store->create_session({ .cwd = "/w" });
    ASSERT_THAT(store->append(id, EventKind::user, user("oldword one")), IsOk());
    store.reset();
    // Back to schema 5 as an older ik left it (later migrations undone): the trigger of schema 4
    // indexes each insert, no watermark.
    ASSERT_TRUE(backend.exec_raw(R"sql(
        DROP TABLE fts_state;
        DROP INDEX sessions_by_parent;
        ALTER TABLE sessions DROP COLUMN parent_id;
        ALTER TABLE sessions DROP COLUMN parent_call_id;
        DELETE FROM schema_migrations WHERE version >= 6;
        INSERT INTO events_fts(rowid, body, session_id, seq) SELECT id, json_extract(data, '$.text'), session_id, seq FROM events;
        CREATE TRIGGER events_fts_insert AFTER INSERT ON events
        WHEN new.kind NOT IN ('assistant_partial', 'usage') AND length(new.data) <= 1048576
        BEGIN
            INSERT INTO events_fts(rowid, body, session_id, seq)
            SELECT new.id, substr(b, 1, 262144), new.session_id, new.seq
            FROM (SELECT coalesce(json_extract(new.data, '$.text'), json_extract(new.data, '$.arguments')) AS b)
            WHERE b IS NOT NULL AND b <> '';
        END;
        INSERT INTO events(session_id, seq, kind, created_at, data) VALUES
            ((SELECT id FROM sessions), 2, 'assistant', 0, '{"text":"oldword two"}');
        UPDATE sessions SET event_count = 2;
    )sql"));
    ASSERT_EQ(indexed(), 2);
    store = reopen();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(count(backend.path, "SELECT count(*) FROM sqlite_master WHERE name = 'events_fts_insert'"), 0);
    EXPECT_EQ(hits(*store, arena, "oldword"), 2u); // both, neither twice
    EXPECT_EQ(indexed(), 2);
    ASSERT_THAT(store->append(id, EventKind::user, user("oldword three")), IsOk());
    EXPECT_EQ(hits(*store, arena, "oldword"), 3u);
}

} // namespace
} // namespace ik::store::test
