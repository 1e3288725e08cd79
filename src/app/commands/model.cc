#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (args.empty()) {
        host.print(fmt::format("Model: {}", host.session().settings().model_spec));
        return {};
    }
    if (args.find_first_of(" \t\n") != std::string_view::npos)
        return fail(usage_error(model));
    ModelChoice choice = TRY(host.resolve_model(args));
    host.session().set_model(choice.spec, choice.model);
    if (choice.limits)
        host.session().set_context_limits(*choice.limits);
    host.print(fmt::format("Model: {}", choice.spec), Tone::dim);
    return {};
}

} // namespace

const SlashCommand model{ "model", "[provider/model]", "show or switch the model", run };

} // namespace ik::app::slash
