#include "agent/session.h"
#include "app/commands/internal/all.h"
#include "store/store.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (args.empty() || args.find_first_of(" \t\n") != std::string_view::npos)
        return fail(usage_error(resume));
    std::string id = TRY(host.store().resolve_id(args));
    if (id == host.session().id())
        return fail(ErrorCode::invalid_argument, "session {} is the current one", id);
    TRY(host.resume(id));
    return {};
}

} // namespace

const SlashCommand resume{ "resume", "ID", "switch to a stored session (an id prefix is enough)", run };

} // namespace ik::app::slash
