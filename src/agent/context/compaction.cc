#include "agent/context/compaction.h"

#include <algorithm>

#include "agent/conversation.h"

namespace ik::agent {

std::string_view to_string(CompactionMode mode)
{
    switch (mode) {
    case CompactionMode::prune:
        return "prune";
    case CompactionMode::summary:
        return "summary";
    case CompactionMode::sliding:
        return "sliding";
    }
    return "prune";
}

store::CompactionRecord Compaction::record(mem::Arena& arena) const
{
    auto* prunes_out = arena.make_array<store::PruneRecord>(prunes.size());
    for (size_t i = 0; i < prunes.size(); ++i) {
        ::new (&prunes_out[i]) store::PruneRecord{ .index = static_cast<int64_t>(prunes[i].index),
            .head = static_cast<int64_t>(prunes[i].head),
            .tail = static_cast<int64_t>(prunes[i].tail) };
    }
    return store::CompactionRecord{ .mode = to_string(mode),
        .cut = static_cast<int64_t>(cut),
        .summary = summary,
        .prunes = { prunes_out, prunes.size() },
        .before_tokens = before_tokens,
        .after_tokens = after_tokens,
        .reason = reason,
        .focus = focus };
}

Compaction Compaction::from(const store::CompactionRecord& r)
{
    Compaction c;
    c.mode = r.mode == "summary" ? CompactionMode::summary
        : r.mode == "sliding"    ? CompactionMode::sliding
                                 : CompactionMode::prune;
    c.cut = static_cast<size_t>(std::max<int64_t>(0, r.cut));
    c.summary = std::string(r.summary);
    for (const store::PruneRecord& p : r.prunes) {
        if (p.index < 0 || p.head < 0 || p.tail < 0)
            continue; // not a position this build wrote
        c.prunes.push_back(
            Prune{ static_cast<size_t>(p.index), static_cast<size_t>(p.head), static_cast<size_t>(p.tail) });
    }
    c.before_tokens = r.before_tokens;
    c.after_tokens = r.after_tokens;
    c.reason = std::string(r.reason);
    c.focus = std::string(r.focus);
    return c;
}

void apply_compaction(Conversation& conversation, const Compaction& compaction)
{
    std::vector<Conversation::Replacement> texts;
    auto messages = conversation.messages();
    for (const Prune& p : compaction.prunes) {
        if (p.index >= messages.size() || messages[p.index].role != llm::Role::tool)
            continue;
        texts.push_back({ p.index, pruned_text(messages[p.index].text, p.head, p.tail) });
    }
    size_t cut = is_round_boundary(messages, compaction.cut) ? compaction.cut : 0;
    conversation.compact(cut, cut > 0 ? std::string_view(compaction.summary) : std::string_view(), texts);
}

} // namespace ik::agent
