#include "agent/conversation.h"

#include <algorithm>
#include <vector>

namespace ik::agent {

Conversation::Conversation(mem::Arena& session)
    : m_session(session)
    , m_messages(&session)
    , m_exchanges(&session)
{
}

Conversation::~Conversation()
{
    drop_exchange_arenas_from(0);
}

mem::Arena& Conversation::current_arena()
{
    if (m_exchanges.empty()) {
        // Assistant text before any user message (a resumed system note):
        // it still needs an exchange to live in.
        m_exchanges.push_back(Exchange{ &m_session.make_child("exchange"), m_messages.size() });
    }
    return *m_exchanges.back().arena;
}

void Conversation::add_user(std::string_view text)
{
    m_exchanges.push_back(Exchange{ &m_session.make_child("exchange"), m_messages.size() });
    mem::Arena& a = *m_exchanges.back().arena;
    llm::Message m;
    m.role = llm::Role::user;
    m.text = a.copy(text);
    m_messages.push_back(m);
}

void Conversation::add_assistant(std::string_view text, std::string_view thinking, std::string_view thinking_signature,
    std::span<const llm::ToolCall> calls)
{
    mem::Arena& a = current_arena();
    llm::Message m;
    m.role = llm::Role::assistant;
    m.text = a.copy(text);
    m.thinking = a.copy(thinking);
    m.thinking_signature = a.copy(thinking_signature);
    if (!calls.empty()) {
        auto* copied = a.make_array<llm::ToolCall>(calls.size());
        for (size_t i = 0; i < calls.size(); ++i) {
            ::new (&copied[i]) llm::ToolCall{ a.copy(calls[i].id), a.copy(calls[i].name), a.copy(calls[i].arguments) };
        }
        m.tool_calls = { copied, calls.size() };
    }
    m_messages.push_back(m);
}

void Conversation::add_tool_result(
    std::string_view call_id, std::string_view tool_name, std::string_view content, bool is_error)
{
    mem::Arena& a = current_arena();
    llm::Message m;
    m.role = llm::Role::tool;
    m.tool_call_id = a.copy(call_id);
    m.tool_name = a.copy(tool_name);
    m.text = a.copy(content);
    m.is_error = is_error;
    m_messages.push_back(m);
}

void Conversation::drop_exchange_arenas_from(size_t exchange_index)
{
    for (size_t i = exchange_index; i < m_exchanges.size(); ++i)
        m_exchanges[i].arena->destroy();
    m_exchanges.resize(exchange_index);
}

void Conversation::truncate(size_t count)
{
    if (count >= m_messages.size())
        return;
    // Exchanges that start at or after `count` go whole; the one containing
    // `count` keeps its arena (its earlier messages still point into it).
    size_t keep = 0;
    while (keep < m_exchanges.size() && m_exchanges[keep].first < count)
        ++keep;
    drop_exchange_arenas_from(keep);
    m_messages.resize(count);
}

bool Conversation::evict_oldest()
{
    if (m_exchanges.size() < 2)
        return false;
    size_t gone = m_exchanges[1].first;
    m_exchanges.front().arena->destroy();
    m_exchanges.erase(m_exchanges.begin());
    for (auto& e : m_exchanges)
        e.first -= gone;
    m_messages.erase(m_messages.begin(), m_messages.begin() + static_cast<ptrdiff_t>(gone));
    m_evicted += gone;
    return true;
}

void Conversation::compact(size_t cut, std::string_view summary, std::span<const Replacement> replacements)
{
    cut = std::min(cut, m_messages.size());
    mem::Arena& a = m_session.make_child("exchange");
    // A heap temporary, copied back into m_messages' existing capacity: a new
    // vector in the (bump-allocated) session arena would leak its buffer there.
    std::vector<llm::Message> next;
    next.reserve(m_messages.size() - cut + 1);
    if (cut > 0) {
        llm::Message m;
        m.role = llm::Role::user;
        m.text = a.copy(summary);
        next.push_back(m);
    }
    for (size_t i = cut; i < m_messages.size(); ++i) {
        llm::Message m = m_messages[i];
        std::string_view text = m.text;
        for (const Replacement& r : replacements)
            if (r.index == i)
                text = r.text;
        m.text = a.copy(text);
        m.thinking = a.copy(m.thinking);
        m.thinking_signature = a.copy(m.thinking_signature);
        m.tool_call_id = a.copy(m.tool_call_id);
        m.tool_name = a.copy(m.tool_name);
        if (!m.tool_calls.empty()) {
            auto* copied = a.make_array<llm::ToolCall>(m.tool_calls.size());
            for (size_t k = 0; k < m.tool_calls.size(); ++k) {
                const llm::ToolCall& c = m.tool_calls[k];
                ::new (&copied[k]) llm::ToolCall{ a.copy(c.id), a.copy(c.name), a.copy(c.arguments) };
            }
            m.tool_calls = { copied, m.tool_calls.size() };
        }
        next.push_back(m);
    }
    m_evicted += cut;
    drop_exchange_arenas_from(0);
    m_messages.assign(next.begin(), next.end());
    m_exchanges.push_back(Exchange{ &a, 0 });
}

size_t Conversation::bytes() const
{
    size_t total = 0;
    for (const auto& e : m_exchanges)
        total += e.arena->subtree_reserved();
    return total;
}

} // namespace ik::agent
