// A sub-agent's stored session names its parent session and the parent's
// task call (migration 6): both backends write and read the link, list a
// parent's sub-agents, leave them out of what `ik -c` picks, name the parent
// in search hits, and upgrade a store written at version 5 in place.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/utf8.h"
#include "store/internal/schema.h"
#include "store/store.h"
#include "support/matchers.h"
#include "unit/store/backends.h"

namespace ik::store::test {
namespace {

using ::ik::testing::IsOk;
using ::testing::Not;

template <typename B> class SessionLinks : public StoreTest<B> {
protected:
    static bool is_sqlite() { return std::string(B::name) == "sqlite"; }
    static int latest_version()
    {
        return (is_sqlite() ? internal::sqlite_migrations() : internal::pg_migrations()).back().version;
    }
    std::vector<std::string> ids(const SessionFilter& filter)
    {
        auto list = this->store->list_sessions(this->arena, filter);
        EXPECT_THAT(list, IsOk());
        std::vector<std::string> out;
        if (list)
            for (const SessionInfo& s : *list)
                out.emplace_back(s.id);
        return out;
    }
};
TYPED_TEST_SUITE(SessionLinks, Backends, BackendNames);

std::string user(std::string_view text)
{
    return fmt::format(R"({{"text":"{}"}})", text);
}

TYPED_TEST(SessionLinks, AChildNamesItsParentAndTaskCallAndIsListedUnderIt)
{
    Store& st = *this->store;
    std::string parent = *st.create_session({ .cwd = "/w", .model = "m" });
    ASSERT_THAT(st.append(parent, EventKind::user, user("delegate the scan")), IsOk());
    std::string other = *st.create_session({ .cwd = "/w" });
    ASSERT_THAT(st.append(other, EventKind::user, user("unrelated")), IsOk());
    std::string child = *st.create_session(
        { .cwd = "/w", .model = "m", .title = "scan the tree", .parent_id = parent, .parent_call_id = "toolu_01" });
    ASSERT_THAT(st.append(child, EventKind::user, user("find every needle in the tree")), IsOk());

    auto c = st.session(this->arena, child);
    ASSERT_THAT(c, IsOk());
    EXPECT_EQ(c->parent_id, parent);
    EXPECT_EQ(c->parent_call_id, "toolu_01");
    EXPECT_EQ(c->title, "scan the tree"); // given at creation, not the first prompt
    auto p = st.session(this->arena, parent);
    ASSERT_THAT(p, IsOk());
    EXPECT_EQ(p->parent_id, "");
    EXPECT_EQ(p->parent_call_id, "");
    EXPECT_EQ(p->title, "delegate the scan");

    // The child is the most recently active, yet `ik -c` continues the parent's line.
    EXPECT_EQ(this->ids({ .cwd = "", .limit = 0 }), (std::vector<std::string>{ child, other, parent }));
    EXPECT_EQ(this->ids({ .cwd = "/w", .limit = 0, .sub_agents = SubAgentSessions::exclude }),
        (std::vector<std::string>{ other, parent }));
    EXPECT_EQ(this->ids({ .cwd = "", .limit = 0, .sub_agents = SubAgentSessions::exclude }),
        (std::vector<std::string>{ other, parent }));
    auto latest = st.latest_session(this->arena, "/w");
    ASSERT_THAT(latest, IsOk());
    ASSERT_TRUE(latest->has_value());
    EXPECT_EQ((*latest)->id, other);
    EXPECT_EQ(this->ids({ .cwd = "", .limit = 0, .parent_id = parent }), (std::vector<std::string>{ child }));
    EXPECT_EQ(this->ids({ .cwd = "", .limit = 0, .parent_id = other }), std::vector<std::string>{});

    // A second sub-agent; the parent's listing has both, most recent first.
    std::string second = *st.create_session({ .cwd = "/w", .parent_id = parent, .parent_call_id = "toolu_02" });
    ASSERT_THAT(st.append(second, EventKind::user, user("second task")), IsOk());
    EXPECT_EQ(this->ids({ .cwd = "", .limit = 0, .parent_id = parent }), (std::vector<std::string>{ second, child }));
    EXPECT_EQ(this->ids({ .cwd = "", .limit = 1, .parent_id = parent }), (std::vector<std::string>{ second }));

    // Search hits name the parent of a sub-agent's session.
    auto hits = st.search(this->arena, "needle");
    ASSERT_THAT(hits, IsOk());
    ASSERT_EQ(hits->size(), 1u);
    EXPECT_EQ((*hits)[0].session_id, child);
    EXPECT_EQ((*hits)[0].parent_id, parent);
    hits = st.search(this->arena, "delegate");
    ASSERT_THAT(hits, IsOk());
    ASSERT_EQ(hits->size(), 1u);
    EXPECT_EQ((*hits)[0].parent_id, "");
    EXPECT_THAT(st.check_integrity(), IsOk());

    // The link survives a reopen.
    this->store.reset();
    this->store = this->reopen();
    ASSERT_NE(this->store, nullptr);
    EXPECT_EQ(this->store->session(this->arena, second)->parent_call_id, "toolu_02");
}

TYPED_TEST(SessionLinks, AParentMustExist)
{
    EXPECT_THAT(
        this->store->create_session({ .cwd = "/w", .parent_id = "0123456789ab", .parent_call_id = "c" }), Not(IsOk()));
    EXPECT_TRUE(this->ids({ .cwd = "", .limit = 0 }).empty());
}

// A title given at creation (the model's task description) is one line of
// valid UTF-8 at most 80 columns, however it arrives: PostgreSQL refuses a
// text that ends inside a character.
TYPED_TEST(SessionLinks, AGivenTitleIsOneValidLine)
{
    std::string parent = *this->store->create_session({ .cwd = "/w" });
    std::string cut = "  scan \xc3\xa9t\xc3"; // ends inside "é"
    auto first = this->store->create_session({ .cwd = "/w", .title = cut, .parent_id = parent });
    ASSERT_THAT(first, IsOk());
    std::string_view title = this->store->session(this->arena, *first)->title;
    EXPECT_TRUE(utf8::is_valid(title));
    EXPECT_TRUE(title.starts_with("scan \xc3\xa9t")) << title;
    std::string lines = "first line\nsecond line\x1b[31m" + std::string(200, 'x');
    auto second = this->store->create_session({ .cwd = "/w", .title = lines, .parent_id = parent });
    ASSERT_THAT(second, IsOk());
    EXPECT_EQ(this->store->session(this->arena, *second)->title, "first line");
    auto third = this->store->create_session({ .cwd = "/w", .title = std::string(500, 'y'), .parent_id = parent });
    ASSERT_THAT(third, IsOk());
    EXPECT_EQ(this->store->session(this->arena, *third)->title, std::string(80, 'y'));
}

// A store written by the version before (schema 5, its own migrations'
// SQL, rows as that version wrote them) is upgraded in place when opened.
TYPED_TEST(SessionLinks, AVersion5StoreUpgradesInPlace)
{
    this->store.reset();
    if constexpr (std::is_same_v<TypeParam, SqliteBackend>) {
        for (const char* suffix : { "", "-wal", "-shm" }) // the WAL persists (sqlite_store.cc)
            std::filesystem::remove(this->backend.path + suffix);
    } else {
        ASSERT_TRUE(this->backend.exec_raw(
            "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public"));
    }
    std::string sql = "CREATE TABLE schema_migrations(version integer PRIMARY KEY, description text NOT NULL, "
                      "applied_at bigint NOT NULL);";
    for (const internal::Migration& m : this->is_sqlite() ? internal::sqlite_migrations() : internal::pg_migrations()) {
        if (m.version > 5)
            break;
        sql += fmt::format("{}\nINSERT INTO schema_migrations VALUES({}, 'v{}', 0);\n", m.sql, m.version, m.version);
    }
    std::string activity = this->is_sqlite() ? "1" : "nextval('ik_activity')";
    sql += fmt::format("INSERT INTO sessions(id, created_at, updated_at, activity, cwd, title, model, event_count) "
                       "VALUES('00000000000a', 1, 1, {}, '/w', 'old one', 'm', 1);"
                       "INSERT INTO events(session_id, seq, kind, created_at, data) "
                       "VALUES('00000000000a', 1, 'user', 1, '{{\"text\":\"an old needle\"}}');",
        activity);
    ASSERT_TRUE(this->backend.exec_raw(sql));

    this->store = this->reopen();
    ASSERT_NE(this->store, nullptr);
    Store& st = *this->store;
    EXPECT_EQ(*st.schema_version(), this->latest_version());
    auto old = st.session(this->arena, "00000000000a");
    ASSERT_THAT(old, IsOk());
    EXPECT_EQ(old->title, "old one");
    EXPECT_EQ(old->event_count, 1);
    EXPECT_EQ(old->parent_id, "");
    EXPECT_EQ(st.search(this->arena, "needle")->size(), 1u);
    // An old session can be a parent now.
    ASSERT_THAT(st.append("00000000000a", EventKind::user, user("more")), IsOk());
    auto child = st.create_session({ .cwd = "/w", .parent_id = "00000000000a", .parent_call_id = "t1" });
    ASSERT_THAT(child, IsOk());
    ASSERT_THAT(st.append(*child, EventKind::user, user("sub")), IsOk());
    EXPECT_EQ(this->ids({ .cwd = "", .limit = 0, .parent_id = "00000000000a" }), std::vector<std::string>{ *child });
    EXPECT_EQ((*st.latest_session(this->arena, "/w"))->id, "00000000000a");
    EXPECT_THAT(st.check_integrity(), IsOk());
}

} // namespace
} // namespace ik::store::test
