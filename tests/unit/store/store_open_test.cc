// open_store(): choosing the backend, default paths, and clear errors.
#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/store.h"
#include "support/matchers.h"
#include "unit/store/backends.h"

namespace ik::store::test {
namespace {

using ::ik::testing::HasError;
using ::ik::testing::HasErrorMessage;
using ::ik::testing::IsOk;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// Sets an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value)
        : m_name(name)
    {
        if (const char* old = std::getenv(name))
            m_old = old;
        if (value)
            setenv(name, value, 1);
        else
            unsetenv(name);
    }
    ~ScopedEnv()
    {
        if (m_old)
            setenv(m_name, m_old->c_str(), 1);
        else
            unsetenv(m_name);
    }

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

TEST(OpenStore, DefaultPathFollowsXdgDataHome)
{
    {
        ScopedEnv xdg("XDG_DATA_HOME", "/data/home");
        EXPECT_EQ(default_sqlite_path(), "/data/home/ik/ik.db");
    }
    ScopedEnv xdg("XDG_DATA_HOME", nullptr);
    ScopedEnv home("HOME", "/home/someone");
    EXPECT_EQ(default_sqlite_path(), "/home/someone/.local/share/ik/ik.db");
}

TEST(OpenStore, CreatesDirectoriesAndUsesWal)
{
    TempDir dir;
    std::string path = dir.path() + "/a/b/ik.db";
    auto store = open_store("", path);
    ASSERT_THAT(store, IsOk());
    EXPECT_EQ((*store)->backend(), "sqlite");
    EXPECT_EQ((*store)->describe(), path);
    struct stat st { };
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u); // conversations are private
    ASSERT_EQ(stat((path + "-wal").c_str(), &st), 0);
}

TEST(OpenStore, EmptyPathMeansDefaultLocation)
{
    TempDir dir;
    ScopedEnv xdg("XDG_DATA_HOME", dir.path().c_str());
    auto store = open_store("", "");
    ASSERT_THAT(store, IsOk());
    EXPECT_EQ((*store)->describe(), dir.path() + "/ik/ik.db");
}

TEST(OpenStore, UnusablePathIsAClearError)
{
    TempDir dir;
    std::string file = dir.path() + "/file";
    FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("not a database, and long enough to have a header that is clearly not SQLite's.....", f);
    std::fclose(f);
    EXPECT_THAT(open_store("", file + "/ik.db"), HasError(ErrorCode::store));
    EXPECT_THAT(open_store("", file), AllOf(HasError(ErrorCode::store), HasErrorMessage(HasSubstr(file))));
}

TEST(OpenStore, BadDatabaseUrlIsAClearError)
{
    EXPECT_THAT(open_store("mysql://root@localhost/ik", ""),
        AllOf(HasError(ErrorCode::invalid_argument), HasErrorMessage(HasSubstr("not a PostgreSQL URL"))));
    EXPECT_THAT(open_store("postgresql://ik@127.0.0.1:5432/db?nosuchoption=1", ""),
        AllOf(HasError(ErrorCode::invalid_argument), HasErrorMessage(HasSubstr("invalid PostgreSQL database URL"))));
}

TEST(OpenStore, UnreachableServerNamesItWithoutThePassword)
{
    // Port 1 on loopback: nothing listens there.
    auto store = open_store("postgresql://ik:s3cret@127.0.0.1:1/ik?connect_timeout=2", "");
    EXPECT_THAT(store,
        AllOf(HasError(ErrorCode::store), HasErrorMessage(HasSubstr("cannot connect to PostgreSQL at")),
            HasErrorMessage(HasSubstr("ik:***@127.0.0.1:1")), HasErrorMessage(Not(HasSubstr("s3cret")))));
}

TEST(OpenStore, EventKindNamesRoundTrip)
{
    for (size_t i = 0; i < event_kind_count; ++i) {
        auto kind = static_cast<EventKind>(i);
        EXPECT_EQ(parse_event_kind(to_string(kind)), kind);
    }
    EXPECT_EQ(parse_event_kind("nonsense"), std::nullopt);
    EXPECT_EQ(to_string(EventKind::assistant_partial), "assistant_partial");
}

} // namespace
} // namespace ik::store::test

namespace ik::store::test {
namespace {

// chattr +i for one scope; ok() is false where the file system or the
// process's capabilities do not allow it.
class Immutable {
public:
    explicit Immutable(std::string path)
        : m_path(std::move(path))
    {
        m_ok = std::system(("chattr +i '" + m_path + "' 2>/dev/null").c_str()) == 0;
    }
    ~Immutable()
    {
        if (m_ok)
            (void)std::system(("chattr -i '" + m_path + "'").c_str());
    }
    Immutable(const Immutable&) = delete;
    Immutable& operator=(const Immutable&) = delete;
    bool ok() const { return m_ok; }

private:
    std::string m_path;
    bool m_ok = false;
};

TEST(OpenStore, AStoreThatCannotBeWrittenIsAStoreErrorOrOpensReadOnlyForReaders)
{
    TempDir dir;
    std::string path = dir.path() + "/ik.db";
    std::string id;
    {
        auto store = open_store("", path);
        ASSERT_THAT(store, IsOk());
        id = *(*store)->create_session({ .cwd = "/w" });
        ASSERT_THAT((*store)->append(id, EventKind::user, R"({"text":"kept"})"), IsOk());
    }
    Immutable file(path);
    Immutable folder(dir.path()); // not even SQLite's -shm file can be made
    if (!file.ok() || !folder.ok())
        GTEST_SKIP() << "chattr +i is not available here";

    EXPECT_THAT(open_store("", path), AllOf(HasError(ErrorCode::store), HasErrorMessage(HasSubstr("read-only"))));

    auto reader = open_store("", path, { .access = Access::read_only_fallback });
    ASSERT_THAT(reader, IsOk());
    EXPECT_TRUE((*reader)->read_only());
    mem::Arena arena(mem::root(), "test");
    auto events = (*reader)->load_events(arena, id);
    ASSERT_THAT(events, IsOk());
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ(events->front().data, R"({"text":"kept"})");
    // Never searched by the writer, so not indexed yet: the reader indexes
    // it into a temporary table of its own and finds it.
    auto found = (*reader)->search(arena, "kept", 0);
    ASSERT_THAT(found, IsOk());
    EXPECT_EQ(found->size(), 1u);
    EXPECT_THAT((*reader)->append(id, EventKind::user, R"({"text":"lost"})"), HasError(ErrorCode::store));
}

TEST(OpenStore, ReadersFallBackOnlyForAnExistingStore)
{
    TempDir dir;
    std::string file = dir.path() + "/file";
    std::fclose(std::fopen(file.c_str(), "w"));
    EXPECT_THAT(open_store("", file + "/ik.db", { .access = Access::read_only_fallback }), HasError(ErrorCode::store));
}

} // namespace
} // namespace ik::store::test
