#include "agent/context/compaction_plan.h"

#include <algorithm>

#include <fmt/format.h>

namespace ik::agent {

namespace {

bool is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

// How many messages at the end are never touched: the current round (the
// newest assistant message and its results) and at least a quarter of the target.
size_t protected_from(std::span<const llm::Message> messages, const TokenEstimator& est, int64_t target)
{
    size_t from = messages.size();
    while (from > 0 && messages[from - 1].role == llm::Role::tool)
        --from;
    if (from > 0)
        --from; // the assistant message that made those calls (or the newest message)
    size_t keep_bytes = est.bytes_for(target / 4);
    size_t bytes = messages_bytes(messages.subspan(from));
    while (from > 0 && bytes < keep_bytes) {
        bytes += message_bytes(messages[from - 1]);
        --from;
    }
    return from;
}

size_t pruned_size(const llm::Message& m, const Prune& p)
{
    return message_bytes(m) - m.text.size() + p.head + p.tail + 48;
}

} // namespace

int64_t reserve_for(int64_t window, int64_t model_max_output, int64_t request_max_tokens)
{
    int64_t reserve = request_max_tokens > 0 ? request_max_tokens : model_max_output;
    return std::clamp<int64_t>(reserve, 0, window / 4);
}

bool is_round_boundary(std::span<const llm::Message> messages, size_t cut)
{
    return cut > 0 && cut < messages.size() && messages[cut].role != llm::Role::tool;
}

Plan plan_compaction(const PlanInput& in, const TokenEstimator& est)
{
    Plan plan;
    auto messages = in.messages;
    size_t bytes = in.fixed_bytes + messages_bytes(messages);
    plan.before_tokens = est.tokens(bytes);
    plan.limit_tokens = static_cast<int64_t>(in.threshold * static_cast<double>(in.window)) - in.reserve;
    plan.after_tokens = plan.before_tokens;
    if (plan.before_tokens <= plan.limit_tokens && !in.force)
        return plan;
    int64_t target = std::max<int64_t>(plan.limit_tokens * 6 / 10, 1);
    size_t target_bytes = est.bytes_for(target);
    // On demand (or after a provider's refusal) everything but the newest round may go.
    size_t protect = protected_from(messages, est, in.force ? 0 : target);

    // 1. Prune old tool outputs, oldest first.
    for (size_t i = 0; i < protect && bytes > target_bytes; ++i) {
        const llm::Message& m = messages[i];
        if (m.role != llm::Role::tool || m.text.size() <= prune_keep_head + prune_keep_tail + 256)
            continue;
        Prune p{ i, prune_keep_head, prune_keep_tail };
        bytes -= message_bytes(m) - pruned_size(m, p);
        plan.prunes.push_back(p);
    }
    // 2. Summarise the oldest rounds until the rest fits.
    if (bytes > target_bytes || in.force) {
        // Bytes of each message after pruning.
        std::vector<size_t> sizes(messages.size());
        for (size_t i = 0; i < messages.size(); ++i)
            sizes[i] = message_bytes(messages[i]);
        for (const Prune& p : plan.prunes)
            sizes[p.index] = pruned_size(messages[p.index], p);
        size_t rest = bytes - in.fixed_bytes;
        // The earliest boundary after which the rest fits; forced, the latest one.
        size_t cut = 0;
        for (size_t c = 1; c <= protect && c < messages.size(); ++c) {
            rest -= sizes[c - 1];
            if (!is_round_boundary(messages, c))
                continue;
            cut = c;
            if (!in.force && in.fixed_bytes + in.summary_bytes + rest <= target_bytes)
                break;
        }
        if (cut > 0) {
            plan.cut = cut;
            bytes = in.fixed_bytes + in.summary_bytes;
            for (size_t i = cut; i < messages.size(); ++i)
                bytes += sizes[i];
            // Prunes inside the summarised part still shape the summary's input.
        }
    }
    plan.after_tokens = est.tokens(bytes);
    return plan;
}

std::string pruned_text(std::string_view original, size_t head, size_t tail)
{
    if (head + tail >= original.size())
        return std::string(original);
    size_t h = head;
    while (h > 0 && is_continuation(static_cast<unsigned char>(original[h])))
        --h;
    size_t t = original.size() - tail;
    while (t < original.size() && is_continuation(static_cast<unsigned char>(original[t])))
        ++t;
    return fmt::format("{}\n{}{} bytes of this output to save context; the full text is in the session store]\n{}",
        original.substr(0, h), prune_marker, t - h, original.substr(t));
}

} // namespace ik::agent
