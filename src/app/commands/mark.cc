#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (args.find_first_of(" \t\n") != std::string_view::npos)
        return fail(usage_error(mark));
    TRY(host.session().mark(args));
    size_t messages = host.session().conversation().messages().size();
    host.print(
        fmt::format("Marked{}{} at {} message{}.", args.empty() ? "" : " ", args, messages, messages == 1 ? "" : "s"),
        Tone::dim);
    return {};
}

} // namespace

const SlashCommand mark{ "mark", "[label]", "remember this point of the conversation", run };

} // namespace ik::app::slash
