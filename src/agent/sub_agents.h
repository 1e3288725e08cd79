// SubAgents — the sub-agents one session runs for its `task` calls.
//
// A sub-agent is a child Session (session.h) on the same loop, store and
// model: its own conversation, its own stored session, and its own arena, a
// child of the parent session's arena capped at a quarter of the parent's
// cap, so /mem shows it under the session that started it and its end frees
// it in one step. It runs one turn with the task's prompt; the text of its
// last reply is the task's result.
//
// The sub-agent's observer (SubAgentObserver in sub_agents.cc) hands the
// parent's observer what the user must see, labelled with the sub-agent:
// approval questions (ApprovalRequest::agent; headless the parent's policy
// answers them, as for its own calls), denials and notices. Its stream and
// its tool blocks stay its own.
//
// A sub-agent at settings.agent_depth == settings.max_agent_depth cannot
// start another: the task tool answers with an error the model reads.
//
// `task` with background: true starts a background agent instead
// (background_agents.h): it outlives the call and waits, idle, for
// agent_send between its turns. Every sub-agent, foreground or background,
// has an id ("agent-1") under which list() shows it and stop() ends it.
//
// Owns: the running sub-agents (their sessions and arenas). Borrows: the
// deps, which outlive it (the parent session owns it).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/model.h"
#include "agent/recorder.h"
#include "agent/session_types.h"
#include "agent/sub_agent_info.h"
#include "agent/tools/tool.h"
#include "core/arena.h"
#include "core/loop.h"
#include "store/store.h"

namespace ik::agent {

// What the task tool asks for.
struct TaskRequest {
    std::string prompt;
    std::string description; // a few words; labels the sub-agent
    bool read_only = false; // only tools that read: the others are denied
    std::vector<std::string> tools; // non-empty: only these tools; the others are denied
    std::string call_id; // the parent's task call: recorded on the sub-agent's stored session
    std::string agent; // an agent definition's name (sub_agent_setup.h); empty: none
    std::string model; // "provider/model"; empty: the definition's, else the parent's
    bool background = false; // returns at once; the agent runs on (background_agents.h)
};

class BackgroundAgents;
class SubAgentRun;

class SubAgents {
public:
    struct Deps {
        Loop& loop;
        store::Store& store;
        Model& model;
        SessionObserver& observer; // the parent's
        mem::Arena& arena; // the parent session's
        const SessionSettings& settings; // the parent's, read when a sub-agent starts
        const Recorder& recorder; // the parent's: its session id links each sub-agent's stored session
    };
    explicit SubAgents(Deps deps);
    ~SubAgents();
    SubAgents(const SubAgents&) = delete;
    SubAgents& operator=(const SubAgents&) = delete;

    // Starts a sub-agent; `done` gets its final text later, from the loop
    // (an error result when it could not start or failed). Same contract as
    // start_tool(): destroying the handle stops the sub-agent silently.
    std::unique_ptr<ToolRun> start(const TaskRequest& request, Completion done);
    // invalid_argument past the depth limit (the message is for the model).
    Result<void> can_start() const;
    // Running foreground sub-agents.
    size_t running() const { return m_running; }
    // The background agents (agent_send, agent_wait, agent_kill).
    BackgroundAgents& background() { return *m_background; }
    const BackgroundAgents& background() const { return *m_background; }
    // Foreground and background, oldest first (/agents).
    std::vector<SubAgentInfo> list() const;
    // /agents stop: a foreground one is cancelled (its task ends cancelled),
    // a background one killed. not_found for an unknown id.
    Result<void> stop(std::string_view id);
    // "agent-N", unique in this session.
    std::string next_id() { return "agent-" + std::to_string(m_next_id++); }

private:
    friend class SubAgentRun;
    friend class BackgroundAgents;
    Deps m_deps;
    size_t m_running = 0;
    unsigned m_next_id = 1;
    std::vector<SubAgentRun*> m_foreground; // registered by each run while it lives
    std::unique_ptr<BackgroundAgents> m_background;
};

} // namespace ik::agent
