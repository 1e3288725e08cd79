// The interactive front end: `ik` in a terminal.
//
// run_repl() takes over the tty (tui::Terminal: raw mode, alternate screen,
// restored on every exit path), opens or resumes a session, and runs the one
// event loop until the user quits. Everything it draws goes through
// repl/repl_ui.h, which is terminal-free so tests drive it with a recording
// sink; this file only owns the tty and the loop's wiring to it.
//
//   ReplDeps deps{loop, *store, model, mem::root(), settings};
//   deps.resolve_model = [&](std::string_view spec) { return resolve(config, spec); };
//   return run_repl(deps);   // an exit code (app/exit_codes.h)
//
// Borrows everything in ReplDeps for the call.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "agent/model.h"
#include "agent/session.h"
#include "app/commands/command.h"
#include "core/arena.h"
#include "core/loop.h"
#include "store/store.h"

namespace ik::app {

struct ReplDeps {
    Loop& loop;
    store::Store& store;
    agent::Model& model;
    mem::Arena& arena; // the app arena: sessions and the scrollback live under it
    agent::SessionSettings settings;
    std::string resume_id{}; // empty: a new session
    // The part of settings.system_prompt that --system or the config's
    // `system` appended to ik's own prompt; /system replaces just this.
    std::string system_extra{};
    // /model provider/model. Unset: /model can only show the current one.
    std::function<Result<ModelChoice>(std::string_view)> resolve_model{};
    std::string history_path{}; // empty: tui::History::default_path()
    // While the REPL runs it points this at the scrollback (dim notice
    // lines), so the caller can route e.g. the LLM client's retry notices
    // there instead of stderr; reset to empty before run_repl returns.
    std::function<void(std::string_view)>* notice_target = nullptr;
    int in_fd = 0;
    int out_fd = 1;
};

// Runs until /exit, Ctrl-D, or Ctrl-C twice on an empty line. Returns 0, or
// exit_failure after printing the error (to stderr, once the tty is restored)
// when the terminal or the session cannot be set up.
int run_repl(ReplDeps deps);

} // namespace ik::app
