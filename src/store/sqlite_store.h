// ik::store::SqliteStore — the default backend: one SQLite file in WAL mode.
//
// WAL lets readers run beside one writer; every write is a short
// BEGIN IMMEDIATE transaction, so a second ik process waits (busy_timeout,
// 10 s) instead of failing with "database is locked". synchronous=NORMAL: a
// commit survives the process being killed at any moment; after a power cut
// the last few commits may be lost but the file is never corrupt
// (docs/store.md). Statements are prepared once per connection: the writes at
// open, the reads and the search on their first use.
//
// Owns its sqlite3* connection and prepared statements.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/internal/sqlite_db.h"
#include "store/internal/sqlite_wal.h"
#include "store/store.h"

namespace ik::store {

class SqliteStore final : public Store {
public:
    // Opens or creates the database at `path`, creating its directory, and
    // applies pending migrations. A database that cannot be written is an
    // ErrorCode::store error, or with Access::read_only_fallback is opened
    // read-only (it must exist and be migrated already).
    static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, Access access = Access::read_write);
    ~SqliteStore() override;

    // Only open() can make the key (construction is fallible, so it goes through open()).
    class Key {
        friend class SqliteStore;
        Key() = default;
    };
    SqliteStore(Key, internal::Db db);

    std::string_view backend() const override { return "sqlite"; }
    std::string describe() const override { return m_db.path(); }
    bool read_only() const override { return m_read_only; }

    Result<void> claim_session(std::string_view session_id) override;
    Result<std::span<const SessionInfo>> list_sessions(mem::Arena& arena, const SessionFilter& filter) override;
    Result<SessionInfo> session(mem::Arena& arena, std::string_view id) override;
    Result<std::string> resolve_id(std::string_view prefix) override;
    Result<void> load_events(std::string_view session_id, int64_t after_seq, const EventSink& sink) override;
    using Store::load_events;
    Result<std::span<const SearchHit>> search(mem::Arena& arena, std::string_view text, size_t limit) override;
    Result<int> schema_version() override;
    Result<void> check_integrity() override;
    Result<size_t> recover_interrupted() override;

protected:
    Result<int64_t> do_append(
        std::string_view session_id, EventKind kind, std::string_view data_json, std::string_view title) override;
    Result<int64_t> do_append_many(
        std::string_view session_id, std::span<const NewEvent> events, std::span<const std::string> titles) override;
    Result<std::string> do_create_session(
        const NewSession& session, std::span<const NewEvent> first, std::span<const std::string> titles) override;
    Result<int64_t> do_begin_reply(std::string_view session_id) override;
    Result<void> do_write_partial(std::string_view session_id, int64_t reply_id, std::string_view data_json) override;
    Result<int64_t> do_end_reply(std::string_view session_id, int64_t reply_id, EventKind kind,
        std::string_view data_json, std::span<const NewEvent> then, std::span<const std::string> titles) override;

private:
    struct Statements;
    static Result<std::unique_ptr<SqliteStore>> open_writable(const std::string& path);
    static Result<std::unique_ptr<SqliteStore>> open_read_only(const std::string& path);
    Result<void> migrate();
    Result<void> prepare();
    Result<void> prepare_reads(); // Statements::reads, on the first read
    // Records this process as the session's holder; inside a write
    // transaction (the caller's).
    Result<void> claim_locked(std::string_view session_id);
    // Inside a write transaction: the next seq and the event row.
    Result<int64_t> append_locked(
        std::string_view session_id, EventKind kind, std::string_view data_json, std::string_view title);
    Result<SessionInfo> read_session(mem::Arena& arena, internal::Stmt& s);
    Result<bool> wrote_partials_locked(std::string_view session_id, int64_t reply_id, int64_t after_seq);

    void release_sessions();

    internal::Db m_db;
    internal::WalPolicy m_wal;
    std::unique_ptr<Statements> m_stmts;
    bool m_read_only = false;
    std::vector<std::string> m_claims;
};

} // namespace ik::store
