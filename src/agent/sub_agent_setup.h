// What a task call chooses for its sub-agent beyond the prompt: an agent
// definition (ext/agent_definitions.h) and a model (model_factory.h).
//
// A definition adds its body to the sub-agent's system prompt, after ik's
// own (environment, tool guidance, AGENTS.md, the sub-agent note), so the
// sub-agent keeps ik's rules and the definition says what kind of agent it
// is; its tools become the task's tool subset (narrowed further by a task
// that names tools too) and are the only ones offered; its model is used
// unless the task names one. A Claude Code alias (sonnet, …) whose provider
// cannot be used falls back to the parent's model.
//
// Errors are for the model to read: an unknown agent (listing the known
// ones), an unknown model, a provider without a key.
//
// Owns nothing; the returned model (null: the parent's) is the caller's.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "agent/model.h"
#include "agent/session_types.h"
#include "agent/sub_agents.h"
#include "core/arena.h"
#include "core/loop.h"
#include "llm/request.h"

namespace ik::agent {

// Applies request.agent and request.model to `settings` (the sub-agent's,
// built from its parent's) and `request` (its tools). `parent` is the
// arena the model's own arena becomes a child of.
Result<std::unique_ptr<Model>> specialize_sub_agent(
    SessionSettings& settings, TaskRequest& request, Loop& loop, mem::Arena& parent);

// Deny rules for the MCP tools a task's tool list leaves out (the built-in
// ones get theirs in sub_agents.cc).
void deny_unnamed_external_tools(ApprovalPolicy& policy, const TaskRequest& request);

// The tool list a session sends, shaped by its settings: only
// settings.only_tools when set, and the task tool with the agent
// definitions' `agent` argument when there are any. The changed specs
// borrow their strings from settings.agent_definitions.
void shape_tool_specs(std::vector<llm::ToolSpec>& specs, const SessionSettings& settings);

} // namespace ik::agent
