#include "agent/recorder.h"

namespace ik::agent {

Recorder::Recorder(store::Store& store, mem::Arena& parent, Identity identity)
    : m_store(store)
    , m_scratch(parent, "record", { .cap = 0, .block_size = size_t{ 16 } * 1024 })
    , m_identity(std::move(identity))
{
}

void Recorder::attach(std::string id)
{
    m_id = std::move(id);
    m_held_commands.clear();
}

Result<int64_t> Recorder::ensure_session(std::optional<store::Store::NewEvent> first)
{
    if (!m_id.empty())
        return int64_t{ 0 };
    // Built in the scratch arena after the caller's record, which stays valid.
    std::vector<store::Store::NewEvent> events;
    events.reserve(m_held_commands.size() + 1);
    for (const std::string& text : m_held_commands)
        events.push_back({ store::EventKind::command, store::CommandRecord{ .text = text }.to_json(m_scratch) });
    if (first)
        events.push_back(*first);
    m_id = TRY(m_store.create_session(store::NewSession{ .cwd = m_identity.cwd,
                                          .model = m_identity.model,
                                          .title = m_identity.title,
                                          .parent_id = m_identity.parent_id,
                                          .parent_call_id = m_identity.parent_call_id },
        events));
    m_held_commands.clear();
    return static_cast<int64_t>(events.size()); // a new session's seqs start at 1
}

Result<int64_t> Recorder::write(store::EventKind kind, std::string_view json)
{
    if (!m_id.empty())
        return m_store.append(m_id, kind, json);
    return ensure_session(store::Store::NewEvent{ kind, json });
}

Result<void> Recorder::record_command(std::string_view text)
{
    if (m_id.empty()) {
        m_held_commands.emplace_back(text);
        return {};
    }
    TRY(record(store::CommandRecord{ .text = text }));
    return {};
}

Result<store::Reply> Recorder::begin_reply()
{
    m_scratch.reset();
    Result<int64_t> created = ensure_session();
    m_scratch.reset();
    if (!created)
        return fail(std::move(created.error()));
    return m_store.begin_reply(m_id);
}

// The reply's usage as the event written after its last one, in the scratch
// arena; empty when there is none.
std::span<const store::Store::NewEvent> Recorder::usage_event(
    const std::optional<store::UsageRecord>& usage, store::Store::NewEvent& slot)
{
    if (!usage)
        return {};
    slot = { store::EventKind::usage, usage->to_json(m_scratch) };
    return { &slot, 1 };
}

Result<int64_t> Recorder::end_reply(
    store::Reply reply, const store::AssistantRecord& record, const std::optional<store::UsageRecord>& usage)
{
    m_scratch.reset();
    store::Store::NewEvent slot;
    Result<int64_t> seq = m_store.end_reply(reply, record, usage_event(usage, slot));
    m_scratch.reset();
    return seq;
}

Result<int64_t> Recorder::abort_reply(
    store::Reply reply, std::string_view reason, const std::optional<store::UsageRecord>& usage)
{
    m_scratch.reset();
    store::Store::NewEvent slot;
    Result<int64_t> seq = m_store.abort_reply(reply, reason, usage_event(usage, slot));
    m_scratch.reset();
    return seq;
}

} // namespace ik::agent
