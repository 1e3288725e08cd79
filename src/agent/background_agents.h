// BackgroundAgents — the sub-agents `task` started with background: true.
//
// A background agent is a sub-agent (sub_agents.h: a child Session with a
// capped child arena of the parent session's, its own stored session) that
// outlives the task call. Between turns it is idle: it keeps its window and
// its arena and waits for agent_send, which starts its next turn, or is
// queued for the next one while a turn runs. agent_wait hands back its latest
// final text when it is idle again (no turn, nothing queued); agent_kill (or
// /agents stop) destroys its session at once, which frees its arena in one
// step; what it said stays in the store. Destroying the registry (the parent
// session ends, ik exits) stops them all, their running turns recorded as
// interrupted.
//
// Waiters (agent_wait calls in flight) are checked on a loop round after
// each change, never inside a session's callbacks, so a completion can start
// or kill agents freely.
//
// Owns: the background agents (sessions, arenas, observers) and the waiters'
// registrations. Borrows: the SubAgents that owns it, and its deps.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/sub_agent_info.h"
#include "agent/sub_agents.h"
#include "core/loop.h"
#include "core/result.h"

namespace ik::agent {

class BackgroundAgents {
public:
    // Background agents alive at once (idle ones count: they hold a window).
    static constexpr size_t max_agents = 8;
    // Messages queued for a busy agent's next turn.
    static constexpr size_t max_queued = 16;

    // What agent_wait reports of one agent.
    struct Report {
        std::string id;
        std::string description;
        SubAgentState state = SubAgentState::idle;
        bool gone = false; // killed (or never existed) since the wait began
        int turns = 0; // finished turns
        std::string last; // its latest final text, or what became of its last turn
    };

    explicit BackgroundAgents(SubAgents& owner);
    ~BackgroundAgents();
    BackgroundAgents(const BackgroundAgents&) = delete;
    BackgroundAgents& operator=(const BackgroundAgents&) = delete;

    // Starts one on `request.prompt`; returns its id. invalid_argument at
    // max_agents; the session's own errors otherwise.
    Result<std::string> start(const TaskRequest& request);
    // true: it was idle and its next turn started with `message`; false: it
    // is busy and the message waits for its next turn. not_found, or
    // invalid_argument when max_queued messages wait already.
    Result<bool> send(std::string_view id, std::string message);
    // Ends it now: its session and arena are freed; returns its stored
    // session's id (empty when it recorded nothing). not_found.
    Result<std::string> kill(std::string_view id);
    // Kills them all (headless at the end of its run); how many there were.
    size_t kill_all();

    // `ready` gets called from the loop, once, when the agent `id` (every
    // agent when empty) is idle or gone, or with `timed_out` after
    // `timeout`. Destroying the handle cancels the wait silently.
    class Wait;
    std::unique_ptr<Wait> wait(
        std::string id, std::chrono::milliseconds timeout, std::function<void(bool timed_out)> ready);

    bool exists(std::string_view id) const;
    Report report(std::string_view id) const;
    std::vector<std::string> ids() const;
    size_t size() const { return m_agents.size(); }
    std::vector<SubAgentInfo> list() const;

private:
    struct Agent;
    Loop& loop() const;
    Agent* find(std::string_view id) const;
    void turn_ended(Agent& agent, const TurnOutcome& outcome);
    void start_queued(Agent& agent);
    bool idle(const Agent& agent) const;
    bool satisfied(const Wait& w) const;
    // Checks the waiters on the next loop round.
    void changed();
    void check_waiters();

    SubAgents& m_owner;
    std::vector<std::unique_ptr<Agent>> m_agents;
    std::vector<Wait*> m_waiters;
    Loop::TimerId m_check = 0;
    bool m_closing = false; // being destroyed: turn ends are not reported
};

class BackgroundAgents::Wait {
public:
    Wait(BackgroundAgents& owner, std::string id, std::function<void(bool)> ready);
    ~Wait();
    Wait(const Wait&) = delete;
    Wait& operator=(const Wait&) = delete;

private:
    friend class BackgroundAgents;
    BackgroundAgents& m_owner;
    std::string m_id;
    std::function<void(bool)> m_ready;
    Loop::TimerId m_timeout = 0;
};

} // namespace ik::agent
