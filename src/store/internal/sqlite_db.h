// Thin RAII owners for SQLite handles, with errors as values.
//
// Db owns one sqlite3* connection; Stmt owns one prepared statement and
// resets it when a Use goes out of scope, so no statement keeps a read
// transaction open between calls (which would block the writers of other
// processes). Text columns are borrowed from SQLite and valid until the next
// step or reset.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "core/result.h"

namespace ik::store::internal {

class Db {
public:
    enum class Mode {
        read_write, // created when missing
        read_only, // SQLite's locking still applies (needs the -shm file or a writable directory)
        immutable, // no locking at all: for a store nothing can write (an immutable file or directory)
    };
    static Result<Db> open(const std::string& path, Mode mode = Mode::read_write);
    Db(Db&&) noexcept = default;
    Db& operator=(Db&&) noexcept = default;

    sqlite3* get() const { return m_db.get(); }
    // Runs one or more statements without results.
    Result<void> exec(std::string_view sql);
    // The error of the last call, prefixed with `what`.
    Error error(std::string_view what) const;
    const std::string& path() const { return m_path; }

private:
    struct Close {
        void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
    };
    Db(sqlite3* db, std::string path)
        : m_db(db)
        , m_path(std::move(path))
    {
    }
    std::unique_ptr<sqlite3, Close> m_db;
    std::string m_path;
};

class Stmt {
public:
    static Result<Stmt> prepare(Db& db, std::string_view sql);
    Stmt(Stmt&&) noexcept = default;
    Stmt& operator=(Stmt&&) noexcept = default;

    // Binding and stepping; reset() clears bindings too.
    Stmt& bind(int index, std::string_view text);
    Stmt& bind(int index, int64_t value);
    // SQLITE_ROW -> true, SQLITE_DONE -> false, else an error.
    Result<bool> step();
    void reset();

    std::string_view text(int column) const;
    int64_t integer(int column) const;
    double real(int column) const;

private:
    struct Finalize {
        void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
    };
    Stmt(Db& db, sqlite3_stmt* s)
        : m_db(&db)
        , m_stmt(s)
    {
    }
    Db* m_db;
    std::unique_ptr<sqlite3_stmt, Finalize> m_stmt;
};

// Resets a statement when the scope ends.
class ResetGuard {
public:
    explicit ResetGuard(Stmt& s)
        : m_stmt(s)
    {
    }
    ~ResetGuard() { m_stmt.reset(); }
    ResetGuard(const ResetGuard&) = delete;
    ResetGuard& operator=(const ResetGuard&) = delete;

private:
    Stmt& m_stmt;
};

// The three statements a write transaction needs, prepared once.
struct TxnStmts {
    static Result<TxnStmts> prepare(Db& db);
    Stmt begin;
    Stmt commit;
    Stmt rollback;
};

// A write transaction (BEGIN IMMEDIATE: takes the write lock up front, so a
// busy database is waited for by busy_timeout instead of failing mid-way).
// Rolls back unless commit() succeeded.
class WriteTxn {
public:
    static Result<WriteTxn> begin(Db& db, TxnStmts& stmts);
    WriteTxn(WriteTxn&& o) noexcept
        : m_db(o.m_db)
        , m_stmts(o.m_stmts)
    {
        o.m_db = nullptr;
    }
    WriteTxn& operator=(WriteTxn&&) = delete;
    ~WriteTxn();
    Result<void> commit();

private:
    WriteTxn(Db& db, TxnStmts& stmts)
        : m_db(&db)
        , m_stmts(&stmts)
    {
    }
    void rollback();
    Db* m_db;
    TxnStmts* m_stmts;
};

} // namespace ik::store::internal
