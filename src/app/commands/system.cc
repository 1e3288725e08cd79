#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (args.empty()) {
        const std::string& prompt = host.session().settings().system_prompt;
        host.print(prompt.empty() ? std::string("System prompt: (none)") : fmt::format("System prompt:\n{}", prompt));
        return {};
    }
    host.session().set_system_prompt(std::string(args));
    host.print("System prompt replaced.", Tone::dim);
    return {};
}

} // namespace

const SlashCommand system{ "system", "[text]", "show or replace the system prompt", run };

} // namespace ik::app::slash
