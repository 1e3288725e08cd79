#include "store/pg_store.h"

#include "core/interrupt.h"
#include "store/internal/redact.h"
#include "store/internal/schema.h"
#include "store/internal/util.h"

namespace ik::store {

using internal::PgParams;
using internal::PgResult;

namespace {
// Advisory lock keys: "ik" in the high bits keeps them apart from other users
// of advisory locks in a shared database.
constexpr int64_t lock_namespace = int64_t{ 0x696b } << 40;
constexpr int64_t migration_lock = lock_namespace - 1;
int64_t reply_lock(int64_t reply_id)
{
    return lock_namespace + reply_id;
}
// Session claims use the two-key form, a key space apart from the one-key
// reply locks: "ik" plus a class number, and the hash of the session id (two
// ids sharing a hash would only make one claim wait for the other's end).
constexpr int32_t claim_class = 0x696b0001;
constexpr std::string_view claim_lock_sql = "SELECT pg_try_advisory_lock({}, hashtext($1::text))";
constexpr std::string_view claim_unlock_sql = "SELECT pg_advisory_unlock({}, hashtext($1::text))";

constexpr std::string_view session_columns = "id, cwd, title, model, created_at, updated_at, event_count, "
                                             "tokens_in, tokens_out, cost_usd, parent_id, parent_call_id";
constexpr int load_page = 10'000;

// The three ways of appending differ only in what they do to open_replies.
constexpr std::string_view append_sql
    = "WITH s AS (UPDATE sessions SET event_count = event_count + 1, updated_at = $4::bigint, "
      "activity = nextval('ik_activity'), title = CASE WHEN title = '' THEN $5::text ELSE title END "
      "WHERE id = $1::text RETURNING event_count){} "
      "INSERT INTO events(session_id, seq, kind, created_at, data) "
      "SELECT $1::text, event_count, $2::text, $4::bigint, $3::text FROM s RETURNING seq";
} // namespace

PgStore::PgStore(Key, internal::PgConn conn)
    : m_conn(std::move(conn))
{
}
PgStore::~PgStore()
{
    close_open_replies();
    release_sessions();
}

Result<std::unique_ptr<PgStore>> PgStore::open(std::string_view url, const OpenOptions& options)
{
    bool uri = url.starts_with("postgres://") || url.starts_with("postgresql://");
    if (!uri && url.find('=') == std::string_view::npos)
        return fail(ErrorCode::invalid_argument,
            "database URL \"{}\" is not a PostgreSQL URL (expected postgresql://user@host:port/dbname)",
            internal::redact_url(url));
    internal::PgConn conn = TRY(internal::PgConn::connect(url, options.timeout));
    auto store = std::make_unique<PgStore>(Key{}, std::move(conn));
    TRY(store->m_conn.exec("SET client_min_messages = warning"));
    TRY_CONTEXT(store->migrate(), "while migrating {}", store->describe());
    TRY(store->setup());
    return store;
}

Result<void> PgStore::setup()
{
    // The server ends a statement that runs too long by itself as well (the
    // client's deadline covers a server that does not answer at all).
    TRY(m_conn.exec(
        fmt::format("SET client_min_messages = warning; SET statement_timeout = {}", m_conn.timeout().count())));
    return prepare();
}

Result<void> PgStore::reconnect()
{
    TRY(m_conn.reconnect());
    TRY(setup());
    // Locks belonged to the old connection: take them again. A reply lock
    // another process took meanwhile means it is marking the reply
    // interrupted; the rest of the reply still lands in the log.
    for (int64_t id : m_reply_locks)
        TRY(m_conn.query("SELECT pg_try_advisory_lock($1::bigint)", PgParams().int8(reply_lock(id))));
    for (const auto& [id, seq] : m_claims)
        TRY(lock_session(id));
    return {};
}

Result<int64_t> PgStore::event_count(std::string_view session_id)
{
    PgResult r = TRY(m_conn.query("SELECT event_count FROM sessions WHERE id = $1::text", PgParams().text(session_id)));
    if (r.rows() == 0)
        return fail(ErrorCode::not_found, "no session {} in {}", session_id, describe());
    return r.integer(0, 0);
}

Result<int64_t> PgStore::write_retrying(
    std::string_view session_id, int64_t count, const std::function<Result<int64_t>()>& write)
{
    auto claim = m_claims.find(session_id);
    auto remember = [&](int64_t seq) {
        if (claim != m_claims.end())
            claim->second = seq;
        return seq;
    };
    Result<int64_t> first = write();
    if (first)
        return remember(*first);
    if (!m_conn.lost() || first.error().code() == ErrorCode::interrupted || stopping())
        return first;
    TRY_CONTEXT(reconnect(), "while reconnecting after: {}", first.error().message());
    // Did the lost attempt commit? Nobody else writes a claimed session, so
    // its event count says. Unclaimed, the write is simply tried again.
    if (claim != m_claims.end()) {
        int64_t now = TRY(event_count(session_id));
        if (now == claim->second + count)
            return remember(now);
    }
    return remember(TRY(write()));
}

template <typename T> Result<T> PgStore::read_retrying(const std::function<Result<T>()>& read)
{
    Result<T> first = read();
    if (first || !m_conn.lost() || first.error().code() == ErrorCode::interrupted || stopping())
        return first;
    TRY_CONTEXT(reconnect(), "while reconnecting after: {}", first.error().message());
    return read();
}

Result<void> PgStore::lock_session(std::string_view session_id)
{
    PgResult got = TRY(m_conn.query(fmt::format(claim_lock_sql, claim_class), PgParams().text(session_id)));
    if (!got.boolean(0, 0)) {
        PgResult holder = TRY(
            m_conn.query("SELECT owner FROM session_locks WHERE session_id = $1::text", PgParams().text(session_id)));
        return fail(ErrorCode::denied, "session {} is in use by {}", session_id,
            holder.rows() ? internal::describe_owner(holder.text(0, 0)) : std::string("another ik process"));
    }
    // The lock decides; the row only names the holder for the message above.
    Result<PgResult> row = m_conn.query("INSERT INTO session_locks(session_id, owner, acquired_at) "
                                        "VALUES($1::text, $2::text, $3::bigint) ON CONFLICT (session_id) DO UPDATE "
                                        "SET owner = excluded.owner, acquired_at = excluded.acquired_at",
        PgParams().text(session_id).text(internal::process_owner()).int8(now_ms()));
    if (!row) {
        (void)m_conn.query(fmt::format(claim_unlock_sql, claim_class), PgParams().text(session_id));
        return fail(std::move(row.error()));
    }
    return {};
}

Result<void> PgStore::claim_session(std::string_view session_id)
{
    if (m_claims.contains(session_id))
        return {};
    Result<bool> locked = read_retrying<bool>([&]() -> Result<bool> {
        TRY(lock_session(session_id));
        return true;
    });
    if (!locked)
        return fail(std::move(locked.error()));
    Result<int64_t> count = event_count(session_id);
    if (!count) {
        (void)m_conn.query(fmt::format(claim_unlock_sql, claim_class), PgParams().text(session_id));
        return fail(std::move(count.error()));
    }
    m_claims.emplace(std::string(session_id), *count);
    return {};
}

void PgStore::release_sessions()
{
    std::string self = internal::process_owner();
    for (const auto& [id, seq] : m_claims) {
        if (m_conn.lost())
            return; // the server released the locks with the connection
        (void)m_conn.query("DELETE FROM session_locks WHERE session_id = $1::text AND owner = $2::text",
            PgParams().text(id).text(self));
        (void)m_conn.query(fmt::format(claim_unlock_sql, claim_class), PgParams().text(id));
    }
    m_claims.clear();
}

Result<void> PgStore::migrate()
{
    std::span<const internal::Migration> all = internal::pg_migrations();
    int known = all.back().version;
    for (size_t i = 0;; ++i) {
        internal::PgTxn txn = TRY(internal::PgTxn::begin(m_conn));
        // Serialises migrations of concurrent first starts (CREATE TABLE IF
        // NOT EXISTS alone is not safe against a concurrent twin).
        TRY(m_conn.query("SELECT pg_advisory_xact_lock($1)", PgParams().int8(migration_lock)));
        TRY(m_conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations("
                        "version integer PRIMARY KEY, description text NOT NULL, applied_at bigint NOT NULL)"));
        int current = TRY(schema_version());
        if (current > known)
            return fail(ErrorCode::store,
                "{}: schema version {} is newer than this ik supports ({}); upgrade ik to use this store", describe(),
                current, known);
        if (i >= all.size() || current >= known)
            return txn.commit();
        const internal::Migration& m = all[i];
        if (m.version <= current) {
            TRY(txn.commit());
            continue;
        }
        TRY_CONTEXT(m_conn.exec(m.sql), "in migration {} ({})", m.version, m.description);
        TRY(m_conn.query("INSERT INTO schema_migrations VALUES($1::integer, $2::text, $3::bigint)",
            PgParams().int8(m.version).text(m.description).int8(now_ms())));
        TRY(txn.commit());
    }
}

Result<void> PgStore::prepare()
{
    TRY(m_conn.prepare("append", fmt::format(append_sql, "")));
    TRY(m_conn.prepare("append_touch",
        fmt::format(append_sql,
            ", r AS (UPDATE open_replies SET updated_at = $4::bigint "
            "WHERE id = $6::bigint)")));
    TRY(m_conn.prepare(
        "append_close", fmt::format(append_sql, ", r AS (DELETE FROM open_replies WHERE id = $6::bigint)")));
    TRY(m_conn.prepare("load",
        "SELECT seq, kind, created_at, data FROM events WHERE session_id = $1::text "
        "AND seq > $2::bigint ORDER BY seq LIMIT $3::bigint"));
    return {};
}

Result<int> PgStore::schema_version()
{
    PgResult r = TRY(m_conn.exec("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    return static_cast<int>(r.integer(0, 0));
}

Result<std::string> PgStore::do_create_session(
    const NewSession& session, std::span<const NewEvent> first, std::span<const std::string> titles)
{
    std::string title = internal::session_title(session.title);
    for (int attempt = 0;; ++attempt) {
        std::string id = internal::new_session_id();
        TimeMs now = now_ms();
        Result<PgResult> r = m_conn.query(
            "INSERT INTO sessions(id, created_at, updated_at, activity, cwd, title, model, parent_id, parent_call_id) "
            "VALUES($1::text, $2::bigint, $2::bigint, nextval('ik_activity'), $3::text, $4::text, $5::text, "
            "nullif($6::text, ''), nullif($7::text, ''))",
            PgParams()
                .text(id)
                .int8(now)
                .text(session.cwd)
                .text(title)
                .text(session.model)
                .text(session.parent_id)
                .text(session.parent_call_id));
        if (r) {
            TRY_CONTEXT(claim_session(id), "while claiming the new session {}", id);
            if (!first.empty())
                TRY(do_append_many(id, first, titles));
            return id;
        }
        if (m_conn.last_sqlstate() != "23505" || attempt == 4)
            return fail(std::move(r.error()).add_context("while creating a session"));
    }
}

Result<int64_t> PgStore::append_with(const char* statement, std::string_view session_id, EventKind kind,
    std::string_view data_json, std::string_view title, int64_t reply_id)
{
    PgParams p;
    p.text(session_id).text(to_string(kind)).text(data_json).int8(now_ms()).text(title);
    if (reply_id != 0)
        p.int8(reply_id);
    PgResult r = TRY(m_conn.run(statement, p));
    if (r.rows() == 0)
        return fail(ErrorCode::not_found, "no session {} in {}", session_id, describe());
    return r.integer(0, 0);
}

Result<int64_t> PgStore::do_append(
    std::string_view session_id, EventKind kind, std::string_view data_json, std::string_view title)
{
    return write_retrying(session_id, 1, [&] { return append_with("append", session_id, kind, data_json, title, 0); });
}

Result<int64_t> PgStore::do_append_many(
    std::string_view session_id, std::span<const NewEvent> events, std::span<const std::string> titles)
{
    return write_retrying(session_id, static_cast<int64_t>(events.size()), [&]() -> Result<int64_t> {
        internal::PgTxn txn = TRY(internal::PgTxn::begin(m_conn));
        int64_t seq = 0;
        for (size_t i = 0; i < events.size(); ++i)
            seq = TRY(append_with("append", session_id, events[i].kind, events[i].data_json, titles[i], 0));
        TRY(txn.commit());
        return seq;
    });
}

namespace {
SessionInfo read_session(mem::Arena& arena, const PgResult& r, int row)
{
    return SessionInfo{
        .id = arena.copy(r.text(row, 0)),
        .cwd = arena.copy(r.text(row, 1)),
        .title = arena.copy(r.text(row, 2)),
        .model = arena.copy(r.text(row, 3)),
        .created_at = r.integer(row, 4),
        .updated_at = r.integer(row, 5),
        .event_count = r.integer(row, 6),
        .tokens_in = r.integer(row, 7),
        .tokens_out = r.integer(row, 8),
        .cost_usd = r.real(row, 9),
        .parent_id = arena.copy(r.text(row, 10)), // NULL reads as empty
        .parent_call_id = arena.copy(r.text(row, 11)),
    };
}
} // namespace

Result<std::span<const SessionInfo>> PgStore::list_sessions(mem::Arena& arena, const SessionFilter& filter)
{
    bool children = !filter.parent_id.empty();
    bool top_level = !children && filter.sub_agents == SubAgentSessions::exclude;
    std::string where = children ? "WHERE parent_id = $2::text"
        : filter.cwd.empty()     ? std::string(top_level ? "WHERE parent_id IS NULL" : "")
                                 : fmt::format("WHERE cwd = $2::text{}", top_level ? " AND parent_id IS NULL" : "");
    std::string sql
        = fmt::format("SELECT {} FROM sessions {} ORDER BY activity DESC LIMIT $1::bigint", session_columns, where);
    PgParams p;
    if (filter.limit == 0)
        p.int8(INT64_MAX);
    else
        p.int8(static_cast<int64_t>(filter.limit));
    if (children)
        p.text(filter.parent_id);
    else if (!filter.cwd.empty())
        p.text(filter.cwd);
    PgResult r = TRY(read_retrying<PgResult>([&] { return m_conn.query(sql, p); }));
    auto* out = arena.make<std::pmr::vector<SessionInfo>>(&arena);
    out->reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i)
        out->push_back(read_session(arena, r, i));
    return std::span<const SessionInfo>(out->data(), out->size());
}

Result<SessionInfo> PgStore::session(mem::Arena& arena, std::string_view id)
{
    std::string sql = fmt::format("SELECT {} FROM sessions WHERE id = $1::text", session_columns);
    PgResult r = TRY(read_retrying<PgResult>([&] { return m_conn.query(sql, PgParams().text(id)); }));
    if (r.rows() == 0)
        return fail(ErrorCode::not_found, "no session {} in {}", id, describe());
    return read_session(arena, r, 0);
}

Result<std::string> PgStore::resolve_id(std::string_view prefix)
{
    std::string p = TRY(internal::normalize_id_prefix(prefix));
    PgResult r = TRY(read_retrying<PgResult>([&] {
        return m_conn.query("SELECT id FROM sessions WHERE left(id, length($1::text)) = $1::text ORDER BY id LIMIT 2",
            PgParams().text(p));
    }));
    if (r.rows() == 0)
        return fail(ErrorCode::not_found, "no session id starts with \"{}\"", prefix);
    if (r.rows() > 1)
        return fail(ErrorCode::invalid_argument, "session id \"{}\" is ambiguous: {}, {}, …", prefix, r.text(0, 0),
            r.text(1, 0));
    return std::string(r.text(0, 0));
}

Result<void> PgStore::load_events(std::string_view session_id, int64_t after_seq, const EventSink& sink)
{
    (void)TRY(session(scratch(), session_id));
    scratch().reset();
    // Pages keep the client's memory bounded for very long sessions.
    for (;;) {
        PgResult r = TRY(read_retrying<PgResult>(
            [&] { return m_conn.run("load", PgParams().text(session_id).int8(after_seq).int8(load_page)); }));
        for (int i = 0; i < r.rows(); ++i) {
            std::optional<EventKind> k = parse_event_kind(r.text(i, 1));
            if (!k)
                return fail(ErrorCode::store, "session {} event {}: unknown kind \"{}\"", session_id, r.integer(i, 0),
                    r.text(i, 1));
            after_seq = r.integer(i, 0);
            TRY(sink(Event{ .seq = after_seq, .kind = *k, .created_at = r.integer(i, 2), .data = r.text(i, 3) }));
        }
        if (r.rows() < load_page)
            return {};
    }
}

Result<std::span<const SearchHit>> PgStore::search(mem::Arena& arena, std::string_view text, size_t limit)
{
    if (internal::fts5_query(text).empty())
        return fail(ErrorCode::invalid_argument, "search text is empty");
    PgResult r = TRY_CONTEXT(
        m_conn.query("SELECT e.session_id, e.seq, e.kind, e.created_at, "
                     "ts_headline('simple', coalesce(e.data::jsonb ->> 'text', e.data::jsonb ->> 'arguments', ''), q, "
                     "'StartSel=**, StopSel=**, MaxWords=20, MinWords=5, MaxFragments=1, FragmentDelimiter=…'), "
                     "s.title, s.cwd, coalesce(s.parent_id, '') FROM events e JOIN sessions s ON s.id = e.session_id, "
                     "plainto_tsquery('simple', $1::text) q WHERE e.body @@ q ORDER BY e.id DESC LIMIT $2::bigint",
            PgParams().text(text).int8(limit == 0 ? INT64_MAX : static_cast<int64_t>(limit))),
        "while searching for \"{}\"", text);
    auto* out = arena.make<std::pmr::vector<SearchHit>>(&arena);
    for (int i = 0; i < r.rows(); ++i) {
        out->push_back(SearchHit{
            .session_id = arena.copy(r.text(i, 0)),
            .seq = r.integer(i, 1),
            .kind = parse_event_kind(r.text(i, 2)).value_or(EventKind::system),
            .created_at = r.integer(i, 3),
            .snippet = arena.copy(r.text(i, 4)),
            .title = arena.copy(r.text(i, 5)),
            .cwd = arena.copy(r.text(i, 6)),
            .parent_id = arena.copy(r.text(i, 7)),
        });
    }
    return std::span<const SearchHit>(out->data(), out->size());
}

Result<void> PgStore::check_integrity()
{
    PgResult r = TRY(m_conn.exec("SELECT s.id, s.event_count, count(e.seq), coalesce(min(e.seq), 1), "
                                 "coalesce(max(e.seq), 0) FROM sessions s LEFT JOIN events e ON e.session_id = s.id "
                                 "GROUP BY s.id, s.event_count"));
    for (int i = 0; i < r.rows(); ++i) {
        int64_t n = r.integer(i, 1);
        if (r.integer(i, 2) != n || r.integer(i, 3) != 1 || r.integer(i, 4) != n)
            return fail(ErrorCode::store, "{}: session {} claims {} events but holds {} (seq {}..{})", describe(),
                r.text(i, 0), n, r.integer(i, 2), r.integer(i, 3), r.integer(i, 4));
    }
    return {};
}

Result<int64_t> PgStore::do_begin_reply(std::string_view session_id)
{
    Result<int64_t> begun = read_retrying<int64_t>([&]() -> Result<int64_t> {
        // The lock is taken before the row becomes visible, so no other
        // process ever sees this reply unlocked while we live.
        internal::PgTxn txn = TRY(internal::PgTxn::begin(m_conn));
        PgResult r = TRY(m_conn.query("INSERT INTO open_replies(session_id, owner, after_seq, started_at, updated_at) "
                                      "SELECT id, $2::text, event_count, $3::bigint, $3::bigint FROM sessions "
                                      "WHERE id = $1::text RETURNING id",
            PgParams().text(session_id).text(internal::process_owner()).int8(now_ms())));
        if (r.rows() == 0)
            return fail(ErrorCode::not_found, "no session {} in {}", session_id, describe());
        int64_t reply = r.integer(0, 0);
        TRY(m_conn.query("SELECT pg_advisory_lock($1::bigint)", PgParams().int8(reply_lock(reply))));
        TRY(txn.commit());
        return reply;
    });
    if (!begun)
        return fail(std::move(begun.error()));
    m_reply_locks.push_back(*begun);
    return *begun;
}

Result<void> PgStore::do_write_partial(std::string_view session_id, int64_t reply_id, std::string_view data_json)
{
    TRY(write_retrying(session_id, 1, [&] {
        return append_with("append_touch", session_id, EventKind::assistant_partial, data_json, "", reply_id);
    }));
    return {};
}

Result<int64_t> PgStore::do_end_reply(std::string_view session_id, int64_t reply_id, EventKind kind,
    std::string_view data_json, std::span<const NewEvent> then, std::span<const std::string> titles)
{
    auto close = [&] { return append_with("append_close", session_id, kind, data_json, "", reply_id); };
    auto count = static_cast<int64_t>(1 + then.size());
    // write_retrying() returns the last event's seq; the closing one is
    // `then.size()` before it.
    auto close_then = [&]() -> Result<int64_t> {
        if (then.empty())
            return close();
        internal::PgTxn txn = TRY(internal::PgTxn::begin(m_conn));
        TRY(close());
        int64_t last = 0;
        for (size_t i = 0; i < then.size(); ++i)
            last = TRY(append_with("append", session_id, then[i].kind, then[i].data_json, titles[i], 0));
        TRY(txn.commit());
        return last;
    };
    int64_t seq = TRY(write_retrying(session_id, count, close_then)) - static_cast<int64_t>(then.size());
    std::erase(m_reply_locks, reply_id);
    TRY(m_conn.query("SELECT pg_advisory_unlock($1::bigint)", PgParams().int8(reply_lock(reply_id))));
    return seq;
}

// Called holding the reply's advisory lock: its writer is gone.
Result<bool> PgStore::recover_one(int64_t reply_id)
{
    internal::PgTxn txn = TRY(internal::PgTxn::begin(m_conn));
    PgResult row = TRY(m_conn.query(
        "DELETE FROM open_replies WHERE id = $1::bigint RETURNING session_id, after_seq", PgParams().int8(reply_id)));
    if (row.rows() == 0)
        return false; // another process recovered it first
    std::string session_id(row.text(0, 0));
    // The reply's batches follow its start: the first one says whether it
    // wrote any. They are referred to, not copied (InterruptedRecord).
    PgResult first = TRY(m_conn.query("SELECT data FROM events WHERE session_id = $1::text AND seq > $2::bigint "
                                      "AND kind = 'assistant_partial' ORDER BY seq LIMIT 1",
        PgParams().text(session_id).int8(row.integer(0, 1))));
    bool wrote = first.rows() > 0 && internal::is_partial_of(scratch(), first.text(0, 0), reply_id);
    scratch().reset();
    TRY(append_with("append", session_id, EventKind::interrupted,
        internal::interrupted_json("the process writing this reply ended", "", reply_id,
            wrote ? internal::Partials::written : internal::Partials::none),
        "", 0));
    TRY(txn.commit());
    return true;
}

Result<size_t> PgStore::recover_interrupted()
{
    PgResult open = TRY(m_conn.exec("SELECT id, owner FROM open_replies ORDER BY id"));
    std::string self = internal::process_owner();
    size_t marked = 0;
    for (int i = 0; i < open.rows(); ++i) {
        int64_t id = open.integer(i, 0);
        // Advisory locks are re-entrant within a connection: skip our own.
        if (open.text(i, 1) == self)
            continue;
        PgResult got = TRY(m_conn.query("SELECT pg_try_advisory_lock($1::bigint)", PgParams().int8(reply_lock(id))));
        if (!got.boolean(0, 0))
            continue; // its writer is alive
        Result<bool> done = recover_one(id);
        TRY(m_conn.query("SELECT pg_advisory_unlock($1::bigint)", PgParams().int8(reply_lock(id))));
        if (!done)
            return fail(std::move(done.error()));
        marked += *done ? 1 : 0;
    }
    return marked;
}

} // namespace ik::store
