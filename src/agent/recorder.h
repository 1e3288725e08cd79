// Recorder — a session's writer to the store: typed records in, events out.
//
// Every event a session or its turns write goes through here as a record
// (store/records.h), serialised into a scratch arena that is reset before
// each append: no heap JSON on the turn path.
//
// The session row is created with the first event worth keeping (issue 10):
// a session that is opened and closed without a prompt stores nothing, so
// `ik -c` never finds an empty one. Slash commands typed before that are
// held here and written, in order, just before the first event.
//
//   Recorder r(store, session_arena, {.cwd = cwd, .model = spec});
//   TRY(r.record(store::UserRecord{.text = prompt}));   // creates the row with it
//
// Owns: the session id, the held commands (heap, a few short strings) and a
// scratch arena (child of `parent`). Borrows the store.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/result.h"
#include "store/records.h"
#include "store/store.h"

namespace ik::agent {

class Recorder {
public:
    struct Identity {
        std::string cwd;
        std::string model;
        // A sub-agent's session row names its parent (store::NewSession).
        std::string parent_id{};
        std::string parent_call_id{};
        std::string title{};
    };
    Recorder(store::Store& store, mem::Arena& parent, Identity identity);

    // An existing session (resume): its events are appended to it.
    void attach(std::string id);
    // Empty until the first event is written.
    std::string_view id() const { return m_id; }
    void set_model(std::string model) { m_identity.model = std::move(model); }

    // Appends one event (the session row is created with it if needed);
    // returns its seq.
    template <typename R> Result<int64_t> record(const R& record)
    {
        m_scratch.reset();
        Result<int64_t> seq = write(R::kind, record.to_json(m_scratch));
        m_scratch.reset(); // a big record's blocks go now, not at the next append
        return seq;
    }
    // A command alone does not create the session: it waits for the first
    // other event (or is written at once when the row exists).
    Result<void> record_command(std::string_view text);

    // Streaming replies (store.h); begin_reply creates the row if needed.
    Result<store::Reply> begin_reply();
    Result<void> append_text(store::Reply reply, std::string_view delta) { return m_store.append_text(reply, delta); }
    // The reply's usage, when given, is written in the same commit.
    Result<int64_t> end_reply(store::Reply reply, const store::AssistantRecord& record,
        const std::optional<store::UsageRecord>& usage = std::nullopt);
    Result<int64_t> abort_reply(
        store::Reply reply, std::string_view reason, const std::optional<store::UsageRecord>& usage = std::nullopt);
    Result<void> flush_if_due() { return m_store.flush_if_due(); }
    std::optional<store::Clock::time_point> next_flush_deadline() const { return m_store.next_flush_deadline(); }

    store::Store& store() { return m_store; }

private:
    // Creates the session row when it does not exist yet, with the held
    // commands and then `first` (if any) in the same commit; returns the
    // seq of the last event written (0: none, or the row existed).
    Result<int64_t> ensure_session(std::optional<store::Store::NewEvent> first = std::nullopt);
    Result<int64_t> write(store::EventKind kind, std::string_view json);
    std::span<const store::Store::NewEvent> usage_event(
        const std::optional<store::UsageRecord>& usage, store::Store::NewEvent& slot);

    store::Store& m_store;
    mem::Arena m_scratch;
    Identity m_identity;
    std::string m_id;
    std::vector<std::string> m_held_commands;
};

} // namespace ik::agent
