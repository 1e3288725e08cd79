#include "store/internal/sqlite_fts.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

namespace ik::store::internal {

namespace {

// What the trigger of schema 4 indexed, for the ids in (?1, ?2]: the "text"
// field (else "arguments") of every event but partials and usage, its first
// 256 KiB, and nothing of an event over 1 MiB of JSON (docs/store.md). The
// filters come before json_extract so that skipped events are not parsed.
// An event that refers to its reply's batches ("partials": a long or an
// interrupted reply, records.h) is indexed as the batches joined, in order,
// then its own text: the text it stands for, as if it carried it.
std::string index_sql(std::string_view table)
{
    return fmt::format(R"sql(
INSERT INTO {}(rowid, body, session_id, seq)
SELECT id, substr(b, 1, 262144), session_id, seq
FROM (SELECT id, session_id, seq,
             CASE WHEN kind IN ('assistant', 'interrupted') AND json_extract(data, '$.partials') THEN
                 coalesce((SELECT group_concat(t, '') FROM (
                     SELECT json_extract(p.data, '$.text') AS t FROM events p
                     WHERE p.session_id = e.session_id AND p.seq < e.seq AND p.kind = 'assistant_partial'
                       AND json_extract(p.data, '$.reply') = json_extract(e.data, '$.reply')
                     ORDER BY p.seq)), '') || coalesce(json_extract(data, '$.text'), '')
             ELSE coalesce(json_extract(data, '$.text'), json_extract(data, '$.arguments')) END AS b
      FROM events e
      WHERE id > ?1 AND id <= ?2 AND kind NOT IN ('assistant_partial', 'usage') AND length(data) <= 1048576)
WHERE b IS NOT NULL AND b <> '')sql",
        table);
}

constexpr std::string_view search_indexed = R"sql(
SELECT f.session_id, f.seq, e.kind, e.created_at, snippet(events_fts, 0, '**', '**', '…', 12), s.title, s.cwd,
    s.parent_id
FROM events_fts f JOIN events e ON e.id = f.rowid JOIN sessions s ON s.id = f.session_id
WHERE events_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2)sql";

constexpr std::string_view search_with_temp = R"sql(
SELECT f.session_id, f.seq, e.kind, e.created_at, f.snip, s.title, s.cwd, s.parent_id
FROM (SELECT rowid AS r, session_id, seq, snippet(events_fts, 0, '**', '**', '…', 12) AS snip
      FROM events_fts WHERE events_fts MATCH ?1
      UNION ALL
      SELECT rowid, session_id, seq, snippet(pending_fts, 0, '**', '**', '…', 12)
      FROM temp.pending_fts WHERE pending_fts MATCH ?1) f
JOIN events e ON e.id = f.r JOIN sessions s ON s.id = f.session_id
ORDER BY f.r DESC LIMIT ?2)sql";

} // namespace

Result<FtsIndexer> FtsIndexer::prepare(Db& db)
{
    Stmt bounds
        = TRY(Stmt::prepare(db, "SELECT indexed_upto, (SELECT coalesce(max(id), 0) FROM events) FROM fts_state"));
    Stmt index = TRY(Stmt::prepare(db, index_sql("events_fts")));
    Stmt advance = TRY(Stmt::prepare(db, "UPDATE fts_state SET indexed_upto = ?1"));
    return FtsIndexer(std::move(bounds), std::move(index), std::move(advance));
}

Result<FtsIndexer::Bounds> FtsIndexer::bounds()
{
    ResetGuard guard(m_bounds);
    if (!TRY(m_bounds.step()))
        return fail(ErrorCode::store, "the full-text index has no watermark (fts_state is empty)");
    return Bounds{ .indexed_upto = m_bounds.integer(0), .last_id = m_bounds.integer(1) };
}

Result<int64_t> FtsIndexer::catch_up(Db& db, TxnStmts& txn)
{
    int64_t considered = 0;
    for (;;) {
        // Read outside a transaction first: a search with nothing pending
        // (the common case) takes no write lock.
        Bounds b = TRY(bounds());
        if (b.indexed_upto >= b.last_id)
            return considered;
        WriteTxn t = TRY(WriteTxn::begin(db, txn));
        b = TRY(bounds()); // another process may have indexed meanwhile
        if (b.indexed_upto >= b.last_id)
            return considered;
        int64_t upto = std::min(b.last_id, b.indexed_upto + batch_events);
        {
            ResetGuard guard(m_index);
            TRY_CONTEXT(m_index.bind(1, b.indexed_upto).bind(2, upto).step(), "while indexing events {}..{}",
                b.indexed_upto + 1, upto);
        }
        {
            ResetGuard guard(m_advance);
            TRY(m_advance.bind(1, upto).step());
        }
        TRY(t.commit());
        considered += upto - b.indexed_upto;
    }
}

Result<int64_t> FtsIndexer::index_pending_into_temp(Db& db)
{
    TRY(db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.pending_fts USING fts5("
                "body, session_id UNINDEXED, seq UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'); "
                "DELETE FROM temp.pending_fts"));
    Bounds b = TRY(bounds());
    if (b.indexed_upto >= b.last_id)
        return 0;
    Stmt index = TRY(Stmt::prepare(db, index_sql("temp.pending_fts")));
    for (int64_t from = b.indexed_upto; from < b.last_id; from += batch_events) {
        ResetGuard guard(index);
        TRY(index.bind(1, from).bind(2, std::min(b.last_id, from + batch_events)).step());
    }
    return b.last_id - b.indexed_upto;
}

std::string_view FtsIndexer::search_sql(bool with_temp)
{
    return with_temp ? search_with_temp : search_indexed;
}

} // namespace ik::store::internal
