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

void Conversation::add_user(std::string_view text, std::span<const llm::Image> images)
{
    m_exchanges.push_back(Exchange{ &m_session.make_child("exchange"), m_messages.size() });
    mem::Arena& a = *m_exchanges.back().arena;
    llm::Message m;
    m.role = llm::Role::user;
    m.text = a.copy(text);
    m.images = copy_images(a, images);
    m_messages.push_back(m);
}

// The image bytes live in the exchange, like its text: evicting or
// compacting the exchange frees them with it.
std::span<const llm::Image> Conversation::copy_images(mem::Arena& a, std::span<const llm::Image> images)
{
    if (images.empty())
        return {};
    auto* copied = a.make_array<llm::Image>(images.size());
    for (size_t i = 0; i < images.size(); ++i)
        ::new (&copied[i]) llm::Image{ a.copy(images[i].media_type), a.copy(images[i].data), a.copy(images[i].name) };
    return { copied, images.size() };
}

void Conversation::add_assistant(std::string_view text, std::string_view thinking, std::string_view thinking_signature,
    std::span<const llm::ToolCall> calls)
{
    add_held_assistant(current_arena().copy(text), thinking, thinking_signature, calls);
}

std::string_view Conversation::hold(const mem::ChunkedText& text)
{
    return text.copy_to(current_arena());
}

void Conversation::add_held_assistant(std::string_view held_text, std::string_view thinking,
    std::string_view thinking_signature, std::span<const llm::ToolCall> calls)
{
    mem::Arena& a = current_arena();
    llm::Message m;
    m.role = llm::Role::assistant;
    m.text = held_text;
    m.thinking = a.copy(thinking);
    m.thinking_signature = a.copy(thinking_signature);
    if (!calls.empty()) {
        auto* copied = a.make_array<llm::ToolCall>(calls.size());
        for (size_t i = 0; i < calls.size(); ++i) {
            ::new (&copied[i]) llm::ToolCall{ a.copy(calls[i].id), a.copy(calls[i].name), a.copy(calls[i].arguments),
                a.copy(calls[i].signature) };
        }
        m.tool_calls = { copied, calls.size() };
    }
    m_messages.push_back(m);
}

void Conversation::add_tool_result(std::string_view call_id, std::string_view tool_name, std::string_view content,
    bool is_error, std::span<const llm::Image> images)
{
    mem::Arena& a = current_arena();
    llm::Message m;
    m.role = llm::Role::tool;
    m.tool_call_id = a.copy(call_id);
    m.tool_name = a.copy(tool_name);
    m.text = a.copy(content);
    m.is_error = is_error;
    m.images = copy_images(a, images);
    m_messages.push_back(m);
}

void Conversation::drop_exchange_arenas_from(size_t exchange_index)
{
    for (size_t i = exchange_index; i < m_exchanges.size(); ++i)
        m_exchanges[i].arena->destroy();
    m_exchanges.resize(exchange_index);
}

void Conversation::truncate_exchanges(size_t end)
{
    if (end >= exchange_end())
        return;
    size_t keep = end > m_first ? end - m_first : 0;
    size_t messages = keep < m_exchanges.size() ? m_exchanges[keep].first : m_messages.size();
    drop_exchange_arenas_from(keep);
    m_messages.resize(messages);
}

void Conversation::restart_at(size_t first)
{
    drop_exchange_arenas_from(0);
    m_messages.clear();
    m_first = first;
}

bool Conversation::evict_oldest()
{
    if (m_exchanges.size() < 2)
        return false;
    size_t gone = m_exchanges[1].first;
    m_exchanges.front().arena->destroy();
    m_exchanges.erase(m_exchanges.begin());
    ++m_first;
    for (auto& e : m_exchanges)
        e.first -= gone;
    m_messages.erase(m_messages.begin(), m_messages.begin() + static_cast<ptrdiff_t>(gone));
    m_evicted += gone;
    return true;
}

llm::Message Conversation::copy_message(mem::Arena& a, const llm::Message& from, std::string_view text)
{
    llm::Message m = from;
    m.text = a.copy(text);
    m.thinking = a.copy(m.thinking);
    m.thinking_signature = a.copy(m.thinking_signature);
    m.tool_call_id = a.copy(m.tool_call_id);
    m.tool_name = a.copy(m.tool_name);
    m.images = copy_images(a, m.images);
    if (!m.tool_calls.empty()) {
        auto* copied = a.make_array<llm::ToolCall>(m.tool_calls.size());
        for (size_t k = 0; k < m.tool_calls.size(); ++k) {
            const llm::ToolCall& c = m.tool_calls[k];
            ::new (&copied[k]) llm::ToolCall{ a.copy(c.id), a.copy(c.name), a.copy(c.arguments), a.copy(c.signature) };
        }
        m.tool_calls = { copied, m.tool_calls.size() };
    }
    return m;
}

void Conversation::compact(size_t cut, std::string_view summary, std::span<const Replacement> replacements)
{
    if (m_exchanges.empty())
        return;
    cut = std::min(cut, m_messages.size());
    // The exchange holding message `cut` keeps its number and now starts with
    // the summary; the exchanges wholly before it leave the window as an
    // eviction would, so marks and recorded evictions keep their meaning.
    size_t keep = 0;
    while (cut > 0 && keep + 1 < m_exchanges.size() && m_exchanges[keep + 1].first <= cut)
        ++keep;
    // Heap temporaries, copied back into the vectors' existing capacity: new
    // vectors in the (bump-allocated) session arena would leak their buffers.
    std::vector<llm::Message> next;
    std::vector<Exchange> exchanges;
    next.reserve(m_messages.size() - cut + 1);
    for (size_t e = keep; e < m_exchanges.size(); ++e) {
        mem::Arena& a = m_session.make_child("exchange");
        exchanges.push_back(Exchange{ &a, next.size() });
        size_t begin = m_exchanges[e].first;
        size_t end = e + 1 < m_exchanges.size() ? m_exchanges[e + 1].first : m_messages.size();
        if (e == keep && cut > 0) {
            begin = cut;
            llm::Message m;
            m.role = llm::Role::user;
            m.text = a.copy(summary);
            next.push_back(m);
        }
        for (size_t i = begin; i < end; ++i) {
            llm::Message from = m_messages[i];
            for (const Replacement& r : replacements)
                if (r.index == i) {
                    from.text = r.text;
                    from.images = {}; // a pruned result's images go with its text
                }
            next.push_back(copy_message(a, from, from.text));
        }
    }
    m_evicted += cut;
    drop_exchange_arenas_from(0);
    m_first += keep;
    m_messages.assign(next.begin(), next.end());
    m_exchanges.assign(exchanges.begin(), exchanges.end());
}

size_t Conversation::bytes() const
{
    size_t total = 0;
    for (const auto& e : m_exchanges)
        total += e.arena->subtree_reserved();
    return total;
}

} // namespace ik::agent
