#include "store/sqlite_store.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal/schema.h"
#include "store/internal/sqlite_fts.h"
#include "store/internal/util.h"

namespace ik::store {

using internal::ResetGuard;
using internal::Stmt;
using internal::WriteTxn;

namespace {
constexpr int busy_timeout_ms = 10'000;
// An open reply of a process on another host (a shared file system) counts
// as abandoned when it has not been written to for this long.
constexpr TimeMs foreign_reply_stale_ms = TimeMs{ 60 } * 60 * 1000;

constexpr std::string_view session_columns = "id, cwd, title, model, created_at, updated_at, event_count, "
                                             "tokens_in, tokens_out, cost_usd, parent_id, parent_call_id";
// ?3 = 1 leaves sub-agents' sessions out (SubAgentSessions::exclude).
constexpr std::string_view top_level_if = "(?3 = 0 OR parent_id IS NULL)";
} // namespace

struct SqliteStore::Statements {
    internal::TxnStmts txn;
    Stmt insert_session;
    Stmt bump_session;
    Stmt insert_event;
    Stmt begin_reply;
    Stmt touch_reply;
    Stmt delete_reply;
    Stmt lock_get;
    Stmt lock_put;
    Stmt lock_release;
    // Prepared on the first search: preparing them opens the FTS5 tables,
    // which was a third of opening the store for a prompt that never
    // searches (docs/perf.md).
    struct Search {
        Stmt search;
        internal::FtsIndexer fts;
    };
    std::optional<Search> search;
    // The reads, prepared on the first one: a prompt's run writes only, and
    // compiling these was a third of preparing the statements (docs/perf.md).
    struct Reads {
        Stmt list_all;
        Stmt list_cwd;
        Stmt list_children;
        Stmt get_session;
        Stmt resolve;
        Stmt load;
        Stmt partials;
    };
    std::optional<Reads> reads;
};

SqliteStore::SqliteStore(Key, internal::Db db)
    : m_db(std::move(db))
{
}
SqliteStore::~SqliteStore()
{
    close_open_replies();
    release_sessions();
    if (!m_read_only)
        m_wal.close(m_db.get());
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, Access access)
{
    Result<std::unique_ptr<SqliteStore>> writable = open_writable(path);
    if (writable || access == Access::read_write)
        return writable;
    Result<std::unique_ptr<SqliteStore>> reader = open_read_only(path);
    if (!reader) // why it could not be written is the more useful message
        return fail(std::move(writable.error()).add_context(reader.error().message()));
    return reader;
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open_writable(const std::string& path)
{
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(parent, ec);
        if (ec)
            return fail(ErrorCode::store, "cannot create directory {} for the session store: {}", parent.string(),
                ec.message());
    }
    internal::Db db = TRY(internal::Db::open(path));
    // SQLite quietly opens a file it may not write (mode 0444, chattr +i, a
    // read-only mount) read-only; say so now rather than at the first event.
    if (sqlite3_db_readonly(db.get(), "main") == 1)
        return fail(ErrorCode::store, "the session store {} is read-only (file or directory not writable)", path);
    sqlite3_busy_timeout(db.get(), busy_timeout_ms);
    // Switching to WAL needs a moment of exclusive access; the busy handler
    // covers another process doing the same at the same time.
    TRY_CONTEXT(db.exec("PRAGMA journal_mode = WAL"), "while enabling WAL");
    // mmap: resume reads pages in place instead of copying them through the
    // page cache.
    TRY(db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA mmap_size = 268435456; "
                "PRAGMA cache_size = -16384"));
    chmod(path.c_str(), 0600);
    auto store = std::make_unique<SqliteStore>(Key{}, std::move(db));
    store->m_wal.attach(store->m_db.get()); // internal/sqlite_wal.h
    TRY_CONTEXT(store->migrate(), "while migrating {}", path);
    TRY(store->prepare());
    return store;
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open_read_only(const std::string& path)
{
    if (::access(path.c_str(), F_OK) != 0)
        return fail(ErrorCode::store, "{} does not exist", path);
    // Read-only still needs SQLite's shared-memory file next to a WAL
    // database; where even that cannot be made, nothing can write the file
    // either, so reading it without locks is safe.
    for (internal::Db::Mode mode : { internal::Db::Mode::read_only, internal::Db::Mode::immutable }) {
        Result<internal::Db> db = internal::Db::open(path, mode);
        if (!db)
            continue;
        sqlite3_busy_timeout(db->get(), busy_timeout_ms);
        auto store = std::make_unique<SqliteStore>(Key{}, std::move(*db));
        store->m_read_only = true;
        Result<int> version = store->schema_version();
        if (!version)
            continue;
        int known = internal::sqlite_migrations().back().version;
        if (*version != known)
            return fail(ErrorCode::store, "{} is read-only and at schema version {}; this ik needs version {}", path,
                *version, known);
        TRY(store->prepare());
        return store;
    }
    return fail(ErrorCode::store, "cannot open {} read-only either", path);
}

Result<void> SqliteStore::migrate()
{
    TRY(m_db.exec("CREATE TABLE IF NOT EXISTS schema_migrations("
                  "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
    std::span<const internal::Migration> all = internal::sqlite_migrations();
    int known = all.back().version;
    int current = TRY(schema_version());
    if (current > known)
        return fail(ErrorCode::store,
            "{}: schema version {} is newer than this ik supports ({}); upgrade ik to use this store", m_db.path(),
            current, known);
    internal::TxnStmts txn = TRY(internal::TxnStmts::prepare(m_db));
    for (const internal::Migration& m : all) {
        if (m.version <= current)
            continue;
        WriteTxn t = TRY(WriteTxn::begin(m_db, txn));
        // Another process may have applied it while we waited for the lock.
        if (TRY(schema_version()) >= m.version)
            continue;
        TRY_CONTEXT(m_db.exec(m.sql), "in migration {} ({})", m.version, m.description);
        Stmt record = TRY(Stmt::prepare(m_db, "INSERT INTO schema_migrations VALUES(?1, ?2, ?3)"));
        TRY(record.bind(1, int64_t{ m.version }).bind(2, m.description).bind(3, now_ms()).step());
        TRY(t.commit());
    }
    return {};
}

Result<void> SqliteStore::prepare()
{
    auto p = [&](std::string_view sql) { return Stmt::prepare(m_db, sql); };
    std::string cols(session_columns);
    m_stmts = std::make_unique<Statements>(Statements{
        .txn = TRY(internal::TxnStmts::prepare(m_db)),
        .insert_session
        = TRY(p("INSERT INTO sessions(id, created_at, updated_at, activity, cwd, title, model, parent_id, "
                "parent_call_id) VALUES(?1, ?2, ?2, (SELECT coalesce(max(activity), 0) + 1 FROM sessions), ?3, ?4, "
                "?5, nullif(?6, ''), nullif(?7, ''))")),
        .bump_session = TRY(p("UPDATE sessions SET event_count = event_count + 1, updated_at = ?2, "
                              "activity = (SELECT max(activity) + 1 FROM sessions), "
                              "title = CASE WHEN title = '' THEN ?3 ELSE title END "
                              "WHERE id = ?1 RETURNING event_count")),
        .insert_event
        = TRY(p("INSERT INTO events(session_id, seq, kind, created_at, data) VALUES(?1, ?2, ?3, ?4, ?5)")),
        .begin_reply = TRY(p("INSERT INTO open_replies(session_id, owner, after_seq, started_at, updated_at) "
                             "SELECT id, ?2, event_count, ?3, ?3 FROM sessions WHERE id = ?1 RETURNING id")),
        .touch_reply = TRY(p("UPDATE open_replies SET updated_at = ?2 WHERE id = ?1")),
        .delete_reply = TRY(p("DELETE FROM open_replies WHERE id = ?1")),
        .lock_get = TRY(p("SELECT owner, acquired_at FROM session_locks WHERE session_id = ?1")),
        .lock_put = TRY(p("INSERT INTO session_locks(session_id, owner, acquired_at) VALUES(?1, ?2, ?3) "
                          "ON CONFLICT(session_id) DO UPDATE SET owner = excluded.owner, "
                          "acquired_at = excluded.acquired_at")),
        .lock_release = TRY(p("DELETE FROM session_locks WHERE session_id = ?1 AND owner = ?2")),
        .search = std::nullopt,
        .reads = std::nullopt,
    });
    return {};
}

Result<void> SqliteStore::prepare_reads()
{
    if (m_stmts->reads)
        return {};
    auto p = [&](std::string_view sql) { return Stmt::prepare(m_db, sql); };
    std::string cols(session_columns);
    m_stmts->reads.emplace(Statements::Reads{
        .list_all
        = TRY(p(fmt::format("SELECT {} FROM sessions WHERE {} ORDER BY activity DESC LIMIT ?1", cols, top_level_if))),
        .list_cwd = TRY(p(fmt::format(
            "SELECT {} FROM sessions WHERE cwd = ?2 AND {} ORDER BY activity DESC LIMIT ?1", cols, top_level_if))),
        .list_children
        = TRY(p("SELECT " + cols + " FROM sessions WHERE parent_id = ?2 ORDER BY activity DESC LIMIT ?1")),
        .get_session = TRY(p("SELECT " + cols + " FROM sessions WHERE id = ?1")),
        // Ids are hex, and 'g' sorts after every hex digit.
        .resolve = TRY(p("SELECT id FROM sessions WHERE id >= ?1 AND id < ?1 || 'g' ORDER BY id LIMIT 2")),
        .load
        = TRY(p("SELECT seq, kind, created_at, data FROM events WHERE session_id = ?1 AND seq > ?2 ORDER BY seq")),
        .partials = TRY(p("SELECT data FROM events WHERE session_id = ?1 AND seq > ?2 "
                          "AND kind = 'assistant_partial' ORDER BY seq")),
    });
    return {};
}

Result<int> SqliteStore::schema_version()
{
    Stmt s = TRY(Stmt::prepare(m_db, "SELECT coalesce(max(version), 0) FROM schema_migrations"));
    TRY(s.step());
    return static_cast<int>(s.integer(0));
}

Result<std::string> SqliteStore::do_create_session(
    const NewSession& session, std::span<const NewEvent> first, std::span<const std::string> titles)
{
    Stmt& s = m_stmts->insert_session;
    std::string title = internal::session_title(session.title);
    for (int attempt = 0;; ++attempt) {
        std::string id = internal::new_session_id();
        // The row, its claim and its first events in one commit: a prompt's
        // run pays for two transactions less, and no other process can see
        // the new session unclaimed or empty.
        WriteTxn t = TRY(WriteTxn::begin(m_db, m_stmts->txn));
        Result<bool> r = [&] {
            ResetGuard guard(s);
            s.bind(1, id).bind(2, now_ms()).bind(3, session.cwd).bind(4, title).bind(5, session.model);
            s.bind(6, session.parent_id).bind(7, session.parent_call_id);
            return s.step();
        }();
        if (r) {
            TRY_CONTEXT(claim_locked(id), "while claiming the new session {}", id);
            for (size_t i = 0; i < first.size(); ++i)
                TRY(append_locked(id, first[i].kind, first[i].data_json, titles[i]));
            TRY(t.commit());
            m_claims.emplace_back(id);
            return id;
        }
        // A 48-bit id collides about never; retry a few times all the same.
        if (sqlite3_extended_errcode(m_db.get()) != SQLITE_CONSTRAINT_PRIMARYKEY || attempt == 4)
            return fail(std::move(r.error()).add_context("while creating a session"));
    }
}

Result<void> SqliteStore::claim_session(std::string_view session_id)
{
    if (std::find(m_claims.begin(), m_claims.end(), session_id) != m_claims.end())
        return {};
    WriteTxn t = TRY(WriteTxn::begin(m_db, m_stmts->txn));
    TRY(claim_locked(session_id));
    TRY(t.commit());
    m_claims.emplace_back(session_id);
    return {};
}

Result<void> SqliteStore::claim_locked(std::string_view session_id)
{
    std::string self = internal::process_owner();
    {
        Stmt& get = m_stmts->lock_get;
        ResetGuard guard(get);
        get.bind(1, session_id);
        if (TRY(get.step())) {
            std::string_view owner = get.text(0);
            // The pid and its start time tell a live holder on this host; a
            // holder on another host (a shared file system) cannot be asked,
            // so its claim lapses after a while.
            bool alive = internal::owner_on_this_host(owner) ? internal::owner_alive(owner)
                                                             : now_ms() - get.integer(1) < foreign_reply_stale_ms;
            if (alive && owner != self)
                return fail(
                    ErrorCode::denied, "session {} is in use by {}", session_id, internal::describe_owner(owner));
        }
    }
    Stmt& put = m_stmts->lock_put;
    ResetGuard guard(put);
    TRY(put.bind(1, session_id).bind(2, self).bind(3, now_ms()).step());
    return {};
}

void SqliteStore::release_sessions()
{
    if (m_claims.empty() || !m_stmts)
        return;
    std::string self = internal::process_owner();
    for (const std::string& id : m_claims) {
        Stmt& s = m_stmts->lock_release;
        ResetGuard guard(s);
        (void)s.bind(1, id).bind(2, self).step();
    }
    m_claims.clear();
}

Result<int64_t> SqliteStore::append_locked(
    std::string_view session_id, EventKind kind, std::string_view data_json, std::string_view title)
{
    TimeMs now = now_ms();
    int64_t seq = 0;
    {
        Stmt& bump = m_stmts->bump_session;
        ResetGuard guard(bump);
        bump.bind(1, session_id).bind(2, now).bind(3, title);
        if (!TRY(bump.step()))
            return fail(ErrorCode::not_found, "no session {} in {}", session_id, m_db.path());
        seq = bump.integer(0);
        TRY(bump.step());
    }
    Stmt& ins = m_stmts->insert_event;
    ResetGuard guard(ins);
    ins.bind(1, session_id).bind(2, seq).bind(3, to_string(kind)).bind(4, now).bind(5, data_json);
    TRY(ins.step());
    return seq;
}

Result<int64_t> SqliteStore::do_append(
    std::string_view session_id, EventKind kind, std::string_view data_json, std::string_view title)
{
    WriteTxn t = TRY(WriteTxn::begin(m_db, m_stmts->txn));
    int64_t seq = TRY(append_locked(session_id, kind, data_json, title));
    TRY(t.commit());
    return seq;
}

Result<int64_t> SqliteStore::do_append_many(
    std::string_view session_id, std::span<const NewEvent> events, std::span<const std::string> titles)
{
    WriteTxn t = TRY(WriteTxn::begin(m_db, m_stmts->txn));
    int64_t seq = 0;
    for (size_t i = 0; i < events.size(); ++i)
        seq = TRY(append_locked(session_id, events[i].kind, events[i].data_json, titles[i]));
    TRY(t.commit());
    return seq;
}

Result<SessionInfo> SqliteStore::read_session(mem::Arena& arena, Stmt& s)
{
    return SessionInfo{
        .id = arena.copy(s.text(0)),
        .cwd = arena.copy(s.text(1)),
        .title = arena.copy(s.text(2)),
        .model = arena.copy(s.text(3)),
        .created_at = s.integer(4),
        .updated_at = s.integer(5),
        .event_count = s.integer(6),
        .tokens_in = s.integer(7),
        .tokens_out = s.integer(8),
        .cost_usd = s.real(9),
        .parent_id = arena.copy(s.text(10)), // NULL reads as empty
        .parent_call_id = arena.copy(s.text(11)),
    };
}

Result<std::span<const SessionInfo>> SqliteStore::list_sessions(mem::Arena& arena, const SessionFilter& filter)
{
    bool children = !filter.parent_id.empty();
    TRY(prepare_reads());
    Statements::Reads& r = *m_stmts->reads;
    Stmt& s = children ? r.list_children : filter.cwd.empty() ? r.list_all : r.list_cwd;
    ResetGuard guard(s);
    s.bind(1, filter.limit == 0 ? int64_t{ -1 } : static_cast<int64_t>(filter.limit));
    if (children)
        s.bind(2, filter.parent_id);
    else if (!filter.cwd.empty())
        s.bind(2, filter.cwd);
    if (!children)
        s.bind(3, int64_t{ filter.sub_agents == SubAgentSessions::exclude ? 1 : 0 });
    auto* out = arena.make<std::pmr::vector<SessionInfo>>(&arena);
    while (TRY(s.step()))
        out->push_back(TRY(read_session(arena, s)));
    return std::span<const SessionInfo>(out->data(), out->size());
}

Result<SessionInfo> SqliteStore::session(mem::Arena& arena, std::string_view id)
{
    TRY(prepare_reads());
    Stmt& s = m_stmts->reads->get_session;
    ResetGuard guard(s);
    s.bind(1, id);
    if (!TRY(s.step()))
        return fail(ErrorCode::not_found, "no session {} in {}", id, m_db.path());
    return read_session(arena, s);
}

Result<std::string> SqliteStore::resolve_id(std::string_view prefix)
{
    std::string p = TRY(internal::normalize_id_prefix(prefix));
    TRY(prepare_reads());
    Stmt& s = m_stmts->reads->resolve;
    ResetGuard guard(s);
    s.bind(1, p);
    if (!TRY(s.step()))
        return fail(ErrorCode::not_found, "no session id starts with \"{}\"", prefix);
    std::string first(s.text(0));
    if (TRY(s.step()))
        return fail(ErrorCode::invalid_argument, "session id \"{}\" is ambiguous: {}, {}, …", prefix, first, s.text(0));
    return first;
}

Result<void> SqliteStore::load_events(std::string_view session_id, int64_t after_seq, const EventSink& sink)
{
    mem::Arena& tmp = scratch();
    (void)TRY(session(tmp, session_id));
    tmp.reset();
    TRY(prepare_reads());
    Stmt& s = m_stmts->reads->load;
    ResetGuard guard(s);
    s.bind(1, session_id).bind(2, after_seq);
    while (TRY(s.step())) {
        std::string_view kind = s.text(1);
        std::optional<EventKind> k = parse_event_kind(kind);
        if (!k)
            return fail(ErrorCode::store, "session {} event {}: unknown kind \"{}\"", session_id, s.integer(0), kind);
        TRY(sink(Event{ .seq = s.integer(0), .kind = *k, .created_at = s.integer(2), .data = s.text(3) }));
    }
    return {};
}

Result<std::span<const SearchHit>> SqliteStore::search(mem::Arena& arena, std::string_view text, size_t limit)
{
    std::string query = internal::fts5_query(text);
    if (query.empty())
        return fail(ErrorCode::invalid_argument, "search text is empty");
    if (!m_stmts->search)
        m_stmts->search.emplace(Statements::Search{
            .search = TRY(Stmt::prepare(m_db, internal::FtsIndexer::search_sql(false))),
            .fts = TRY(internal::FtsIndexer::prepare(m_db)),
        });
    Statements::Search& prepared = *m_stmts->search;
    // Appends do not index (schema 6): what was appended since the last
    // search is indexed now, so the search sees all of it.
    std::optional<Stmt> with_pending;
    if (!m_read_only) {
        TRY_CONTEXT(prepared.fts.catch_up(m_db, m_stmts->txn), "while indexing new events for search");
    } else if (TRY(prepared.fts.index_pending_into_temp(m_db)) > 0) {
        with_pending.emplace(TRY(Stmt::prepare(m_db, internal::FtsIndexer::search_sql(true))));
    }
    Stmt& s = with_pending ? *with_pending : prepared.search;
    ResetGuard guard(s);
    s.bind(1, query).bind(2, limit == 0 ? int64_t{ -1 } : static_cast<int64_t>(limit));
    auto* out = arena.make<std::pmr::vector<SearchHit>>(&arena);
    while (TRY_CONTEXT(s.step(), "while searching for \"{}\"", text)) {
        out->push_back(SearchHit{
            .session_id = arena.copy(s.text(0)),
            .seq = s.integer(1),
            .kind = parse_event_kind(s.text(2)).value_or(EventKind::system),
            .created_at = s.integer(3),
            .snippet = arena.copy(s.text(4)),
            .title = arena.copy(s.text(5)),
            .cwd = arena.copy(s.text(6)),
            .parent_id = arena.copy(s.text(7)),
        });
    }
    return std::span<const SearchHit>(out->data(), out->size());
}

Result<void> SqliteStore::check_integrity()
{
    Stmt check = TRY(Stmt::prepare(m_db, "PRAGMA integrity_check"));
    while (TRY(check.step())) {
        if (check.text(0) != "ok")
            return fail(ErrorCode::store, "{}: integrity check: {}", m_db.path(), check.text(0));
    }
    Stmt seqs = TRY(Stmt::prepare(m_db,
        "SELECT s.id, s.event_count, count(e.seq), coalesce(min(e.seq), 1), "
        "coalesce(max(e.seq), 0) FROM sessions s LEFT JOIN events e "
        "ON e.session_id = s.id GROUP BY s.id"));
    while (TRY(seqs.step())) {
        int64_t n = seqs.integer(1);
        if (seqs.integer(2) != n || seqs.integer(3) != 1 || seqs.integer(4) != n)
            return fail(ErrorCode::store, "{}: session {} claims {} events but holds {} (seq {}..{})", m_db.path(),
                seqs.text(0), n, seqs.integer(2), seqs.integer(3), seqs.integer(4));
    }
    return {};
}

Result<int64_t> SqliteStore::do_begin_reply(std::string_view session_id)
{
    Stmt& s = m_stmts->begin_reply;
    ResetGuard guard(s);
    std::string owner = internal::process_owner();
    s.bind(1, session_id).bind(2, owner).bind(3, now_ms());
    if (!TRY(s.step()))
        return fail(ErrorCode::not_found, "no session {} in {}", session_id, m_db.path());
    return s.integer(0);
}

Result<void> SqliteStore::do_write_partial(std::string_view session_id, int64_t reply_id, std::string_view data_json)
{
    WriteTxn t = TRY(WriteTxn::begin(m_db, m_stmts->txn));
    TRY(append_locked(session_id, EventKind::assistant_partial, data_json, ""));
    Stmt& s = m_stmts->touch_reply;
    ResetGuard guard(s);
    TRY(s.bind(1, reply_id).bind(2, now_ms()).step());
    return t.commit();
}

Result<int64_t> SqliteStore::do_end_reply(std::string_view session_id, int64_t reply_id, EventKind kind,
    std::string_view data_json, std::span<const NewEvent> then, std::span<const std::string> titles)
{
    WriteTxn t = TRY(WriteTxn::begin(m_db, m_stmts->txn));
    int64_t seq = TRY(append_locked(session_id, kind, data_json, ""));
    for (size_t i = 0; i < then.size(); ++i)
        TRY(append_locked(session_id, then[i].kind, then[i].data_json, titles[i]));
    Stmt& s = m_stmts->delete_reply;
    ResetGuard guard(s);
    TRY(s.bind(1, reply_id).step());
    TRY(t.commit());
    return seq;
}

Result<bool> SqliteStore::wrote_partials_locked(std::string_view session_id, int64_t reply_id, int64_t after_seq)
{
    // The reply's batches follow its start; only one needs to be seen.
    TRY(prepare_reads());
    Stmt& s = m_stmts->reads->partials;
    ResetGuard guard(s);
    s.bind(1, session_id).bind(2, after_seq);
    while (TRY(s.step())) {
        bool ours = internal::is_partial_of(scratch(), s.text(0), reply_id);
        scratch().reset();
        if (ours)
            return true;
    }
    return false;
}

Result<size_t> SqliteStore::recover_interrupted()
{
    {
        // Nearly always nothing is open: a read, not a write transaction,
        // on the start-up path.
        Stmt any = TRY(Stmt::prepare(m_db, "SELECT 1 FROM open_replies LIMIT 1"));
        if (!TRY(any.step()))
            return size_t{ 0 };
    }
    WriteTxn t = TRY(WriteTxn::begin(m_db, m_stmts->txn));
    struct Dead {
        int64_t id;
        std::string session_id;
        int64_t after_seq;
    };
    std::vector<Dead> dead;
    {
        Stmt s = TRY(Stmt::prepare(m_db, "SELECT id, session_id, owner, after_seq, updated_at FROM open_replies"));
        TimeMs now = now_ms();
        while (TRY(s.step())) {
            std::string_view owner = s.text(2);
            bool gone = internal::owner_on_this_host(owner) ? !internal::owner_alive(owner)
                                                            : now - s.integer(4) > foreign_reply_stale_ms;
            if (gone)
                dead.push_back({ s.integer(0), std::string(s.text(1)), s.integer(3) });
        }
    }
    for (const Dead& d : dead) {
        // What the dead writer had not flushed is lost; the batches are
        // referred to, not copied (InterruptedRecord).
        auto partials = TRY(wrote_partials_locked(d.session_id, d.id, d.after_seq)) ? internal::Partials::written
                                                                                    : internal::Partials::none;
        TRY(append_locked(d.session_id, EventKind::interrupted,
            internal::interrupted_json("the process writing this reply ended", "", d.id, partials), ""));
        Stmt& del = m_stmts->delete_reply;
        ResetGuard guard(del);
        TRY(del.bind(1, d.id).step());
    }
    TRY(t.commit());
    return dead.size();
}

} // namespace ik::store
