// The MCP servers an editor names in session/new and session/load, as ik's
// server configs (config/mcp_config.h), to be started through src/mcp like
// the configured ones.
//
// stdio servers ({name, command, args, env: [{name, value}]}) are taken;
// http and sse servers are refused with an error saying why: ik's MCP
// client speaks stdio only on this branch (TODO(mcphttp): issue 14's
// Streamable HTTP transport). Names must be unique and non-empty.
// Returns heap values.
#pragma once

#include <vector>

#include "config/mcp_config.h"
#include "core/json.h"
#include "core/result.h"

namespace ik::app::acp {

// `servers` may be null (absent): no servers.
Result<std::vector<config::McpServerConfig>> parse_mcp_servers(const json::value* servers);

} // namespace ik::app::acp
