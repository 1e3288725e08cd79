#include "store/interrupted_text.h"

namespace ik::store {

InterruptedText::InterruptedText(mem::Arena& parent)
    : m_parent(parent)
{
}

InterruptedText::~InterruptedText()
{
    clear();
}

void InterruptedText::clear()
{
    if (m_arena)
        m_arena->destroy();
    m_arena = nullptr;
    m_text = nullptr;
    m_reply = 0;
    m_ended = false;
}

Result<bool> InterruptedText::take(mem::Arena& scratch, const Event& e)
{
    if (m_ended)
        clear();
    if (e.kind == EventKind::assistant) {
        clear(); // the open reply finished: its batches are repeated by this event
        return false;
    }
    if (e.kind != EventKind::assistant_partial)
        return false;
    AssistantPartialRecord part = TRY(AssistantPartialRecord::parse(scratch, e.data));
    if (!m_arena || part.reply != m_reply) {
        clear(); // a new reply (the one before ended without an event naming it)
        // Large blocks: a long reply's text grows without leaving old copies behind.
        m_arena = &m_parent.make_child("interrupted-text", { .cap = 0, .block_size = size_t{ 64 } * 1024 });
        m_text = m_arena->make<std::pmr::string>(m_arena);
        m_reply = part.reply;
    }
    m_text->append(part.text);
    return true;
}

std::string_view InterruptedText::text(const InterruptedRecord& r)
{
    m_ended = true;
    if (!r.partials || !r.reply || !m_text || *r.reply != m_reply)
        return r.text;
    m_text->append(r.text);
    return *m_text;
}

} // namespace ik::store
