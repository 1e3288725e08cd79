// Headless mode: `ik -p "task"` runs one agent turn — model, tools, results,
// model … — and streams the answer; the session is stored like any other.
//
// Steps: load the config (exit 3 on any config/credential problem), pick the
// provider from the model spec (falling back to a local Ollama when no
// credentials exist at all), read the prompt (argument or stdin), stream the
// reply through llm::Client into an HeadlessOutput on one ik::Loop, and map the
// outcome to an exit status (app/exit_codes.h, docs/cli.md). SIGINT and
// SIGTERM cancel the request through the loop; whatever text arrived is
// still printed.
#pragma once

#include "app/cli.h"

namespace ik::app {

// Returns the process exit status.
int run_headless(const CliOptions& options);

// `ik config`: prints the effective config, secrets redacted.
int run_config_command();

// `ik sessions [search TEXT | show ID | export ID --format jsonl|markdown]`.
int run_sessions_command(const CliOptions& options);

} // namespace ik::app
