// The two store backends as test parameters for the one contract suite
// (store_contract_test.cc). Each gives a fresh, empty store location per test
// and a way to run raw SQL (to simulate a newer schema).
#pragma once

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store/internal/schema.h"
#include "store/store.h"
#include "support/pg_fixture.h"

namespace ik::store::test {

// A temporary directory removed with its contents.
class TempDir {
public:
    TempDir()
    {
        char tmpl[] = "/tmp/ik-store-XXXXXX";
        m_path = mkdtemp(tmpl) ? tmpl : "";
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

struct SqliteBackend {
    static constexpr const char* name = "sqlite";
    static int latest_version() { return internal::sqlite_migrations().back().version; }
    TempDir dir;
    std::string path = dir.path() + "/data/ik.db";

    // Returns false (after GTEST_SKIP/FAIL) when the backend is unusable.
    bool setup() { return !dir.path().empty(); }
    std::string url() const { return ""; }
    Result<std::unique_ptr<Store>> open() const { return open_store("", path); }
    bool exec_raw(const std::string& sql) const
    {
        sqlite3* db = nullptr;
        bool ok = sqlite3_open(path.c_str(), &db) == SQLITE_OK
            && sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
        sqlite3_close(db);
        return ok;
    }
};

struct PgBackend {
    static constexpr const char* name = "postgresql";
    static int latest_version() { return internal::pg_migrations().back().version; }
    std::string database_url;

    std::string url() const { return database_url; }
    Result<std::unique_ptr<Store>> open() const { return open_store(database_url, ""); }
    bool exec_raw(const std::string& sql) const
    {
        PGconn* c = PQconnectdb(database_url.c_str());
        PGresult* r = PQexec(c, sql.c_str());
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
        PQclear(r);
        PQfinish(c);
        return ok;
    }
};

} // namespace ik::store::test

namespace ik::store::test {

// Opens a fresh store of the backend in SetUp; PostgreSQL tests FAIL when
// the server cannot start, and skip only with IK_SKIP_PG=1.
template <typename B> class StoreTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        if constexpr (std::is_same_v<B, PgBackend>) {
            ::ik::testing::PgStatus pg = ::ik::testing::shared_pg();
            if (pg.skip)
                GTEST_SKIP() << pg.why;
            ASSERT_NE(pg.server, nullptr) << "PostgreSQL test server: " << pg.why;
            Result<std::string> url = pg.server->create_database();
            ASSERT_TRUE(url.has_value()) << url.error().to_string();
            backend.database_url = *url;
        } else {
            ASSERT_TRUE(backend.setup());
        }
        Result<std::unique_ptr<Store>> s = backend.open();
        ASSERT_TRUE(s.has_value()) << s.error().to_string();
        store = std::move(*s);
    }

    std::unique_ptr<Store> reopen()
    {
        Result<std::unique_ptr<Store>> s = backend.open();
        EXPECT_TRUE(s.has_value()) << s.error().to_string();
        return s ? std::move(*s) : nullptr;
    }

    B backend;
    std::unique_ptr<Store> store;
    mem::Arena arena{ mem::root(), "test" };
};

using Backends = ::testing::Types<SqliteBackend, PgBackend>;

struct BackendNames {
    template <typename T> static std::string GetName(int) { return T::name; }
};

} // namespace ik::store::test
