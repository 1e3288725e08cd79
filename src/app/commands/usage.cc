#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(usage));
    const agent::Session& s = host.session();
    // Every call counts: the turns' and the compaction summaries'.
    const agent::Accounting& a = s.context().accounting();
    const llm::Usage& u = a.total;
    int64_t window = s.context().limits().context_window;
    int64_t now = s.context().prompt_tokens(s.conversation(), s.request_shape());
    host.print(fmt::format("Tokens this session: {} in ({} cached), {} out ({} reasoning); cost {} (approximate, {} "
                           "prices). Context now ~{} of {} tokens; {} compaction{}.",
        u.input, u.cached, u.output, u.reasoning, llm::format_cost(a.cost_usd), s.settings().model_spec, now, window,
        a.compactions, a.compactions == 1 ? "" : "s"));
    return {};
}

} // namespace

const SlashCommand usage{ "usage", "", "tokens used and cost in this session", run, true };

} // namespace ik::app::slash
