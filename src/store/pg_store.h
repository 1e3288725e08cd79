// ik::store::PgStore — the PostgreSQL backend (libpq), for history shared
// across machines.
//
// Each append is one statement: a data-modifying CTE that bumps the
// session's event_count (taking the session row's lock, so concurrent
// writers to one session get consecutive seqs, race-free) and inserts the
// event with that seq. It commits on return (synchronous_commit as the
// server is configured: on by default, so durable on disk). An open reply is
// guarded by a session-level advisory lock held by the writing connection:
// when that process dies, its connection ends and the lock is released, so
// another process can tell a dead reply from a live one on any machine. A
// claimed session is held the same way (an advisory lock keyed by the
// session id, plus a session_locks row that names the holder).
//
// Faults. Every connect and statement is bounded by OpenOptions::timeout
// (pg_conn.h). When the connection is lost (the server restarted, the
// network broke), the next write reconnects, restores the session state
// (prepared statements, advisory locks, claims) and is retried, unless the
// lost attempt had committed: this process holds the session, so the
// session's event count tells whether it did, and no event is written twice.
//
// Owns its PGconn*.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/internal/pg_conn.h"
#include "store/store.h"

namespace ik::store {

class PgStore final : public Store {
public:
    // Connects to `url` (postgres://, postgresql:// or key=value) and applies
    // pending migrations.
    static Result<std::unique_ptr<PgStore>> open(std::string_view url, const OpenOptions& options = {});
    ~PgStore() override;

    class Key {
        friend class PgStore;
        Key() = default;
    };
    PgStore(Key, internal::PgConn conn);

    std::string_view backend() const override { return "postgresql"; }
    std::string describe() const override { return m_conn.redacted_url(); }

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
    // The search column is generated from one row: final events repeat the text.
    bool joins_batches_in_search() const override { return false; }
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
    Result<void> migrate();
    // Settings and prepared statements of a new connection.
    Result<void> setup();
    Result<void> prepare();
    // After a lost connection: a new one with this process's locks and claims.
    Result<void> reconnect();
    // Takes the session's advisory lock and names this process in its row.
    Result<void> lock_session(std::string_view session_id);
    void release_sessions();
    Result<int64_t> event_count(std::string_view session_id);
    Result<int64_t> append_with(const char* statement, std::string_view session_id, EventKind kind,
        std::string_view data_json, std::string_view title, int64_t reply_id);
    // Runs `write`, which appends `count` events to `session_id` and returns
    // the last seq; on a lost connection reconnects and runs it again unless
    // the lost attempt committed.
    Result<int64_t> write_retrying(
        std::string_view session_id, int64_t count, const std::function<Result<int64_t>()>& write);
    // Runs `read`; on a lost connection reconnects and runs it once more.
    template <typename T> Result<T> read_retrying(const std::function<Result<T>()>& read);
    Result<bool> recover_one(int64_t reply_id);

    internal::PgConn m_conn;
    // Claimed sessions and the last seq this process knows each to have.
    std::map<std::string, int64_t, std::less<>> m_claims;
    std::vector<int64_t> m_reply_locks; // open replies whose advisory lock this connection holds
};

} // namespace ik::store
