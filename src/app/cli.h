// The command line: one parse into CliOptions, then main() dispatches.
// Only what exists is described in --help.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/config.h"

namespace ik::app {

enum class OutputFormat { text, json, stream_json };

enum class Command {
    none, // nothing to run
    repl, // ik in a terminal: the interactive REPL
    headless, // ik -p: one prompt, answered by the agent (tools included)
    config, // ik config: print the effective configuration
    models, // ik models: the model catalog
    sessions, // ik sessions [search|show|export]: the stored history
    undo, // ik undo [--session ID] [--force]: take the last turn's file changes back
    mcp, // ik mcp list|trust [--file F]: MCP servers and project file trust
    acp, // ik acp: the Agent Client Protocol over stdio, for editors (app/acp/)
};

enum class SessionsAction { list, search, show, export_ };
enum class McpAction { list, trust };

struct CliOptions {
    Command command = Command::none;
    std::optional<std::string> prompt; // -p TEXT; empty optional: read stdin
    std::optional<std::string> model;
    std::optional<std::string> system;
    std::optional<std::string> thinking;
    OutputFormat output_format = OutputFormat::text;
    std::optional<config::Approval> approval; // --approval ask|auto-edit|yolo
    std::optional<std::string> sandbox; // --sandbox read-only|workspace-write|off
    std::optional<int64_t> max_tool_turns; // --max-tool-turns N
    bool continue_latest = false; // -c: the latest session in this directory
    std::optional<std::string> resume_id; // -r ID: a stored session (unique id prefix)

    // ik sessions …
    SessionsAction sessions_action = SessionsAction::list;
    std::string sessions_arg; // search TEXT, show ID, export ID
    std::string export_format = "jsonl";
    bool sessions_all_dirs = false;

    // ik undo …
    std::string undo_session; // empty: the latest session of this directory
    bool undo_force = false;

    // ik mcp …
    McpAction mcp_action = McpAction::list;
    std::string mcp_file; // trust --file F; empty: every project file
};

// Parses argv. Returns an exit code to stop with (help, version, usage
// error), or -1 to continue with `out` filled in. `stdin_is_tty` decides
// whether a missing -p means "read the prompt from stdin".
int parse_cli(int argc, char** argv, CliOptions& out, bool stdin_is_tty);

} // namespace ik::app
