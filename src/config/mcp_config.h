// The `mcp` key of config.json: the MCP servers ik starts (docs/extensions.md).
//
//   "mcp": {"servers": {
//     "calc": {"command": "python3", "args": ["calc.py"], "env": {"K": "v"},
//              "timeout": 60, "trust_annotations": false}
//   }}
//
//     "docs": {"url": "https://mcp.example.com/mcp",
//              "headers": {"Authorization": "Bearer ${DOCS_TOKEN}"}}
//
// A server runs a `command` (stdio) or is reached at a `url` (Streamable
// HTTP); never both. `headers` go with every HTTP request; `${VAR}` in a value
// is expanded from the environment when the server starts (mcp/http_headers.h),
// so tokens stay out of the file. Values are never shown (`ik config`, errors,
// listings name the header only).
// A server object has the shape Claude Code's `mcpServers` entries have (a
// `"type"` of "stdio", "http" or "streamable-http" is accepted when it matches
// the other keys), so the same block can be copied
// between the two; read_mcp_servers() reads such an object of servers from
// either file. `timeout` is the seconds a tool call may take (default 60);
// `trust_annotations` lets a tool the server marks readOnlyHint run without
// asking. Server names are what tool names are made of (mcp__<server>__<tool>),
// so they are restricted to letters, digits, '-' and '_', without "__".
//
// Owns its strings. Nothing here starts anything.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace ik::config {

struct McpServerConfig {
    std::string name;
    std::string command; // stdio: the program; empty for an HTTP server
    std::vector<std::string> args;
    std::string url; // Streamable HTTP: the MCP endpoint; empty for stdio
    std::vector<std::pair<std::string, std::string>> headers; // HTTP; values may hold ${VAR}
    std::vector<std::pair<std::string, std::string>> env; // added to the minimal environment (mcp/connection.h)
    int64_t timeout_s = 60;
    bool trust_annotations = false;

    bool is_http() const { return !url.empty(); }
};

struct McpConfig {
    std::vector<McpServerConfig> servers; // in file order
};

// Reads the object of servers at `field` ({"<name>": {...}, ...}) into `out`;
// errors name `source` and the key path ("mcp.servers.calc.args: ...").
Result<void> read_mcp_servers(json::Field field, std::vector<McpServerConfig>& out, std::string_view source);
// Reads the `mcp` key ({"servers": {...}}).
Result<void> read_mcp(json::Field field, McpConfig& out, std::string_view source);
// Back to JSON for `ik config` (into `arena`'s storage).
json::value mcp_to_json(const McpConfig& mcp, mem::Arena& arena);

} // namespace ik::config
