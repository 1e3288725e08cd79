#include "agent/reply_sources.h"

#include <algorithm>

#include "llm/catalog.h"

namespace ik::agent {

ReplySources::ReplySources(mem::Arena& arena)
    : m_arena(arena)
    , m_cited(&arena)
    , m_found(&arena)
{
}

void ReplySources::add(const llm::Event& event)
{
    if (event.kind != llm::StreamEventKind::source || event.text.empty())
        return;
    add_to(event.index == 1 ? m_cited : m_found, event.text, event.name);
}

void ReplySources::add_to(std::pmr::vector<store::SourceRecord>& to, std::string_view url, std::string_view title)
{
    if (to.size() >= max_sources)
        return;
    if (std::any_of(to.begin(), to.end(), [url](const store::SourceRecord& s) { return s.url == url; }))
        return;
    // The event's views die with the SSE event: keep copies.
    to.push_back(store::SourceRecord{ .url = m_arena.copy(url), .title = m_arena.copy(title) });
}

std::span<const store::SourceRecord> ReplySources::list() const
{
    return m_cited.empty() ? m_found : m_cited;
}

llm::WebSearch offered_search(const llm::WebSearch& configured, uint8_t model_caps)
{
    llm::WebSearch out = configured;
    out.enabled = configured.enabled && (model_caps & llm::cap_web_search) != 0;
    return out;
}

} // namespace ik::agent
