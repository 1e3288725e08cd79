#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

// Like --system, TEXT is added after ik's own prompt (what ik is, the
// environment, the tools, AGENTS.md); it replaces only earlier extra
// instructions. Without TEXT, the whole prompt the model gets is shown.
Result<void> run(CommandHost& host, std::string_view args)
{
    if (args.empty()) {
        const std::string& prompt = host.session().settings().system_prompt;
        std::string_view extra = host.extra_instructions();
        host.print(fmt::format("System prompt the model gets ({} bytes; extra instructions: {}):", prompt.size(),
                       extra.empty() ? std::string("none") : fmt::format("the last {} bytes", extra.size())),
            Tone::dim);
        host.print(prompt.empty() ? std::string("(none)") : prompt);
        return {};
    }
    bool had = !host.extra_instructions().empty();
    host.set_extra_instructions(std::string(args));
    host.print(fmt::format("Extra instructions {}: they follow ik's own system prompt (/system shows what the model "
                           "gets).",
                   had ? "replaced" : "added"),
        Tone::dim);
    return {};
}

} // namespace

const SlashCommand system{ "system", "[text]", "show the system prompt, or add TEXT to it (like --system)", run };

} // namespace ik::app::slash
