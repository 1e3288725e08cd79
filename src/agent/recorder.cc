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

Result<void> Recorder::ensure_session()
{
    if (!m_id.empty())
        return {};
    m_id = TRY(m_store.create_session(store::NewSession{ .cwd = m_identity.cwd,
        .model = m_identity.model,
        .title = m_identity.title,
        .parent_id = m_identity.parent_id,
        .parent_call_id = m_identity.parent_call_id }));
    std::vector<std::string> held = std::move(m_held_commands);
    m_held_commands.clear();
    for (const std::string& text : held) {
        m_scratch.reset();
        TRY(m_store.append(m_id, store::EventKind::command, store::CommandRecord{ .text = text }.to_json(m_scratch)));
    }
    return {};
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
    TRY(ensure_session());
    return m_store.begin_reply(m_id);
}

Result<int64_t> Recorder::end_reply(store::Reply reply, const store::AssistantRecord& record)
{
    return m_store.end_reply(reply, record);
}

} // namespace ik::agent
