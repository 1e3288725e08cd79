#include "tui/code_highlight.h"

#include <algorithm>

namespace ik::tui {

bool HighlightCache::highlight(std::string_view lang, std::string_view code, std::vector<Span>& out)
{
    out.clear();
    if (!m_inner || lang.empty() || code.size() > max_code_bytes)
        return false;
    auto hit = std::find_if(
        m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.lang == lang && e.code == code; });
    if (hit != m_entries.end()) {
        out = hit->runs;
        return hit->ok;
    }
    ++m_misses;
    Entry e{ std::string(lang), std::string(code), false, {} };
    e.ok = m_inner->highlight(lang, code, e.runs);
    out = e.runs;
    bool ok = e.ok;
    if (m_entries.size() >= capacity)
        m_entries.erase(m_entries.begin());
    m_entries.push_back(std::move(e));
    return ok;
}

} // namespace ik::tui
