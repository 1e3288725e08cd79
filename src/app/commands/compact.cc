// /compact [focus]: compacts the window now (docs/agent.md, "Long sessions").
#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    agent::Session& s = host.session();
    if (s.conversation().empty()) {
        host.print("Nothing to compact yet.", Tone::dim);
        return {};
    }
    int before = s.context().accounting().compactions;
    host.print("Compacting the context…", Tone::dim);
    // The ContextManager reports what it did through the session observer
    // (the REPL shows it as a notice); this only says when nothing was done.
    TRY(s.compact(std::string(args), [&host, &s, before](const Result<void>& written) {
        if (!written)
            host.print(written.error().to_string(), Tone::error);
        else if (s.context().accounting().compactions == before)
            host.print("The window is too short to compact.", Tone::dim);
    }));
    return {};
}

} // namespace

const SlashCommand compact{ "compact", "[focus]", "summarise the conversation now to free context", run };

} // namespace ik::app::slash
