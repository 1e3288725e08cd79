#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

// One line per command: event, matcher, timeout, command (docs/hooks.md).
Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(hooks));
    const agent::HookSettings& settings = host.session().settings().hooks;
    if (settings.empty()) {
        host.print("No hooks configured (the `hooks` key of config.json; see docs/hooks.md).", Tone::dim);
        return {};
    }
    std::string out;
    for (size_t i = 0; i < agent::hook_event_count; ++i) {
        auto event = static_cast<agent::HookEvent>(i);
        for (const agent::HookGroup& group : settings.groups(event)) {
            std::string_view matcher = group.matcher.empty() ? "*" : std::string_view(group.matcher);
            for (const agent::HookCommand& c : group.hooks)
                out += fmt::format(
                    "{:<16}  {:<12}  {:>4} s  {}\n", agent::to_string(event), matcher, c.timeout.count(), c.command);
        }
    }
    out.pop_back();
    host.print(out);
    return {};
}

} // namespace

const SlashCommand hooks{ "hooks", "", "the hook commands configured (event, matcher, timeout, command)", run, true };

} // namespace ik::app::slash
