// The sources of one reply: what the provider's server-side web search found
// and what the reply cites, as the numbered list shown under the reply and
// stored with it (store::AssistantRecord::sources).
//
// A reply's cited pages are the list when there are any; otherwise the pages
// its searches returned. Either list is deduplicated by URL (the first title
// wins) and capped at max_sources entries: a provider may return dozens of
// results per search, and a person reads the first few.
//
//   ReplySources sources(round_arena);
//   sources.add(event);                       // llm source events
//   record.sources = sources.list();
//
// Owns nothing: its vectors and strings live in the arena it is given (the
// turn's round arena), freed with it.
#pragma once

#include <memory_resource>
#include <span>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "llm/event.h"
#include "llm/request.h"
#include "store/records.h"

namespace ik::agent {

class ReplySources {
public:
    static constexpr size_t max_sources = 20;

    explicit ReplySources(mem::Arena& arena);

    // A StreamEventKind::source event; other kinds are ignored.
    void add(const llm::Event& event);
    // Cited pages if any, else search results; views into the arena.
    std::span<const store::SourceRecord> list() const;

private:
    void add_to(std::pmr::vector<store::SourceRecord>& to, std::string_view url, std::string_view title);

    mem::Arena& m_arena;
    std::pmr::vector<store::SourceRecord> m_cited;
    std::pmr::vector<store::SourceRecord> m_found;
};

// The search a request offers: the configured one, for a model whose
// provider runs a search (llm::cap_web_search in the catalog), else none.
llm::WebSearch offered_search(const llm::WebSearch& configured, uint8_t model_caps);

} // namespace ik::agent
