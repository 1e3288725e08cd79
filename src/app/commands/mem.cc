#include "app/commands/internal/all.h"
#include "core/arena.h"
#include "core/mem_report.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(mem));
    std::string report = mem::report_text(mem::root(), mem::Units::human);
    while (!report.empty() && report.back() == '\n')
        report.pop_back();
    host.print(report, Tone::dim);
    return {};
}

} // namespace

const SlashCommand mem{ "mem", "", "the live memory report (arena tree)", run, true };

} // namespace ik::app::slash
