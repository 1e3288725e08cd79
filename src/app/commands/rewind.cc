#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (args.find_first_of(" \t\n") != std::string_view::npos)
        return fail(usage_error(rewind));
    TRY(host.session().rewind(args));
    size_t messages = host.session().conversation().messages().size();
    host.print(fmt::format("Rewound{}{} to {} message{}.", args.empty() ? "" : " to mark ", args, messages,
                   messages == 1 ? "" : "s"),
        Tone::dim);
    return {};
}

} // namespace

const SlashCommand rewind{ "rewind", "[label]", "go back to a mark (the newest when no label)", run };

} // namespace ik::app::slash
