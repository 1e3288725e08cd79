#include "app/commands/custom.h"

#include <deque>

#include <fmt/format.h>

#include "agent/instructions.h"

namespace ik::app {
namespace {

struct Installed {
    std::deque<agent::CustomCommand> commands; // a deque: the descriptors point into it
    std::vector<SlashCommand> descriptors;
};

Installed& installed()
{
    static Installed all;
    return all;
}

// Custom commands are run by the front end (it expands and submits them),
// never through this pointer; it is here so no descriptor has a null run.
Result<void> not_runnable(CommandHost&, std::string_view)
{
    return fail(ErrorCode::internal, "a custom command runs through its front end");
}

bool builtin(std::string_view name)
{
    for (const SlashCommand& c : commands())
        if (c.name == name || (!c.alias.empty() && c.alias == name))
            return true;
    return false;
}

} // namespace

std::vector<std::string> install_custom_commands(agent::CommandScan scan)
{
    Installed& all = installed();
    all.descriptors.clear();
    all.commands.clear();
    std::vector<std::string> notes = std::move(scan.notes);
    for (agent::CustomCommand& c : scan.commands) {
        if (builtin(c.name)) {
            notes.push_back(fmt::format(
                "{}: /{} is a built-in command, which wins; the file is not used", c.path.string(), c.name));
            continue;
        }
        all.commands.push_back(std::move(c));
    }
    for (const agent::CustomCommand& c : all.commands)
        all.descriptors.push_back(SlashCommand{ .name = c.name,
            .args = c.argument_hint,
            .help = c.description,
            .run = not_runnable,
            .busy_safe = false,
            .alias = {},
            .custom = &c });
    return notes;
}

std::span<const SlashCommand> custom_commands()
{
    return installed().descriptors;
}

agent::CommandSources command_sources(const std::filesystem::path& project_root)
{
    agent::CommandSources s;
    s.project_root = project_root;
    std::filesystem::path user = agent::user_config_dir();
    if (!user.empty())
        s.user_dir = user / "commands";
    return s;
}

} // namespace ik::app
