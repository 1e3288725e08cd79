// From configuration to a running agent: the steps headless mode and the
// REPL share. Load the config, choose the model (with the local-server
// fallback), open the store, and build SessionSettings (system prompt with
// AGENTS.md, approval policy, limits), so both front ends behave the same.
//
// Everything returned owns its data (heap strings); these run once at start.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/session.h"
#include "app/cli.h"
#include "config/config.h"
#include "config/model_spec.h"
#include "llm/catalog.h"
#include "llm/client.h"
#include "llm/provider.h"
#include "sandbox/sandbox.h"
#include "store/store.h"

namespace ik::app {

llm::WireFormat wire_format(config::ApiFormat format);
llm::ThinkingLevel thinking_level(config::Thinking thinking);

// The model to use: --model, else the config's; with no credentials at all,
// a local OpenAI-compatible server if one answers (Ollama's port), else an
// auth error whose message says in two lines how to set a key or base URL.
Result<config::ResolvedModel> choose_model(config::Config& cfg, std::optional<std::string> requested);

// PostgreSQL when database_url / IK_DATABASE_URL is set, else SQLite at
// $XDG_DATA_HOME/ik/ik.db. IK_DATABASE_TIMEOUT_S bounds each PostgreSQL
// connect and statement (default 30 s). Readers pass read_only_fallback.
Result<std::unique_ptr<store::Store>> open_configured_store(
    const config::Config& cfg, store::Access access = store::Access::read_write);

// The session's OS sandbox for commands: --sandbox over sandbox.mode, the
// project root writable, `hidden` (ik's config and data directories, as the
// approval policy's private_dirs) hidden. Fails (invalid_argument / config)
// on a bad mode or backend name.
Result<std::shared_ptr<const sandbox::Sandbox>> make_sandbox(const config::Config& cfg, const CliOptions& options,
    const std::filesystem::path& project_root, std::vector<std::filesystem::path> hidden);

// The model catalog: the built-in table, the config's "models" entries and
// the windows learned in earlier runs.
llm::Catalog model_catalog(const config::Config& cfg);

// The context settings (limits, prices, compaction) for `choice`; an Ollama
// model's window is asked of its server (model_limits.h).
agent::ContextSettings context_settings(const config::Config& cfg, const config::ResolvedModel& choice);

// Settings for a session in `cwd`: model, system prompt (--system replaces
// the configured one; the default prompt, environment, tools and AGENTS.md
// always come first), approval policy (--approval over config), limits.
Result<agent::SessionSettings> session_settings(const config::Config& cfg, const config::ResolvedModel& choice,
    const CliOptions& options, const std::filesystem::path& cwd);

// The session to resume: -r ID (a unique prefix), -c (the latest in `cwd`),
// or none (an empty string).
Result<std::string> resume_target(store::Store& store, const CliOptions& options, const std::filesystem::path& cwd);

// Maps an error to the documented exit status (docs/cli.md).
int exit_code_for(ErrorCode code);

// Everything a front end needs before its loop starts.
struct Prepared {
    config::Config cfg;
    config::ResolvedModel choice;
    agent::SessionSettings settings;
    std::unique_ptr<store::Store> store;
    std::string resume_id; // empty: a new session
};

// Loads the config, chooses the model, builds the settings, opens the store
// and finds the session to resume, claiming it (one live process per
// session). On failure prints the reason to stderr and returns the exit
// status to stop with; `why`, when given, receives the error itself.
Expected<Prepared, int> prepare(const CliOptions& options, std::optional<Error>* why = nullptr);

// The HTTP client's settings from the config's `http` section.
llm::ClientOptions client_options(const config::Config& cfg);

} // namespace ik::app
