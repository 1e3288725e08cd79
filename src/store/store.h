// ik::store::Store — the permanent, append-only event log (design.md §7).
//
// Data model. A session is a row (id, times, directory, model, title, event
// count; a sub-agent's session also names its parent session and the parent's
// `task` call); its history is an append-only list of events numbered 1, 2, 3… per
// session (`seq`), each with a kind and a JSON object (`data`, stored as the
// exact text given, so a resumed conversation is byte-for-byte what was
// written). Nothing is ever updated or deleted: rewinds, marks and
// interruptions are themselves events. Every append is its own committed
// transaction, durable when append() returns (see docs/store.md for the exact
// guarantee of each backend).
//
// Two backends share this interface and one contract test suite: SQLite (the
// default, WAL mode, one file) and PostgreSQL (libpq, for history shared
// across machines). Several ik processes may write one store at once.
//
// Streaming replies. A reply that streams in for seconds is recorded while it
// arrives, in batches: begin_reply() registers it, append_text() buffers
// deltas, and a batch is written as an `assistant_partial` event once the
// oldest unwritten byte is `flush_interval` old (250 ms by default).
// append_text() flushes when due by itself; the caller's event loop drives
// the rest with next_flush_deadline() and flush_if_due(), so nothing here
// needs a thread. end_reply() writes the final `assistant` event: a reply
// shorter than a batch carries its whole text there; a longer one refers to
// the batches already written and carries only the rest, so its text is not
// built into a second JSON value and a second row (the peak heap of a long
// reply, docs/perf.md). abort_reply() writes an `interrupted` event the same
// way; a process killed mid-reply leaves an open reply behind, and the next
// open_store() appends an `interrupted` event referring to the batches that
// survived. Readers (resume, show, export, search) join a reply's batches
// with the text of the event that ends it (store/reply_text.h).
//
//   auto store = TRY(store::open_store(config.database_url, store::default_sqlite_path()));
//   std::string id = TRY(store->create_session({.cwd = cwd, .model = "gpt-5"}));
//   mem::Arena scratch(session_arena, "event");
//   TRY(store->append(id, EventKind::user, UserRecord{.text = "fix the build"}.to_json(scratch)));
//   store::Reply reply = TRY(store->begin_reply(id));
//   for (delta : stream) {
//       TRY(store->append_text(reply, delta));           // flushes when due
//       loop.after(until(store->next_flush_deadline()), [&] { (void)store->flush_if_due(); });
//   }
//   TRY(store->end_reply(reply, AssistantRecord{.text = "done"}));
//
//   TRY(store->load_events(id, 0, [&](const store::Event& e) -> Result<void> {   // resume
//       if (e.kind == EventKind::user)
//           window.add_user(TRY(UserRecord::parse(scratch, e.data)).text);
//       return {};
//   }));
//
// Event data. The store checks only that data is a JSON object (full-text
// search indexes its "text" field, else "arguments"). What each kind holds is
// defined once, by the record types of store/records.h (UserRecord,
// AssistantRecord, … one per EventKind), and listed in docs/store.md. The
// kinds are stored as text; a new kind needs no migration.
//
// Ownership. A Store owns its connection (sqlite3* or PGconn*) and the
// buffers of open replies. Functions taking a mem::Arena return memory in
// that arena; Event::data in a load_events() callback is borrowed and valid
// only during the call. A Store is not thread-safe (one per event loop).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/result.h"

namespace ik::store {

struct AssistantRecord;

enum class EventKind : uint8_t {
    user,
    assistant,
    assistant_partial,
    thinking,
    tool_call,
    tool_result,
    approval,
    command,
    mark,
    rewind,
    usage,
    error,
    interrupted,
    system,
    eviction,
    compaction,
    checkpoint,
    undo,
};
inline constexpr size_t event_kind_count = 18;

std::string_view to_string(EventKind kind);
std::optional<EventKind> parse_event_kind(std::string_view name);

// Milliseconds since the Unix epoch, UTC.
using TimeMs = int64_t;
TimeMs now_ms();

struct SessionInfo {
    std::string_view id{};
    std::string_view cwd{};
    std::string_view title{}; // the first line of the first user prompt, unless set at creation
    std::string_view model{};
    TimeMs created_at = 0;
    TimeMs updated_at = 0;
    int64_t event_count = 0; // also the last seq
    // Totals of the session's `usage` events, kept on its row as they are written.
    int64_t tokens_in = 0;
    int64_t tokens_out = 0;
    double cost_usd = 0;
    // A sub-agent's session: the session whose `task` call started it and
    // that call's id (migration 6). Both empty for a top-level session.
    std::string_view parent_id{};
    std::string_view parent_call_id{};
};

struct Event {
    int64_t seq = 0;
    EventKind kind = EventKind::system;
    TimeMs created_at = 0;
    std::string_view data{}; // a JSON object
};

struct SearchHit {
    std::string_view session_id{};
    int64_t seq = 0;
    EventKind kind = EventKind::system;
    TimeMs created_at = 0;
    std::string_view snippet{}; // matches wrapped in ** **
    std::string_view title{};
    std::string_view cwd{};
    std::string_view parent_id{}; // the hit's session is this session's sub-agent; empty: top-level
};

struct NewSession {
    std::string_view cwd{};
    std::string_view model{};
    std::string_view title{}; // empty: taken from the first user event
    // A sub-agent's session: its parent session (which must exist) and the
    // parent's task call id. Empty: a top-level session.
    std::string_view parent_id{};
    std::string_view parent_call_id{};
};

// Whether a listing includes sub-agents' sessions (those with a parent).
enum class SubAgentSessions : uint8_t { include, exclude };

struct SessionFilter {
    std::string_view cwd{}; // empty: every directory
    size_t limit = 50; // 0: no limit
    SubAgentSessions sub_agents = SubAgentSessions::include;
    // Not empty: only the sub-agent sessions of this session (cwd and
    // sub_agents are then ignored).
    std::string_view parent_id{};
};

// A reply being streamed; a plain id, valid until end_reply/abort_reply.
struct Reply {
    int64_t id = 0;
};

using Clock = std::chrono::steady_clock;
using EventSink = std::function<Result<void>(const Event&)>;

struct StoreOptions {
    std::chrono::milliseconds flush_interval{ 250 };
    // A bigger buffer is written at once. Writing a batch holds it about five
    // times (buffer, JSON, SQLite's record and pages, the caller's text), so
    // this bounds that moment's heap however fast the text arrives.
    size_t flush_bytes = size_t{ 16 } * 1024;
};

class Store {
public:
    virtual ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // "sqlite" or "postgresql"; describe() is the path or the URL without password.
    virtual std::string_view backend() const = 0;
    virtual std::string describe() const = 0;
    // Opened with Access::read_only_fallback and the store was not writable.
    virtual bool read_only() const { return false; }

    // A new session, claimed by this process, with its first events (none
    // or more; SQLite writes all of it in one commit); returns its id (12
    // lowercase hex digits).
    struct NewEvent {
        EventKind kind = EventKind::system;
        std::string_view data_json{};
    };
    Result<std::string> create_session(const NewSession& session, std::span<const NewEvent> first = {});

    // One live process per session: claim_session() records this process
    // (host and pid) as the session's holder until the store is closed. When
    // another process holds it and is alive, ErrorCode::denied with a message
    // naming it ("session 3f2a… is in use by ik (pid 4242) on host box");
    // a holder that died (or, on another host with SQLite, that has not
    // claimed for an hour) is taken over. Claiming again is a no-op.
    virtual Result<void> claim_session(std::string_view session_id) = 0;
    // Appends one event and commits it; returns its seq. not_found for an
    // unknown session, invalid_argument unless data is a JSON object.
    Result<int64_t> append(std::string_view session_id, EventKind kind, std::string_view data_json);

    // Appends several events in one transaction (all or none); returns the
    // seq of the last. For what arrives together (a turn's tool results and
    // usage): one commit instead of one each.
    Result<int64_t> append_many(std::string_view session_id, std::span<const NewEvent> events);

    // Most recently active first. Returns memory in `arena`.
    virtual Result<std::span<const SessionInfo>> list_sessions(mem::Arena& arena, const SessionFilter& filter) = 0;
    // The most recently active top-level session in `cwd` that has events,
    // if any: never a sub-agent's (`ik -c` continues the parent). Returns
    // memory in `arena`.
    Result<std::optional<SessionInfo>> latest_session(mem::Arena& arena, std::string_view cwd);
    // One session by full id (not_found otherwise). Returns memory in `arena`.
    virtual Result<SessionInfo> session(mem::Arena& arena, std::string_view id) = 0;
    // The full id of the one session whose id starts with `prefix`:
    // not_found for none, invalid_argument when ambiguous or not hex.
    virtual Result<std::string> resolve_id(std::string_view prefix) = 0;

    // Streams events with seq > after_seq in order into `sink`; an error from
    // the sink stops the load and is returned. not_found for an unknown session.
    virtual Result<void> load_events(std::string_view session_id, int64_t after_seq, const EventSink& sink) = 0;
    // The same, collected; returns memory in `arena`.
    Result<std::span<const Event>> load_events(mem::Arena& arena, std::string_view session_id, int64_t after_seq = 0);

    // Full-text search over event text, newest first; every word must match.
    // Returns memory in `arena`.
    virtual Result<std::span<const SearchHit>> search(mem::Arena& arena, std::string_view text, size_t limit = 50) = 0;

    virtual Result<int> schema_version() = 0;
    // SQLite: PRAGMA integrity_check; both: every session's seqs are 1..event_count.
    virtual Result<void> check_integrity() = 0;
    // Open replies of dead processes become `interrupted` events; open_store()
    // calls this. Returns how many were marked.
    virtual Result<size_t> recover_interrupted() = 0;

    // Streaming replies (see the top of this file).
    Result<Reply> begin_reply(std::string_view session_id);
    Result<void> append_text(Reply reply, std::string_view delta, Clock::time_point now = Clock::now());
    Result<void> flush_if_due(Clock::time_point now = Clock::now());
    Result<void> flush(Reply reply);
    // When the oldest buffered text must be written; nullopt when none is buffered.
    std::optional<Clock::time_point> next_flush_deadline() const;
    // Writes the final assistant event and closes the reply; returns its seq.
    // `record.text` is the reply's whole text; when it is longer than a batch
    // and begins with the batches written, the event refers to them
    // (AssistantRecord::partials) and carries only the rest. `then` (the
    // reply's usage) is appended after it in the same transaction: a reply
    // is one durable commit, not one per event.
    Result<int64_t> end_reply(Reply reply, const AssistantRecord& record, std::span<const NewEvent> then = {});
    // Writes an `interrupted` event (the batches written so far by reference,
    // the buffered rest as text), then `then`, and closes the reply.
    Result<int64_t> abort_reply(Reply reply, std::string_view reason, std::span<const NewEvent> then = {});

    const StoreOptions& options() const { return m_options; }
    void set_options(const StoreOptions& options) { m_options = options; }

protected:
    Store() = default;

    // Closes replies still open (abort_reply, "the session was closed").
    // Backends call it first in their destructors, while they can still write.
    void close_open_replies();

    // Whether the final event of a long reply may refer to its batches: only
    // where search joins them (SQLite's indexer does; PostgreSQL's index is a
    // generated column of one row, so its final events repeat the text).
    virtual bool joins_batches_in_search() const { return true; }

    // Reset-per-call scratch for JSON checks; backends may use it too.
    mem::Arena& scratch() { return m_scratch; }

    virtual Result<int64_t> do_append(
        std::string_view session_id, EventKind kind, std::string_view data_json, std::string_view title)
        = 0;
    // `titles` parallel to `events`.
    virtual Result<int64_t> do_append_many(
        std::string_view session_id, std::span<const NewEvent> events, std::span<const std::string> titles)
        = 0;
    // `titles` parallel to `first`.
    virtual Result<std::string> do_create_session(
        const NewSession& session, std::span<const NewEvent> first, std::span<const std::string> titles)
        = 0;
    // Registers an open reply owned by this process; returns its id.
    virtual Result<int64_t> do_begin_reply(std::string_view session_id) = 0;
    // Appends one assistant_partial event and touches the open reply, atomically.
    virtual Result<void> do_write_partial(std::string_view session_id, int64_t reply_id, std::string_view data_json)
        = 0;
    // Appends the closing event and `then` (titles parallel), and forgets
    // the open reply, atomically; returns the closing event's seq.
    virtual Result<int64_t> do_end_reply(std::string_view session_id, int64_t reply_id, EventKind kind,
        std::string_view data_json, std::span<const NewEvent> then, std::span<const std::string> titles)
        = 0;

private:
    struct OpenReply {
        int64_t id = 0;
        std::string session_id;
        std::vector<char> buffer; // text not yet written
        std::string_view text() const { return { buffer.data(), buffer.size() }; }
        // The reply's text is not kept here as well: the caller holds it, and
        // abort_reply() refers to the written batches instead.
        std::optional<Clock::time_point> pending_since;
        size_t written = 0; // bytes of text in the batches written
    };
    OpenReply* find_reply(Reply reply);
    // Writes `text` (the buffer, or a batch's worth of a delta) as one batch.
    Result<void> write_batch(OpenReply& open, std::string_view text);
    Result<int64_t> close_reply(Reply reply, EventKind kind, std::string_view data_json, std::span<const NewEvent> then,
        std::span<const std::string> titles);
    // Checks each event's JSON (check_event_data); returns their titles.
    // Resets the scratch arena.
    Result<std::vector<std::string>> check_events(std::span<const NewEvent> events);

    StoreOptions m_options;
    std::vector<OpenReply> m_replies;
    mem::Arena m_scratch{ mem::root(), "store", { .cap = 0, .block_size = size_t{ 16 } * 1024 } };
};

// $XDG_DATA_HOME/ik/ik.db, else ~/.local/share/ik/ik.db.
std::string default_sqlite_path();

enum class Access {
    read_write, // migrations and recovery run; a store that cannot be written is an error
    // For readers (`ik sessions`): a store that cannot be written (a read-only
    // or immutable file, a full disk) is opened read-only instead, without
    // migrations or recovery; every write then fails with ErrorCode::store.
    read_only_fallback,
};

struct OpenOptions {
    Access access = Access::read_write;
    // PostgreSQL: the longest a connect or one statement may take (a frozen
    // or silent server ends in an ErrorCode::store error, never a hang).
    std::chrono::milliseconds timeout{ 30'000 };
};

// PostgreSQL when `database_url` is not empty (postgres://, postgresql:// or
// a "key=value" conninfo), else SQLite at `sqlite_path` (directories are
// created). Applies pending migrations, then marks unfinished replies of dead
// processes interrupted.
Result<std::unique_ptr<Store>> open_store(
    std::string_view database_url, std::string_view sqlite_path, const OpenOptions& options = {});

} // namespace ik::store
