// The task tool's description and schema when agent definitions exist
// (agent_definitions.h): built once per process from the built-in task
// tool's own, so the rest of its text never drifts from task.cc.
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "agent/ext/agent_definitions.h"
#include "agent/ext/ext_files.h"
#include "agent/tools/registry.h"
#include "core/json.h"
#include "core/panic.h"

namespace ik::agent {
namespace {

constexpr size_t max_listed_description = 160; // bytes of each description in the list

} // namespace

TaskOffer make_task_offer(std::span<const AgentDefinition> definitions)
{
    TaskOffer offer;
    const ToolDescriptor* task = find_tool("task");
    if (definitions.empty() || task == nullptr)
        return offer;
    std::string list;
    size_t listed = 0;
    for (const AgentDefinition& d : definitions) {
        std::string line = fmt::format("\n- {}: {}", d.name, one_line(d.description, max_listed_description));
        if (listed == max_offered_agents || list.size() + line.size() > max_offer_bytes)
            break;
        list += line;
        ++listed;
    }
    if (listed < definitions.size())
        list += fmt::format("\n- (and {} more, not listed)", definitions.size() - listed);
    offer.description = fmt::format(
        "{}\n\nAgents: give `agent` to start one of these kinds of sub-agent (its own instructions, tools and "
        "model):{}",
        task->description, list);

    mem::Arena scratch(mem::root(), "agent offer");
    auto schema = json::parse(scratch, task->parameters, "the task tool's schema");
    IK_ASSERT(schema && schema->is_object(), "the task tool's schema is a JSON object");
    json::object& properties = schema->as_object()["properties"].as_object();
    json::object agent(json::storage(scratch));
    agent["type"] = "string";
    agent["description"] = "The name of one of the agents listed in this tool's description.";
    properties["agent"] = std::move(agent);
    offer.parameters = boost::json::serialize(*schema);
    return offer;
}

} // namespace ik::agent
