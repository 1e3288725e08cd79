#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

// Empties the window the model sees (recorded, so resume starts empty too)
// and the scrollback.
Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(clear));
    TRY(refuse_while_jobs_run(host, "clear"));
    TRY(host.session().clear());
    host.clear_scrollback();
    host.print("Conversation cleared.", Tone::dim);
    return {};
}

} // namespace

const SlashCommand clear{ "clear", "", "start over with an empty conversation", run };

} // namespace ik::app::slash
