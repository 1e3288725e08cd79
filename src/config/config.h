// ik's configuration: one Config value, loaded once at start.
//
// Sources, later ones winning: built-in defaults, `$XDG_CONFIG_HOME/ik/config.json`
// (written with the defaults on first run), `credentials.json` beside it (API
// keys only; must be mode 0600), then the environment (API keys, base URLs,
// IK_MODEL, IK_DATABASE_URL). Every key is documented in docs/config.md.
//
// The config is small and lives for the whole process, so it is plain
// std::string / std::vector values rather than arena memory. Validation is
// strict: a wrong type or an unknown key is an ErrorCode::config error that
// names the key path ("http.max_retries: expected integer, got string").
//
// Owns: all its strings. Borrows: nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/hooks_config.h"
#include "config/mcp_config.h"
#include "config/web_config.h"
#include "core/result.h"

namespace ik::config {

// The four wire formats, as the config names them ("openai-chat", ...).
// Mirrors llm::WireFormat; config sits below llm and cannot include it.
enum class ApiFormat { openai_chat, openai_responses, anthropic, gemini };
std::string_view to_string(ApiFormat format);
Result<ApiFormat> parse_api_format(std::string_view name);

enum class Thinking { none, low, medium, high };
std::string_view to_string(Thinking thinking);
Result<Thinking> parse_thinking(std::string_view name);

enum class Approval { ask, auto_edit, yolo };
std::string_view to_string(Approval approval);
// The one parser of the mode, for config.json and --approval alike: "ask",
// "auto-edit" (also spelled "auto_edit"), "yolo".
Result<Approval> parse_approval(std::string_view name);

struct ProviderConfig {
    std::string base_url; // no trailing slash
    std::string api_key_env; // the environment variable holding the key; empty: keyless
    ApiFormat format = ApiFormat::openai_chat;
    std::string api_key; // resolved from env or credentials.json; never printed
    bool base_url_from_env = false;
};

struct HttpConfig {
    int64_t connect_timeout_s = 10;
    int64_t idle_timeout_s = 60; // no byte for this long aborts a streaming attempt
    int64_t max_retries = 3; // retries after the first attempt
    int64_t backoff_base_ms = 500; // first retry waits up to this (full jitter), doubling
};

// Caps on bytes from outside (docs/config.md, `limits`). Past a cap the
// reply ends with ErrorCode::cap_exceeded and keeps the text so far.
struct Limits {
    int64_t sse_line_kb = 4096; // one line of a provider's event stream
    int64_t sse_event_kb = 4096; // one event's data
    int64_t reply_mb = 8; // one reply's text, thinking and tool-call arguments
};

// config.json itself is read with this cap (it cannot configure its own).
inline constexpr size_t max_config_file_bytes = size_t{ 1 } << 20;

struct Timeouts {
    int64_t reply_s = 1800; // one model reply, retries included, from request to finish
};

struct Rules {
    std::vector<std::string> allow;
    std::vector<std::string> deny;
};

// sandbox.*: where the bash tool's commands run (docs/safety.md). The strings
// are validated here and parsed by the app (sandbox/ sits beside config).
struct SandboxConfig {
    std::string mode = "workspace-write"; // read-only | workspace-write | off
    std::string backend = "auto"; // auto | bwrap | landlock
    bool network = false;
    std::vector<std::string> writable; // extra writable paths (workspace-write)
};

// "models": {"openai/x": {...}}: overrides or adds a model catalog entry
// (llm/catalog.h). Prices are US dollars per million tokens.
struct ModelEntry {
    std::optional<int64_t> context_window = std::nullopt;
    std::optional<int64_t> max_output = std::nullopt;
    std::optional<double> input_price = std::nullopt;
    std::optional<double> output_price = std::nullopt;
    std::optional<double> cache_read_price = std::nullopt;
    std::optional<double> cache_write_price = std::nullopt;
    std::optional<bool> images = std::nullopt; // the model accepts images (the table's cap_images)
};

// "compaction": when and with what the window is compacted (docs/agent.md).
struct CompactionConfig {
    double threshold = 0.85; // compact when prompt + reply reserve passes this share of the window
    std::string model; // the summary's model name on the session's provider; empty: the session's model
};

// "checkpoints": snapshots of the project before each turn that may change
// files, for /undo (docs/safety.md), and how many are kept.
struct CheckpointsConfig {
    bool enabled = true;
    int64_t keep = 100; // per project
    int64_t max_age_days = 30;
};

struct Config {
    std::string model = "anthropic/claude-sonnet-4-5";
    Thinking thinking = Thinking::none;
    std::string system;
    std::map<std::string, ProviderConfig, std::less<>> providers;
    HttpConfig http;
    Limits limits;
    Timeouts timeouts;
    Approval approval = Approval::ask;
    Rules rules;
    SandboxConfig sandbox;
    int64_t max_tool_turns = 50;
    int64_t memory_limit_mb = 512;
    std::string database_url;
    int64_t history_max_entries = 1000;
    std::map<std::string, ModelEntry, std::less<>> models;
    CompactionConfig compaction;
    HooksConfig hooks; // the user's hook commands (config/hooks_config.h, docs/hooks.md)
    McpConfig mcp; // MCP servers (config/mcp_config.h, docs/extensions.md)
    CheckpointsConfig checkpoints;
    WebConfig web; // web_fetch (config/web_config.h, docs/config.md)
    int64_t agents_max_depth = 1; // agents.max_depth: how deep sub-agents (the task tool) nest

    // Where it came from, for messages and `ik config`.
    std::string config_path;
    std::string credentials_path;
};

// The built-in defaults, including the built-in providers (openai,
// openai-responses, anthropic, google, ollama, openrouter).
Config defaults();

// The text written to config.json on first run.
std::string_view default_file_text();

// The environment as seen by load(); tests pass their own.
struct Environment {
    virtual ~Environment() = default;
    virtual std::string_view get(std::string_view name) const = 0; // "" when unset
};
const Environment& process_environment();

// $XDG_CONFIG_HOME/ik (or $HOME/.config/ik).
Result<std::string> config_dir(const Environment& env);

// Loads and validates everything. Creates config.json with defaults if it is
// missing (creating the directory too).
Result<Config> load(const Environment& env);

// Parses config.json text over `base` (validation only; no env, no files).
// `source` names the file in error messages.
Result<void> apply_file_text(Config& config, std::string_view text, std::string_view source);

// Applies credentials.json text: {"<provider>": {"api_key": "..."}}.
Result<void> apply_credentials_text(Config& config, std::string_view text, std::string_view source);

// Checks the credentials file mode (must be 0600 or stricter) and applies it.
// A missing file is fine.
Result<void> load_credentials(Config& config, const std::string& path);

// Environment overrides: keys, base URLs, IK_MODEL, IK_DATABASE_URL.
void apply_environment(Config& config, const Environment& env);

// A base URL must be http:// or https:// (libcurl would read file:// and
// more); the error names `where` (the key or variable it came from).
Result<void> check_base_url(std::string_view url, std::string_view where);

// `url` with any user:password@ replaced by <redacted>@, for every place a
// base URL is printed or stored.
std::string redact_url(std::string_view url);

// The effective config as pretty JSON, API keys redacted.
std::string to_json(const Config& config);

} // namespace ik::config
