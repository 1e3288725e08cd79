#include "store/internal/schema.h"

#include <array>

namespace ik::store::internal {

namespace {

// `activity` orders sessions by their last write without depending on clock
// resolution: every write takes the next value of a store-wide counter.
constexpr std::string_view sqlite_v1 = R"sql(
CREATE TABLE sessions(
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    activity INTEGER NOT NULL,
    cwd TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    event_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_activity ON sessions(activity DESC);
CREATE INDEX sessions_by_cwd ON sessions(cwd, activity DESC);
CREATE TABLE events(
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    data TEXT NOT NULL,
    UNIQUE(session_id, seq)
);
CREATE TABLE open_replies(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    owner TEXT NOT NULL,
    after_seq INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
)sql";

// The FTS table keeps its own copy of the indexed text so that snippet()
// works; partial replies and usage are not indexed (the final event repeats
// the text).
constexpr std::string_view sqlite_v2 = R"sql(
CREATE VIRTUAL TABLE events_fts USING fts5(
    body, session_id UNINDEXED, seq UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER events_fts_insert AFTER INSERT ON events
WHEN new.kind NOT IN ('assistant_partial', 'usage')
BEGIN
    INSERT INTO events_fts(rowid, body, session_id, seq)
    SELECT new.id, b, new.session_id, new.seq
    FROM (SELECT coalesce(json_extract(new.data, '$.text'), json_extract(new.data, '$.arguments')) AS b)
    WHERE b IS NOT NULL AND b <> '';
END;
INSERT INTO events_fts(rowid, body, session_id, seq)
SELECT id, b, session_id, seq
FROM (SELECT id, session_id, seq, kind,
             coalesce(json_extract(data, '$.text'), json_extract(data, '$.arguments')) AS b FROM events)
WHERE kind NOT IN ('assistant_partial', 'usage') AND b IS NOT NULL AND b <> '';
)sql";

constexpr std::string_view pg_v1 = R"sql(
CREATE SEQUENCE ik_activity;
CREATE TABLE sessions(
    id text PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    activity bigint NOT NULL,
    cwd text NOT NULL,
    title text NOT NULL DEFAULT '',
    model text NOT NULL DEFAULT '',
    event_count bigint NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_activity ON sessions(activity DESC);
CREATE INDEX sessions_by_cwd ON sessions(cwd, activity DESC);
CREATE TABLE events(
    id bigserial PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions(id),
    seq bigint NOT NULL,
    kind text NOT NULL,
    created_at bigint NOT NULL,
    data text NOT NULL,
    UNIQUE(session_id, seq)
);
CREATE TABLE open_replies(
    id bigserial PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions(id),
    owner text NOT NULL,
    after_seq bigint NOT NULL,
    started_at bigint NOT NULL,
    updated_at bigint NOT NULL
);
)sql";

// 'simple' configuration: no stemming and no stop words, like FTS5's
// unicode61, so both backends find the same words (code identifiers too).
constexpr std::string_view pg_v2 = R"sql(
ALTER TABLE events ADD COLUMN body tsvector GENERATED ALWAYS AS (
    CASE WHEN kind IN ('assistant_partial', 'usage') THEN NULL
         ELSE to_tsvector('simple', coalesce(data::jsonb ->> 'text', data::jsonb ->> 'arguments', ''))
    END) STORED;
CREATE INDEX events_body ON events USING GIN (body);
)sql";

// One live process per session: the row names the holder (host, pid and
// start time, as open_replies.owner). SQLite decides liveness from the row;
// PostgreSQL from an advisory lock held by the holder's connection, the row
// only names it.
constexpr std::string_view sqlite_v3 = R"sql(
CREATE TABLE session_locks(
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    owner TEXT NOT NULL,
    acquired_at INTEGER NOT NULL
);
)sql";

constexpr std::string_view pg_v3 = R"sql(
CREATE TABLE session_locks(
    session_id text PRIMARY KEY REFERENCES sessions(id),
    owner text NOT NULL,
    acquired_at bigint NOT NULL
);
)sql";

// Only the first 256 KiB of an event's text is indexed, and in SQLite only
// events whose JSON is at most 1 MiB: indexing an 8 MiB reply cost SQLite
// (json_extract, the trigger's copies, FTS5's position lists) about 9 bytes
// per byte of text (docs/perf.md), and a PostgreSQL tsvector over 1 MiB is
// an error that would fail the append.
constexpr std::string_view sqlite_v4 = R"sql(
DROP TRIGGER events_fts_insert;
CREATE TRIGGER events_fts_insert AFTER INSERT ON events
WHEN new.kind NOT IN ('assistant_partial', 'usage') AND length(new.data) <= 1048576
BEGIN
    INSERT INTO events_fts(rowid, body, session_id, seq)
    SELECT new.id, substr(b, 1, 262144), new.session_id, new.seq
    FROM (SELECT coalesce(json_extract(new.data, '$.text'), json_extract(new.data, '$.arguments')) AS b)
    WHERE b IS NOT NULL AND b <> '';
END;
)sql";

constexpr std::string_view pg_v4 = R"sql(
DROP INDEX events_body;
ALTER TABLE events DROP COLUMN body;
ALTER TABLE events ADD COLUMN body tsvector GENERATED ALWAYS AS (
    CASE WHEN kind IN ('assistant_partial', 'usage') THEN NULL
         ELSE to_tsvector('simple', left(coalesce(data::jsonb ->> 'text', data::jsonb ->> 'arguments', ''), 262144))
    END) STORED;
CREATE INDEX events_body ON events USING GIN (body);
)sql";

// Each session's token and cost totals, kept on its row by a trigger on
// every `usage` event, so that `ik sessions` stays a walk of the sessions
// index (docs/perf.md) instead of summing events per listing. Sessions
// written before are summed once, here.
constexpr std::string_view sqlite_v5 = R"sql(
ALTER TABLE sessions ADD COLUMN tokens_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN tokens_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
UPDATE sessions SET
    tokens_in = (SELECT coalesce(sum(json_extract(data, '$.input')), 0) FROM events e
                 WHERE e.session_id = sessions.id AND e.kind = 'usage'),
    tokens_out = (SELECT coalesce(sum(json_extract(data, '$.output')), 0) FROM events e
                  WHERE e.session_id = sessions.id AND e.kind = 'usage'),
    cost_usd = (SELECT coalesce(sum(json_extract(data, '$.cost_usd')), 0.0) FROM events e
                WHERE e.session_id = sessions.id AND e.kind = 'usage');
CREATE TRIGGER sessions_usage AFTER INSERT ON events
WHEN new.kind = 'usage'
BEGIN
    UPDATE sessions SET
        tokens_in = tokens_in + coalesce(json_extract(new.data, '$.input'), 0),
        tokens_out = tokens_out + coalesce(json_extract(new.data, '$.output'), 0),
        cost_usd = cost_usd + coalesce(json_extract(new.data, '$.cost_usd'), 0.0)
    WHERE id = new.session_id;
END;
)sql";

constexpr std::string_view pg_v5 = R"sql(
ALTER TABLE sessions ADD COLUMN tokens_in bigint NOT NULL DEFAULT 0,
    ADD COLUMN tokens_out bigint NOT NULL DEFAULT 0,
    ADD COLUMN cost_usd double precision NOT NULL DEFAULT 0;
UPDATE sessions s SET tokens_in = u.tokens_in, tokens_out = u.tokens_out, cost_usd = u.cost_usd
FROM (SELECT session_id,
             sum(coalesce((data::jsonb ->> 'input')::bigint, 0)) AS tokens_in,
             sum(coalesce((data::jsonb ->> 'output')::bigint, 0)) AS tokens_out,
             sum(coalesce((data::jsonb ->> 'cost_usd')::double precision, 0)) AS cost_usd
      FROM events WHERE kind = 'usage' GROUP BY session_id) u
WHERE s.id = u.session_id;
CREATE FUNCTION ik_sessions_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sessions SET
        tokens_in = tokens_in + coalesce((NEW.data::jsonb ->> 'input')::bigint, 0),
        tokens_out = tokens_out + coalesce((NEW.data::jsonb ->> 'output')::bigint, 0),
        cost_usd = cost_usd + coalesce((NEW.data::jsonb ->> 'cost_usd')::double precision, 0)
    WHERE id = NEW.session_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER sessions_usage AFTER INSERT ON events
FOR EACH ROW WHEN (NEW.kind = 'usage') EXECUTE FUNCTION ik_sessions_usage();
)sql";

// Full-text indexing leaves the append: the trigger ran json_extract and FTS5
// inside every append's transaction (12-15 bytes of SQLite heap per byte of a
// reply's text at its final event, and a large share of an append's CPU;
// docs/perf.md). Events past fts_state.indexed_upto (the highest events.id
// already considered) are indexed in batches before a search runs
// (internal/sqlite_fts.h). Ids only grow (events are never deleted and SQLite
// has one writer), so the watermark cannot skip an event. Everything written
// before was indexed by the trigger.
constexpr std::string_view sqlite_v6 = R"sql(
DROP TRIGGER events_fts_insert;
CREATE TABLE fts_state(
    one INTEGER PRIMARY KEY CHECK (one = 1),
    indexed_upto INTEGER NOT NULL
);
INSERT INTO fts_state VALUES(1, (SELECT coalesce(max(id), 0) FROM events));
)sql";

// A sub-agent's session names the session whose `task` call started it and
// that call's id; both NULL for a top-level session. The partial index
// serves `ik sessions show PARENT` (its sub-agents) and stays empty in a store
// without sub-agents.
constexpr std::string_view sqlite_v7 = R"sql(
ALTER TABLE sessions ADD COLUMN parent_id TEXT REFERENCES sessions(id);
ALTER TABLE sessions ADD COLUMN parent_call_id TEXT;
CREATE INDEX sessions_by_parent ON sessions(parent_id, activity DESC) WHERE parent_id IS NOT NULL;
)sql";

constexpr std::string_view pg_v6 = R"sql(
ALTER TABLE sessions ADD COLUMN parent_id text REFERENCES sessions(id),
    ADD COLUMN parent_call_id text;
CREATE INDEX sessions_by_parent ON sessions(parent_id, activity DESC) WHERE parent_id IS NOT NULL;
)sql";

constexpr std::array<Migration, 7> sqlite_list = { {
    { 1, "sessions, events, open replies", sqlite_v1 },
    { 2, "full-text search (FTS5)", sqlite_v2 },
    { 3, "session locks", sqlite_v3 },
    { 4, "full-text search indexes the first 256 KiB of a text", sqlite_v4 },
    { 5, "token and cost totals on the session row", sqlite_v5 },
    { 6, "full-text search indexes lazily, off the append", sqlite_v6 },
    { 7, "a sub-agent's session names its parent session and task call", sqlite_v7 },
} };

constexpr std::array<Migration, 6> pg_list = { {
    { 1, "sessions, events, open replies", pg_v1 },
    { 2, "full-text search (tsvector, GIN)", pg_v2 },
    { 3, "session locks", pg_v3 },
    { 4, "full-text search indexes the first 256 KiB of a text", pg_v4 },
    { 5, "token and cost totals on the session row", pg_v5 },
    { 6, "a sub-agent's session names its parent session and task call", pg_v6 },
} };

} // namespace

std::span<const Migration> sqlite_migrations()
{
    return sqlite_list;
}
std::span<const Migration> pg_migrations()
{
    return pg_list;
}

} // namespace ik::store::internal
