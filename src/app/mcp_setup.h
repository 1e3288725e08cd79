// MCP servers for a run of ik: the configured servers and the trusted project
// servers (app/mcp_project.h) started on the loop, their tools installed as
// external agent tools (agent/mcp_tools.h).
//
//   auto mcp = start_mcp(loop, app, cfg, cwd, ProjectTrust::ask);   // returns at once
//   ... sessions ...                             // see the tools as servers become ready
//   mcp.reset();                                 // after the last session: stops every server
//
// McpRuntime is the one owner: destroying it uninstalls the tools and stops
// every server (no orphans). current_mcp() lets /mcp read it.
//
// Owns the manager and the tool adapter. Borrows the loop and the arena.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "agent/mcp_tools.h"
#include "app/mcp_project.h"
#include "config/config.h"
#include "mcp/manager.h"

namespace ik::app {

struct McpRuntime {
    std::unique_ptr<mcp::Manager> manager;
    std::unique_ptr<agent::McpTools> tools;
    ~McpRuntime();
};

// Null when no server is configured. `mode`: how undecided project files
// are handled (the REPL asks before its screen starts; headless reports).
std::unique_ptr<McpRuntime> start_mcp(
    Loop& loop, mem::Arena& arena, const config::Config& cfg, const std::filesystem::path& cwd, ProjectTrust mode);
// Headless: starts the servers and runs the loop until each is ready or has
// failed (or `stop()` says a signal came); a failed server is reported on
// stderr, and so is every progress notification while a call runs.
std::unique_ptr<McpRuntime> start_mcp_headless(Loop& loop, mem::Arena& arena, const config::Config& cfg,
    const std::filesystem::path& cwd, const std::function<bool()>& stop);
// True when every server is ready or has failed (headless waits for this
// before its first request, so the model sees the tools).
bool mcp_settled(const McpRuntime& runtime);
// The running servers, for /mcp; null when none.
const McpRuntime* current_mcp();

} // namespace ik::app
