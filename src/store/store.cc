#include "store/store.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "store/internal/util.h"
#include "store/pg_store.h"
#include "store/records.h"
#include "store/sqlite_store.h"

namespace ik::store {

namespace {

constexpr std::array<std::string_view, event_kind_count> kind_names = {
    "user",
    "assistant",
    "assistant_partial",
    "thinking",
    "tool_call",
    "tool_result",
    "approval",
    "command",
    "mark",
    "rewind",
    "usage",
    "error",
    "interrupted",
    "system",
    "eviction",
    "compaction",
    "checkpoint",
    "undo",
};

} // namespace

std::string_view to_string(EventKind kind)
{
    return kind_names[static_cast<size_t>(kind)];
}

std::optional<EventKind> parse_event_kind(std::string_view name)
{
    for (size_t i = 0; i < kind_names.size(); ++i) {
        if (kind_names[i] == name)
            return static_cast<EventKind>(i);
    }
    return std::nullopt;
}

TimeMs now_ms()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string default_sqlite_path()
{
    const char* xdg = std::getenv("XDG_DATA_HOME");
    if (xdg && *xdg == '/')
        return std::string(xdg) + "/ik/ik.db";
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.local/share/ik/ik.db";
}

Store::~Store() = default;

Result<int64_t> Store::append(std::string_view session_id, EventKind kind, std::string_view data_json)
{
    Result<std::string> title = internal::check_event_data(m_scratch, kind, data_json);
    m_scratch.reset();
    if (!title)
        return fail(std::move(title.error()));
    return do_append(session_id, kind, data_json, *title);
}

Result<std::string> Store::create_session(const NewSession& session, std::span<const NewEvent> first)
{
    std::vector<std::string> titles = TRY(check_events(first));
    return do_create_session(session, first, titles);
}

Result<int64_t> Store::append_many(std::string_view session_id, std::span<const NewEvent> events)
{
    if (events.empty())
        return fail(ErrorCode::invalid_argument, "append_many: no events");
    std::vector<std::string> titles = TRY(check_events(events));
    return do_append_many(session_id, events, titles);
}

Result<std::vector<std::string>> Store::check_events(std::span<const NewEvent> events)
{
    std::vector<std::string> titles;
    titles.reserve(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
        Result<std::string> title = internal::check_event_data(m_scratch, events[i].kind, events[i].data_json);
        m_scratch.reset();
        if (!title)
            return fail(std::move(title.error()).add_context(fmt::format("in event {} of {}", i + 1, events.size())));
        titles.push_back(std::move(*title));
    }
    return titles;
}

Result<std::optional<SessionInfo>> Store::latest_session(mem::Arena& arena, std::string_view cwd)
{
    // Sessions without events (made by versions that created the row at
    // start) are never worth continuing: skip them.
    std::span<const SessionInfo> sessions
        = TRY(list_sessions(arena, { .cwd = cwd, .limit = 0, .sub_agents = SubAgentSessions::exclude }));
    for (const SessionInfo& s : sessions) {
        if (s.event_count > 0)
            return std::optional<SessionInfo>(s);
    }
    return std::optional<SessionInfo>();
}

Result<std::span<const Event>> Store::load_events(mem::Arena& arena, std::string_view session_id, int64_t after_seq)
{
    auto* events = arena.make<std::pmr::vector<Event>>(&arena);
    TRY(load_events(session_id, after_seq, [&](const Event& e) -> Result<void> {
        Event copy = e;
        copy.data = arena.copy(e.data);
        events->push_back(copy);
        return {};
    }));
    return std::span<const Event>(events->data(), events->size());
}

Store::OpenReply* Store::find_reply(Reply reply)
{
    for (OpenReply& open : m_replies) {
        if (open.id == reply.id)
            return &open;
    }
    return nullptr;
}

Result<Reply> Store::begin_reply(std::string_view session_id)
{
    int64_t id = TRY_CONTEXT(do_begin_reply(session_id), "while starting a reply in session {}", session_id);
    OpenReply& open = m_replies.emplace_back();
    open.id = id;
    open.session_id = session_id;

    return Reply{ id };
}

namespace {
bool continuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// At most `n` bytes of `text`, not splitting a code point: 0 when the
// first code point is longer than n. A run of continuation bytes longer
// than a code point's is not UTF-8 and is cut at n.
size_t cut_at_code_point(std::string_view text, size_t n)
{
    if (n >= text.size())
        return text.size();
    size_t cut = n;
    while (cut > 0 && n - cut < 3 && continuation(text[cut]))
        --cut;
    return continuation(text[cut]) ? n : cut;
}
} // namespace

Result<void> Store::write_batch(OpenReply& open, std::string_view text)
{
    if (text.empty()) {
        open.pending_since.reset();
        return {};
    }
    // The batch's JSON in the scratch arena: the one copy of the batch a
    // write needs (SQLite then copies the bound value into its record).
    m_scratch.reset();
    std::string_view json = AssistantPartialRecord{ .reply = open.id, .text = text }.to_json(m_scratch);
    Result<void> written = do_write_partial(open.session_id, open.id, json);
    m_scratch.reset();
    TRY(written);
    open.written += text.size();
    open.buffer.clear();
    open.pending_since.reset();
    return {};
}

Result<void> Store::append_text(Reply reply, std::string_view delta, Clock::time_point now)
{
    OpenReply* open = find_reply(reply);
    if (!open)
        return fail(ErrorCode::invalid_argument, "reply {} is not open", reply.id);
    if (delta.empty())
        return {};
    // A batch is at most flush_bytes, however large the delta: what fills
    // one is written from the delta itself when nothing is buffered, so a
    // megabyte delta is not copied into the buffer first (docs/perf.md).
    while (open->buffer.size() + delta.size() >= m_options.flush_bytes) {
        size_t room = m_options.flush_bytes - open->buffer.size();
        size_t n = cut_at_code_point(delta, room);
        if (n == 0 && !open->buffer.empty()) { // the next code point does not fit
            TRY(write_batch(*open, open->text()));
            continue;
        }
        n = n == 0 ? room : n; // a batch smaller than one code point (never by default)
        if (open->buffer.empty()) {
            TRY(write_batch(*open, delta.substr(0, n)));
        } else {
            open->buffer.insert(open->buffer.end(), delta.begin(), delta.begin() + static_cast<ptrdiff_t>(n));
            TRY(write_batch(*open, open->text()));
        }
        delta.remove_prefix(n);
        if (delta.empty())
            return {};
    }
    if (!open->pending_since)
        open->pending_since = now;
    // Doubling only up to the batch size: a buffer doubled past it would
    // hold twice a batch for the rest of the reply. A vector, because
    // std::string::reserve doubles anyway.
    size_t need = open->buffer.size() + delta.size();
    if (need > open->buffer.capacity())
        open->buffer.reserve(std::max(need, std::min(m_options.flush_bytes, 2 * open->buffer.capacity())));
    open->buffer.insert(open->buffer.end(), delta.begin(), delta.end());
    if (now - *open->pending_since >= m_options.flush_interval)
        return write_batch(*open, open->text());
    return {};
}

Result<void> Store::flush_if_due(Clock::time_point now)
{
    for (OpenReply& open : m_replies) {
        if (open.pending_since && now - *open.pending_since >= m_options.flush_interval)
            TRY(write_batch(open, open.text()));
    }
    return {};
}

Result<void> Store::flush(Reply reply)
{
    OpenReply* open = find_reply(reply);
    if (!open)
        return fail(ErrorCode::invalid_argument, "reply {} is not open", reply.id);
    return write_batch(*open, open->text());
}

std::optional<Clock::time_point> Store::next_flush_deadline() const
{
    std::optional<Clock::time_point> deadline;
    for (const OpenReply& open : m_replies) {
        if (open.pending_since && (!deadline || *open.pending_since + m_options.flush_interval < *deadline))
            deadline = *open.pending_since + m_options.flush_interval;
    }
    return deadline;
}

Result<int64_t> Store::close_reply(Reply reply, EventKind kind, std::string_view data_json,
    std::span<const NewEvent> then, std::span<const std::string> titles)
{
    OpenReply* open = find_reply(reply);
    if (!open)
        return fail(ErrorCode::invalid_argument, "reply {} is not open", reply.id);
    int64_t seq = TRY(do_end_reply(open->session_id, open->id, kind, data_json, then, titles));
    std::erase_if(m_replies, [&](const OpenReply& r) { return r.id == reply.id; });
    return seq;
}

Result<int64_t> Store::end_reply(Reply reply, const AssistantRecord& record, std::span<const NewEvent> then)
{
    OpenReply* open = find_reply(reply);
    if (!open)
        return fail(ErrorCode::invalid_argument, "reply {} is not open", reply.id);
    std::vector<std::string> titles = TRY(check_events(then));
    // A reply of at least one batch refers to its batches when they hold the
    // text's beginning (they do: the caller streamed this text through
    // append_text), so only the unwritten rest is built into JSON and a row.
    // A shorter one carries all of it: one event to index and to read.
    AssistantRecord final_record = record;
    if (joins_batches_in_search() && open->written >= m_options.flush_bytes
        && record.text.size() == open->written + open->buffer.size() && record.text.ends_with(open->text())) {
        final_record.text = record.text.substr(open->written);
        final_record.reply = open->id;
        final_record.partials = true;
    }
    m_scratch.reset();
    Result<int64_t> seq = close_reply(reply, EventKind::assistant, final_record.to_json(m_scratch), then, titles);
    m_scratch.reset();
    return seq;
}

Result<int64_t> Store::abort_reply(Reply reply, std::string_view reason, std::span<const NewEvent> then)
{
    OpenReply* open = find_reply(reply);
    if (!open)
        return fail(ErrorCode::invalid_argument, "reply {} is not open", reply.id);
    std::vector<std::string> titles = TRY(check_events(then));
    // The batches written so far hold their text durably: the event refers
    // to them and carries only what is still buffered, so an interrupted
    // reply is neither read back nor written twice (InterruptedRecord).
    InterruptedRecord record{
        .reason = reason, .text = open->text(), .reply = open->id, .partials = open->written > 0
    };
    m_scratch.reset();
    Result<int64_t> seq = close_reply(reply, EventKind::interrupted, record.to_json(m_scratch), then, titles);
    m_scratch.reset();
    return seq;
}

void Store::close_open_replies()
{
    while (!m_replies.empty()) {
        Reply reply{ m_replies.back().id };
        if (!abort_reply(reply, "the session was closed"))
            m_replies.pop_back(); // left open: the next start marks it interrupted
    }
}

Result<std::unique_ptr<Store>> open_store(
    std::string_view database_url, std::string_view sqlite_path, const OpenOptions& options)
{
    std::unique_ptr<Store> store;
    if (!database_url.empty()) {
        store = TRY(PgStore::open(database_url, options));
    } else {
        std::string path = sqlite_path.empty() ? default_sqlite_path() : std::string(sqlite_path);
        store = TRY(SqliteStore::open(path, options.access));
    }
    if (store->read_only())
        return store; // recovery is a write; a writer will do it
    TRY_CONTEXT(store->recover_interrupted(), "while marking unfinished replies in {}", store->describe());
    return store;
}

} // namespace ik::store
