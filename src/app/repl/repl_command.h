// `ik` with no -p on a terminal: the REPL with the configured model.
//
// Loads the config, picks the model (--model or config; credentials
// checked), opens the store, builds the session settings (system prompt
// from ik's default plus AGENTS.md, approval policy and rules, limits) and
// runs run_repl() (repl.h) with an LLM client on one loop.
#pragma once

#include "app/cli.h"

namespace ik::app {

// Returns the process exit status (exit_config for config/credential
// problems, printed to stderr before the terminal is taken over).
int run_repl_command(const CliOptions& options);

} // namespace ik::app
