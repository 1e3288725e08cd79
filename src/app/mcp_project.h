// The project's MCP server files (mcp/project_servers.h) for a run of ik:
// which of their servers start, after asking whom.
//
// A file's servers start only when the user trusts that file with its
// current content (mcp/trust_store.h). The REPL asks at start, before the
// screen is taken, for each file not decided yet: the question names the
// file, each server and the command it runs; "y" trusts, "n" refuses (both
// kept for this content), anything else leaves it undecided and asks again
// next time. Headless runs never ask and never start an undecided or refused
// file's servers: they say so once per file on stderr, with how to trust it
// (`ik mcp trust`, or answering in the REPL).
//
// A server in the user's config wins over a project server of the same name;
// .ik/mcp.json wins over .mcp.json.
//
//   auto servers = project_mcp_servers(cfg, project_root, ProjectTrust::report);
//
// Owns what it returns.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace ik::app {

enum class ProjectTrust : uint8_t {
    ask, // the REPL: ask on the terminal about undecided files
    report, // headless: start trusted files' servers, name the others on stderr
};

// The servers of trusted project files that no config server shadows.
std::vector<config::McpServerConfig> project_mcp_servers(
    const config::Config& cfg, const std::filesystem::path& project_root, ProjectTrust mode);

// True when the config names a server `name` (it then wins over a project's).
bool in_config(const config::Config& cfg, std::string_view name);

// "calc: python3 server.py --x 'a b'": a server as the question shows it;
// "docs: https://h/mcp [header Authorization ${DOCS_TOKEN}]" for HTTP (the
// URL redacted, header values never, the variables they take named).
std::string describe_server(const config::McpServerConfig& server);

} // namespace ik::app
