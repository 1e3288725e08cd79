#include "app/repl/repl.h"

#include <cstdio>

#include <fmt/format.h>
#include <poll.h>

#include "app/exit_codes.h"
#include "app/repl/repl_ui.h"
#include "tui/terminal.h"
#include "tui/visible.h"

namespace ik::app {
namespace {

int fail_with(const Error& error)
{
    tui::print_visible(stderr, "ik: {}\n", error.to_string());
    return exit_internal;
}

} // namespace

int run_repl(ReplDeps deps)
{
    auto term_or = tui::Terminal::create(deps.in_fd, deps.out_fd, tui::Terminal::Options{});
    if (!term_or)
        return fail_with(term_or.error());
    std::unique_ptr<tui::Terminal> term = std::move(*term_or);

    std::optional<Error> failure;
    std::string summary;
    int terminated_by = 0;
    {
        ReplUi ui(deps, *term, ReplUi::Hooks{ .suspend = [&] { term->suspend(); } });
        auto attached = term->attach(deps.loop,
            tui::Terminal::Callbacks{
                .on_resize = [&](tui::Size size) { ui.set_size(size); },
                .on_resume = [&] { ui.invalidate(); },
                // SIGTERM, SIGHUP (the terminal went away), SIGQUIT: end like
                // /exit, so the reply so far is stored and a running tool's
                // process group is stopped (ui.shutdown() below); dying by
                // the signal's default action would leave both behind.
                .on_terminate =
                    [&](int signo) {
                        if (!terminated_by)
                            terminated_by = signo;
                        ui.quit();
                        return tui::TerminateAction::wind_down;
                    },
            });
        if (!attached) {
            failure = attached.error();
        } else if (auto started = ui.start(); !started) {
            failure = started.error();
        } else {
            if (deps.notice_target)
                *deps.notice_target = [&ui](std::string_view text) { ui.on_notice(text); };
            ui.set_size(term->size());
            Loop::WatchId watch = deps.loop.watch(deps.in_fd, POLLIN, [&](int fd, short revents) {
                if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
                    if (!(revents & POLLIN)) {
                        ui.quit();
                        return;
                    }
                }
                ui.read_input(fd);
            });
            if (auto r = deps.loop.run_until([&] { return ui.done(); }); !r)
                failure = r.error();
            deps.loop.unwatch(watch);
            ui.shutdown();
            summary = ui.exit_summary();
            if (deps.notice_target)
                *deps.notice_target = nullptr;
        }
        term->detach();
    }
    term.reset(); // restores the tty before anything is printed
    // (No summary after a signal: the terminal may be gone.)
    if (terminated_by)
        return 128 + terminated_by; // as if the signal had ended ik: the shell's $? says which
    if (failure)
        return fail_with(*failure);
    // On the normal screen, after the alternate one is gone: what the
    // session was, and how to come back to it.
    if (!summary.empty())
        tui::print_visible(stdout, "{}", summary);
    return exit_ok;
}

} // namespace ik::app
