#include "store/reply_text.h"

namespace ik::store {

ReplyText::ReplyText(mem::Arena& parent)
    : m_parent(parent)
{
}

ReplyText::~ReplyText()
{
    clear();
}

void ReplyText::clear()
{
    if (m_arena)
        m_arena->destroy();
    m_arena = nullptr;
    m_text = nullptr;
    m_reply = 0;
    m_ended = false;
    m_joined = false;
}

Result<bool> ReplyText::take(mem::Arena& scratch, const Event& e)
{
    if (m_ended)
        clear();
    if (e.kind == EventKind::assistant || e.kind == EventKind::interrupted) {
        m_ended = true; // its text() may join the batches; the next take() drops them
        return false;
    }
    if (e.kind != EventKind::assistant_partial)
        return false;
    AssistantPartialRecord part = TRY(AssistantPartialRecord::parse(scratch, e.data));
    if (!m_arena || part.reply != m_reply) {
        clear(); // a new reply (the one before ended without an event naming it)
        // Large blocks: a long reply's text grows without leaving old copies behind.
        m_arena = &m_parent.make_child("reply-text", { .cap = 0, .block_size = size_t{ 64 } * 1024 });
        m_text = m_arena->make<std::pmr::string>(m_arena);
        m_reply = part.reply;
    }
    m_text->append(part.text);
    return true;
}

std::string_view ReplyText::join(std::string_view own, std::optional<int64_t> reply, bool partials)
{
    if (!partials || !reply || !m_text || *reply != m_reply)
        return own;
    if (!m_joined) // asked twice for one event: the text is joined once
        m_text->append(own);
    m_joined = true;
    return *m_text;
}

} // namespace ik::store
