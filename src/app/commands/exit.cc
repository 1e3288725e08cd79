#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(exit));
    host.quit();
    return {};
}

} // namespace

const SlashCommand exit{ "exit", "", "quit ik (Ctrl-D on an empty line does too)", run, true, "quit" };

} // namespace ik::app::slash
