// The compaction planner: given the window and the model's limits, what to
// do before the next request so that it fits. Pure and synchronous; the
// ContextManager carries the plan out (the summary is a model call).
//
// Policy (docs/agent.md, "Long sessions"):
//   reserve = the reply's maximum output (the request's max_tokens, else the
//             model's, at most a quarter of the window)
//   limit   = threshold × window − reserve: a prompt estimated above it compacts
//   target  = 60 % of the limit: compaction aims here, so that the next few
//             rounds do not compact again (and the cached prefix stays put)
//   1. prune: tool results older than the protected tail, longest first
//      among the oldest, keep their first and last 512 bytes and say what was
//      cut, until the estimate is under the target;
//   2. summarise: if still above, the oldest messages up to a round boundary
//      (never between a tool call and its result) are replaced by one
//      summary message, the cut chosen so the rest fits the target;
//   3. (done by the caller) if the summary fails, the same cut is dropped
//      with a note: a sliding window.
// The newest messages (the protected tail: the current round and at least a
// quarter of the target) are never touched.
//
// Owns: nothing; Plan is a value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/context/estimator.h"
#include "llm/request.h"

namespace ik::agent {

inline constexpr size_t prune_keep_head = 512;
inline constexpr size_t prune_keep_tail = 512;
inline constexpr std::string_view prune_marker = "[… ik cut ";

struct PlanInput {
    int64_t window = 0; // the model's context window, tokens
    int64_t reserve = 0; // the reply's maximum output, tokens
    double threshold = 0.85;
    size_t fixed_bytes = 0; // system prompt and tool definitions
    size_t summary_bytes = 0; // room kept for the summary message if one is written
    std::span<const llm::Message> messages = {};
    bool force = false; // /compact or a context-length error: compact even under the limit
};

struct Prune {
    size_t index = 0; // in the window
    size_t head = 0; // bytes kept from the start
    size_t tail = 0; // bytes kept from the end
};

struct Plan {
    std::vector<Prune> prunes; // in window order
    size_t cut = 0; // messages [0, cut) are summarised; 0: none
    int64_t before_tokens = 0; // estimated prompt now
    int64_t after_tokens = 0; // estimated prompt after the plan
    int64_t limit_tokens = 0;
    bool needed() const { return !prunes.empty() || cut > 0; }
};

int64_t reserve_for(int64_t window, int64_t model_max_output, int64_t request_max_tokens);

Plan plan_compaction(const PlanInput& in, const TokenEstimator& est);

// `original` with its middle replaced by a marker naming the bytes cut; the
// kept head and tail end on UTF-8 character boundaries.
std::string pruned_text(std::string_view original, size_t head, size_t tail);

// Where `cut` may fall: the start of a message that is not a tool result
// (so every call stays with its result), after at least one message.
bool is_round_boundary(std::span<const llm::Message> messages, size_t cut);

} // namespace ik::agent
