// AgentActivity — what a front end hears of its sub-agents' work.
//
// A session observer that also implements this interface (the ACP session,
// app/acp/) is told of every call a sub-agent of its session starts, named
// by the task that started it: the `task` call's prompt, which is how the
// observer finds that call among the ones it saw start (two parallel tasks
// with the very same prompt share their lines). A nested sub-agent's calls
// come under its top-level task. Observers without it hear nothing new.
//
// Borrowed: the sub-agent's observer (sub_agents.cc) finds it on the parent's
// observer with dynamic_cast; nothing is owned.
#pragma once

#include <string_view>

#include "llm/request.h"

namespace ik::agent {

class AgentActivity {
public:
    virtual ~AgentActivity() = default;
    // A sub-agent of the task call `task_call_id` starts `call`.
    virtual void on_agent_tool(std::string_view task_call_id, const llm::ToolCall& call) = 0;
};

} // namespace ik::agent
