#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(usage));
    const llm::Usage& u = host.session().usage();
    const llm::Usage& last = host.session().last_usage();
    host.print(fmt::format("Tokens this session: {} in ({} cached), {} out ({} reasoning); context now {} tokens.",
        u.input, u.cached, u.output, u.reasoning, last.input));
    return {};
}

} // namespace

const SlashCommand usage{ "usage", "", "tokens used in this session", run, true };

} // namespace ik::app::slash
