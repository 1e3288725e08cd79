#include "app/headless_custom.h"

#include <fmt/format.h>

#include "agent/ext/command_run.h"
#include "agent/instructions.h"
#include "app/commands/command.h"
#include "app/commands/custom.h"
#include "tui/visible.h"

namespace ik::app {

std::optional<HeadlessCommand> find_headless_command(
    Loop& loop, std::string_view prompt, const std::filesystem::path& cwd)
{
    auto parsed = parse_command(prompt);
    if (!parsed)
        return std::nullopt;
    auto notes = install_custom_commands(agent::scan_commands(loop, command_sources(agent::find_project_root(cwd))));
    for (const std::string& note : notes)
        tui::print_visible(stderr, "ik: {}\n", note);
    const SlashCommand* c = find_command(parsed->name);
    if (!c || !c->custom)
        return std::nullopt;
    return HeadlessCommand{ .command = *c->custom, .args = std::string(parsed->args) };
}

Result<std::string> expand_headless_command(
    const HeadlessCommand& named, agent::ExpansionDeps deps, const int& signal_seen)
{
    std::optional<agent::CommandText> out;
    auto running = TRY(agent::start_custom_command(
        deps, named.command, named.args, [&out](agent::CommandText text) { out = std::move(text); }));
    TRY(deps.loop.run_until([&] { return out.has_value() || signal_seen != 0; }));
    if (!out)
        return fail(ErrorCode::interrupted, "/{} was stopped before anything was sent", named.command.name);
    for (const std::string& a : out->attached)
        deps.observer.on_notice(fmt::format("attached {}", a));
    for (const std::string& n : out->notes)
        deps.observer.on_notice(n);
    return std::move(out->text);
}

} // namespace ik::app
