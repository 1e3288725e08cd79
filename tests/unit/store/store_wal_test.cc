// The SQLite store's write-ahead log (store/internal/sqlite_wal.h): kept
// between runs while short, emptied by the store that closes it long, and
// never waited for when another connection is using the database.
#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "store/internal/sqlite_wal.h"
#include "store/store.h"
#include "support/matchers.h"
#include "unit/store/backends.h"

namespace ik::store::test {
namespace {

using ::ik::testing::IsOk;
using internal::WalPolicy;

class SqliteWal : public ::testing::Test {
protected:
    long wal_bytes() const
    {
        struct stat st { };
        return ::stat((path + "-wal").c_str(), &st) == 0 ? static_cast<long>(st.st_size) : -1;
    }
    // `count` appends, each its own commit (each adds frames to the log).
    void append(Store& store, const std::string& id, int count)
    {
        for (int i = 0; i < count; ++i)
            ASSERT_THAT(store.append(id, EventKind::user, R"({"text":"one more line of the conversation"})"), IsOk());
    }

    TempDir dir;
    std::string path = dir.path() + "/ik.db";
    mem::Arena arena{ mem::root(), "test" };
};

TEST_F(SqliteWal, AShortLogIsKeptForTheNextRunAndALongOneIsEmptiedAtClose)
{
    std::string id;
    {
        auto store = open_store("", path);
        ASSERT_THAT(store, IsOk());
        id = *(*store)->create_session({ .cwd = "/w" });
        append(**store, id, 1);
    }
    EXPECT_GT(wal_bytes(), 0) << "a few frames stay in the log";

    {
        auto store = open_store("", path);
        ASSERT_THAT(store, IsOk());
        append(**store, id, WalPolicy::frames_kept_at_close + 10); // at least one frame per commit
    }
    EXPECT_EQ(wal_bytes(), 0) << "folded into the database, the log emptied";

    auto store = open_store("", path);
    ASSERT_THAT(store, IsOk());
    auto events = (*store)->load_events(arena, id);
    ASSERT_THAT(events, IsOk());
    EXPECT_EQ(events->size(), size_t(WalPolicy::frames_kept_at_close + 11)) << "every event is in the database";
}

TEST_F(SqliteWal, AReaderElsewhereMakesCloseSkipTheCheckpointWithoutWaiting)
{
    auto store = open_store("", path);
    ASSERT_THAT(store, IsOk());
    std::string id = *(*store)->create_session({ .cwd = "/w" });
    append(**store, id, WalPolicy::frames_kept_at_close + 10);

    // Another connection in a read transaction pins the log.
    sqlite3* reader = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM events;", nullptr, nullptr, nullptr), SQLITE_OK);

    auto started = std::chrono::steady_clock::now();
    store->reset();
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_LT(took, std::chrono::seconds(5)) << "the store's busy timeout (10 s) was not waited out";
    EXPECT_GT(wal_bytes(), 0) << "the log is still needed by the reader";

    sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(reader);
    auto again = open_store("", path);
    ASSERT_THAT(again, IsOk());
    auto events = (*again)->load_events(arena, id);
    ASSERT_THAT(events, IsOk());
    EXPECT_EQ(events->size(), size_t(WalPolicy::frames_kept_at_close + 10));
}

} // namespace
} // namespace ik::store::test
