// The pieces a foreground sub-agent (sub_agents.cc) and a background one
// (background_agents.cc) share: the child's settings, its observer, its
// answer. Defined in sub_agents.cc.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "agent/conversation.h"
#include "agent/session_types.h"
#include "agent/sub_agent_info.h"
#include "agent/sub_agents.h"

namespace ik::agent::internal {

// What a sub-agent starts with: the parent's settings made a sub-agent's
// (one level deeper, a quarter of the parent's memory cap, the sub-agent
// note, its agent definition, the task's tool restriction, the link to the
// parent's stored session), its own model (the task's or the definition's,
// else a fork of the parent's; null only when the parent's can be shared),
// and the request as the definition completed it.
struct SubAgentStart {
    SessionSettings settings;
    std::unique_ptr<Model> model;
    TaskRequest request;
};
// Errors are for the model to read (an unknown agent or model).
Result<SubAgentStart> prepare_sub_agent(const SubAgents::Deps& deps, const TaskRequest& request);

// The observer a sub-agent's session reports to: what the user must see
// goes to `parent` labelled with `label`; `status` (borrowed, outlives the
// observer) counts its open approval questions; `ended` gets each turn's end.
std::unique_ptr<SessionObserver> sub_agent_observer(
    SessionObserver& parent, std::string label, SubAgentStatus& status, std::function<void(const TurnOutcome&)> ended);

// The text of the sub-agent's last reply: its answer (empty when it gave none).
std::string sub_agent_final_text(const Conversation& window);

} // namespace ik::agent::internal
