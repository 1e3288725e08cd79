#include <fmt/format.h>

#include "agent/background_agents.h"
#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

std::string state_of(const agent::BackgroundJobs::Job& job)
{
    if (job.running)
        return "running";
    if (job.term_signal)
        return fmt::format("ended ({})", signal_name(job.term_signal));
    return fmt::format("exit {}", job.exit_code);
}

std::string age(std::chrono::system_clock::time_point started)
{
    auto s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() - started).count();
    if (s < 120)
        return fmt::format("{}s", s);
    if (s < 7200)
        return fmt::format("{}m", s / 60);
    return fmt::format("{}h", s / 3600);
}

// /ps lists the background processes the model started; /ps kill ID stops one.
Result<void> run(CommandHost& host, std::string_view args)
{
    agent::BackgroundJobs& jobs = host.session().background_jobs();
    if (args.starts_with("kill")) {
        std::string_view id = args.substr(4);
        while (!id.empty() && id.front() == ' ')
            id.remove_prefix(1);
        if (id.empty())
            return fail(usage_error(ps));
        TRY(jobs.kill(id));
        host.print(fmt::format("Stopping {}.", id), Tone::dim);
        return {};
    }
    if (!args.empty())
        return fail(usage_error(ps));
    auto list = jobs.list();
    if (list.empty()) {
        host.print("No background processes. (The model starts them with bash background: true.)", Tone::dim);
        return {};
    }
    std::string out = "ID     PID      STATE      AGE   OUTPUT    COMMAND";
    for (const auto* j : list)
        out += fmt::format("\n{:<6} {:<8} {:<10} {:<5} {:<9} {}", j->id, j->pid, state_of(*j), age(j->started),
            fmt::format("{} B", j->total), j->command.substr(0, j->command.find('\n')));
    host.print(out);
    return {};
}

} // namespace

Result<void> refuse_while_jobs_run(CommandHost& host, std::string_view command)
{
    // Foreground sub-agents run inside a turn (which these commands already
    // wait for); background ones outlive it, idle ones too.
    const agent::SubAgents& subs = host.session().sub_agents();
    if (size_t a = subs.running() + subs.background().size())
        return fail(ErrorCode::invalid_argument,
            "/{} is refused while {} sub-agent{} exist{}: /agents lists them, /agents stop ID stops one", command, a,
            a == 1 ? "" : "s", a == 1 ? "s" : "");
    size_t n = host.session().background_jobs().running();
    if (n == 0)
        return {};
    return fail(ErrorCode::invalid_argument,
        "/{} is refused while {} background process{} run{}: /ps lists them, /ps kill ID stops one", command, n,
        n == 1 ? "" : "es", n == 1 ? "s" : "");
}

const SlashCommand ps{ "ps", "[kill ID]", "background processes the model started", run, true };

} // namespace ik::app::slash
