#include "agent/sub_agent_setup.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/ext/agent_definitions.h"
#include "agent/ext/ext_files.h"
#include "agent/model_factory.h"
#include "agent/tools/external.h"

namespace ik::agent {
namespace {

bool contains(const std::vector<std::string>& names, std::string_view name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

Result<const AgentDefinition*> definition_for(const SessionSettings& settings, std::string_view name)
{
    const AgentDefinitions* defs = settings.agent_definitions.get();
    const AgentDefinition* found = defs ? defs->find(name) : nullptr;
    if (found)
        return found;
    std::string known;
    if (defs) {
        for (const AgentDefinition& d : defs->list()) {
            if (known.size() > 400) {
                known += ", …";
                break;
            }
            known += known.empty() ? d.name : ", " + d.name;
        }
    }
    return fail(ErrorCode::invalid_argument, "task: no agent named '{}'{}", one_line(name, 64),
        known.empty() ? std::string("; there are no agent definitions") : fmt::format("; the agents are: {}", known));
}

} // namespace

Result<std::unique_ptr<Model>> specialize_sub_agent(
    SessionSettings& settings, TaskRequest& request, Loop& loop, mem::Arena& parent)
{
    std::string model = request.model;
    bool soft_model = false;
    if (!request.agent.empty()) {
        const AgentDefinition* d = TRY(definition_for(settings, request.agent));
        settings.system_prompt += fmt::format(
            "\n\n# Your role: the '{}' agent\nFollow these instructions from {}:\n\n{}", d->name, d->source, d->prompt);
        if (!d->tools.empty()) {
            if (request.tools.empty()) {
                request.tools = d->tools;
            } else {
                // The task may narrow the definition's tools, never widen them.
                std::erase_if(request.tools, [&](const std::string& t) { return !contains(d->tools, t); });
                if (request.tools.empty())
                    return fail(
                        ErrorCode::invalid_argument, "task: none of 'tools' is one of the '{}' agent's tools", d->name);
            }
        }
        if (model.empty()) {
            model = d->model;
            soft_model = d->model_is_alias;
        }
    }
    // A sub-agent's own sub-agents get no more tools than it has (its deny rules go with them too).
    if (settings.only_tools.empty())
        settings.only_tools = request.tools;
    else if (!request.tools.empty())
        std::erase_if(settings.only_tools, [&](const std::string& t) { return !contains(request.tools, t); });
    if (!request.tools.empty() && settings.only_tools.empty())
        return fail(ErrorCode::invalid_argument, "task: none of those tools is one this sub-agent may use");
    if (model.empty())
        return std::unique_ptr<Model>();
    if (!settings.models)
        return fail(ErrorCode::invalid_argument, "task: 'model' cannot be chosen here; leave it out");
    auto made = settings.models->make(loop, parent, model);
    if (!made) {
        if (soft_model)
            return std::unique_ptr<Model>(); // Claude Code's alias names a provider this user cannot call
        return fail(made.error().code(), "task: model '{}': {}", one_line(model, 100), made.error().message());
    }
    settings.model_spec = made->spec;
    settings.model = made->name;
    size_t instructions = settings.context.instructions_bytes;
    settings.context = std::move(made->context);
    settings.context.instructions_bytes = instructions;
    return std::move(made->model);
}

void deny_unnamed_external_tools(ApprovalPolicy& policy, const TaskRequest& request)
{
    ExternalTools* external = external_tools();
    if (request.tools.empty() || external == nullptr)
        return;
    std::vector<llm::ToolSpec> specs;
    external->append_specs(specs);
    for (const llm::ToolSpec& spec : specs) {
        if (!contains(request.tools, spec.name))
            policy.deny.push_back(ApprovalRule{ .tool = std::string(spec.name),
                .prefix = {},
                .text = fmt::format("{} (not in this task's tools)", spec.name) });
    }
}

void shape_tool_specs(std::vector<llm::ToolSpec>& specs, const SessionSettings& settings)
{
    if (!settings.only_tools.empty())
        std::erase_if(specs, [&](const llm::ToolSpec& s) { return !contains(settings.only_tools, s.name); });
    const AgentDefinitions* defs = settings.agent_definitions.get();
    if (defs == nullptr || defs->empty() || settings.agent_depth >= settings.max_agent_depth)
        return;
    for (llm::ToolSpec& spec : specs) {
        if (spec.name == "task") {
            spec.description = defs->task_offer().description;
            spec.parameters = defs->task_offer().parameters;
        }
    }
}

} // namespace ik::agent
