// SubAgentInfo — what /agents (and an editor) is told of one running
// sub-agent, foreground or background: a copy made for the listing, which
// owns its strings and borrows nothing, so it stays valid after the agent
// ends.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "llm/event.h"

namespace ik::agent {

enum class SubAgentState : uint8_t {
    running, // its turn runs
    idle, // a background agent whose turn ended: agent_send starts the next
    waiting_approval, // one of its calls waits for the user's answer
};

std::string_view to_string(SubAgentState state);

// What the parent shares with a sub-agent's observer: the approval questions
// it has open, read by the listing.
struct SubAgentStatus {
    int asking = 0;
};

struct SubAgentInfo {
    std::string id; // "agent-1"
    std::string description; // the task's few words; may be empty
    bool background = false;
    SubAgentState state = SubAgentState::running;
    std::string model; // its model spec
    llm::Usage usage; // summed over its turns
    size_t memory = 0; // its arena subtree's reserved bytes, as /mem counts them
    std::chrono::steady_clock::time_point started{};
};

} // namespace ik::agent
