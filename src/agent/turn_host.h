// TurnHost — what a Turn may use of the session that runs it.
//
// A turn needs the window, the settings and tools, the approval answers, the
// recorder, the observer, the loop and the model, and it reports usage and
// its end. Nothing else: the session's marks, its retired turns and its
// replay stay private to it, and a turn cannot reach them.
//
// Session implements this interface; a test can implement it with fakes.
// Borrowed by the turn; the host outlives every turn it starts.
#pragma once

#include <span>

#include "agent/background_jobs.h"
#include "agent/context/context_manager.h"
#include "agent/conversation.h"
#include "agent/model.h"
#include "agent/recorder.h"
#include "agent/session_types.h"
#include "agent/sub_agents.h"
#include "agent/todos.h"
#include "core/arena.h"
#include "core/loop.h"
#include "llm/request.h"

namespace ik::agent {

class TurnHost {
public:
    virtual const SessionSettings& settings() const = 0;
    virtual std::span<const llm::ToolSpec> tools() const = 0;
    virtual Conversation& window() = 0;
    virtual SessionAllows& allows() = 0;
    virtual Recorder& recorder() = 0;
    virtual SessionObserver& observer() = 0;
    virtual Loop& loop() = 0;
    virtual BackgroundJobs& jobs() = 0; // bash background: true
    virtual Todos& todos() = 0; // the todo tool's list
    virtual SubAgents& agents() = 0; // the task tool's sub-agents
    virtual Model& model() = 0;
    // The turn's arena is a child of this one (the session's).
    virtual mem::Arena& arena() = 0;
    // Token budget, compaction and cost (agent/context/), and what the next
    // request carries besides the window.
    virtual ContextManager& context_manager() = 0;
    virtual RequestShape request_shape() const = 0;

    // One round's usage, added to the session's totals.
    virtual void add_usage(const llm::Usage& round) = 0;
    // After each reply joins the window: evicts (and records the eviction)
    // when the session nears its memory cap.
    virtual Result<void> relieve_memory_pressure() = 0;
    // "startup" or "resume" for the session's first turn in this process
    // (its SessionStart hooks run then), empty for every later one.
    virtual std::string_view take_session_start() = 0;
    // The last call a turn makes; the host frees the turn later, not inside it.
    virtual void turn_finished(const TurnOutcome& outcome) = 0;

protected:
    TurnHost() = default;
    ~TurnHost() = default;
    TurnHost(const TurnHost&) = default;
    TurnHost& operator=(const TurnHost&) = default;
};

} // namespace ik::agent
