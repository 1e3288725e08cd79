// The task tool's background half (agent_tools.cc): starting a background
// agent and answering with its id.
#pragma once

#include <memory>

#include "agent/sub_agents.h"
#include "agent/tools/tool.h"

namespace ik::agent::internal {

std::unique_ptr<ToolRun> start_background_task(ToolContext& ctx, const TaskRequest& request, Completion done);

} // namespace ik::agent::internal
