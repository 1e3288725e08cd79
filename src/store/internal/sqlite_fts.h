// Lazy full-text indexing of the SQLite store (schema 6).
//
// An append no longer indexes its event: the events past a watermark
// (fts_state.indexed_upto, the highest events.id already considered) are
// indexed in bounded batches, each its own write transaction, when a search
// is about to run. A search therefore finds everything appended before it,
// as when a trigger indexed each append, while the reply path pays nothing
// for the index. A read-only store cannot move the watermark; it indexes
// the pending events into a temporary FTS5 table of its own connection and
// searches both.
//
// Borrows the connection and its transaction statements from SqliteStore
// (which outlives it); owns its prepared statements.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "store/internal/sqlite_db.h"

namespace ik::store::internal {

class FtsIndexer {
public:
    // Events per write transaction: bounds the time a catch-up holds the
    // write lock (one batch at a time) and the memory of one statement.
    static constexpr int64_t batch_events = 256;

    static Result<FtsIndexer> prepare(Db& db);

    // Indexes every event appended since the last catch-up. Returns how
    // many events it considered (indexed or skipped: partials, usage,
    // events without text, events over 1 MiB of JSON).
    Result<int64_t> catch_up(Db& db, TxnStmts& txn);

    // For a read-only connection: fills temp.pending_fts with the events
    // past the watermark (emptied first). Returns how many it considered.
    Result<int64_t> index_pending_into_temp(Db& db);

    // The statement text of a search (?1 the FTS5 query, ?2 the limit,
    // -1 for none) over the index alone, or over the index and the
    // temporary table of index_pending_into_temp().
    static std::string_view search_sql(bool with_temp);

private:
    FtsIndexer(Stmt bounds, Stmt index, Stmt advance)
        : m_bounds(std::move(bounds))
        , m_index(std::move(index))
        , m_advance(std::move(advance))
    {
    }
    struct Bounds {
        int64_t indexed_upto;
        int64_t last_id;
    };
    Result<Bounds> bounds();
    Stmt m_bounds;
    Stmt m_index;
    Stmt m_advance;
};

} // namespace ik::store::internal
