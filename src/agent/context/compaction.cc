#include "agent/context/compaction.h"

#include <algorithm>

#include "agent/context/estimator.h"
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

namespace {

// The prunes apply_compaction() honours: positions this window has, on tool results.
std::vector<Conversation::Replacement> valid_prunes(std::span<const llm::Message> messages, const Compaction& c)
{
    std::vector<Conversation::Replacement> texts;
    for (const Prune& p : c.prunes) {
        if (p.index >= messages.size() || messages[p.index].role != llm::Role::tool)
            continue;
        texts.push_back({ p.index, pruned_text(messages[p.index].text, p.head, p.tail) });
    }
    return texts;
}

size_t valid_cut(std::span<const llm::Message> messages, const Compaction& c)
{
    return is_round_boundary(messages, c.cut) ? c.cut : 0;
}

} // namespace

void apply_compaction(Conversation& conversation, const Compaction& compaction)
{
    auto messages = conversation.messages();
    std::vector<Conversation::Replacement> texts = valid_prunes(messages, compaction);
    size_t cut = valid_cut(messages, compaction);
    conversation.compact(cut, cut > 0 ? std::string_view(compaction.summary) : std::string_view(), texts);
}

size_t compacted_bytes(std::span<const llm::Message> messages, const Compaction& compaction)
{
    std::vector<Conversation::Replacement> texts = valid_prunes(messages, compaction);
    size_t cut = std::min(valid_cut(messages, compaction), messages.size());
    size_t n = cut > 0 ? message_overhead_bytes + compaction.summary.size() : 0;
    for (size_t i = cut; i < messages.size(); ++i) {
        n += message_bytes(messages[i]);
        for (const Conversation::Replacement& r : texts)
            if (r.index == i)
                n = n - messages[i].text.size() + r.text.size();
    }
    return n;
}

} // namespace ik::agent
