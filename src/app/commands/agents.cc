// /agents lists the sub-agents the model started, foreground (a task call
// in flight) and background (task with background: true, running or idle),
// with their tokens and memory, then the kinds of agent the agent files
// define (the task tool's `agent`); /agents stop ID (or kill ID) stops one.
#include <fmt/format.h>

#include "agent/background_agents.h"
#include "agent/ext/agent_definitions.h"
#include "agent/session.h"
#include "app/commands/internal/all.h"
#include "core/mem_report.h"

namespace ik::app::slash {
namespace {

std::string elapsed(std::chrono::steady_clock::time_point started)
{
    auto s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
    if (s < 120)
        return fmt::format("{}s", s);
    if (s < 7200)
        return fmt::format("{}m", s / 60);
    return fmt::format("{}h", s / 3600);
}

std::string_view after_word(std::string_view args, std::string_view word)
{
    if (!args.starts_with(word) || (args.size() > word.size() && args[word.size()] != ' '))
        return {};
    args.remove_prefix(word.size());
    while (!args.empty() && args.front() == ' ')
        args.remove_prefix(1);
    return args;
}

// The agent files' kinds, one line each: name, model, description, file.
void print_definitions(CommandHost& host)
{
    const auto& defs = host.session().settings().agent_definitions;
    if (!defs || defs->empty())
        return;
    std::string out = "Agent kinds (task with agent: NAME):";
    for (const agent::AgentDefinition& d : defs->list())
        out += fmt::format("\n  {:<20} {:<28} {}  ({})", d.name, d.model.empty() ? "(parent's model)" : d.model,
            d.description, d.source);
    host.print(out, Tone::dim);
}

Result<void> run(CommandHost& host, std::string_view args)
{
    agent::SubAgents& subs = host.session().sub_agents();
    if (args.starts_with("stop") || args.starts_with("kill")) {
        std::string_view id = after_word(args, args.substr(0, 4));
        if (id.empty())
            return fail(usage_error(slash::agents));
        TRY(subs.stop(id));
        host.print(fmt::format("Stopped {}.", id), Tone::dim);
        return {};
    }
    if (!args.empty())
        return fail(usage_error(slash::agents));
    auto list = subs.list();
    if (list.empty()) {
        host.print(
            "No sub-agents. (The model starts them with the task tool; background: true keeps them.)", Tone::dim);
        print_definitions(host);
        return {};
    }
    std::string out = "ID        KIND        STATE             TOKENS IN/OUT   MEMORY    TIME   MODEL   TASK";
    for (const agent::SubAgentInfo& a : list)
        out += fmt::format("\n{:<9} {:<11} {:<17} {:<15} {:<9} {:<6} {}   {}", a.id,
            a.background ? "background" : "foreground", to_string(a.state),
            fmt::format("{}/{}", a.usage.input, a.usage.output), ik::mem::human_bytes(a.memory), elapsed(a.started),
            a.model, a.description.empty() ? "-" : a.description);
    host.print(out);
    print_definitions(host);
    return {};
}

} // namespace

const SlashCommand agents{ "agents", "[stop ID]", "sub-agents the model started: tokens, memory; stop one", run, true };

} // namespace ik::app::slash
