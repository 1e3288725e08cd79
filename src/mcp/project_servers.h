// MCP servers a project brings with it: <root>/.ik/mcp.json and
// <root>/.mcp.json (the file Claude Code and other agents read).
//
//   .mcp.json       {"mcpServers": {"calc": {"command": "…", "args": […], "env": {…}}}}
//   .ik/mcp.json    the same, or ik's own shape {"servers": {…}} (as in config.json's "mcp")
//
// Server entries are read by config::read_mcp_servers, so they take the keys
// config.json's do: stdio ("command") and Streamable HTTP ("url") servers. An
// entry for the old HTTP+SSE transport ("type": "sse") is skipped with a note,
// and the rest of the file still counts. When both files name a server, .ik/mcp.json wins.
//
// A project file is outside input: it is read only when it is a regular file
// (not a symbolic link, and .ik not a link either: a link could point
// anywhere), at most 256 KiB; a malformed file gives a note and no servers.
// The bytes' SHA-256 is what trust is recorded against (mcp/trust_store.h).
// Nothing here starts a server or decides trust.
//
// Owns what it returns (heap strings).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/mcp_config.h"

namespace ik::mcp {

struct ProjectFile {
    std::filesystem::path path; // absolute
    std::string sha256; // of the bytes read
    std::vector<config::McpServerConfig> servers; // in file order; may be empty
};

struct ProjectScan {
    std::vector<ProjectFile> files; // .ik/mcp.json first
    std::vector<std::string> notes; // files not read, entries skipped
};

inline constexpr size_t max_project_file_bytes = size_t{ 256 } << 10;

ProjectScan scan_project_servers(const std::filesystem::path& project_root);

// Reads one file as scan_project_servers() would; nullopt (with a note) when
// it does not exist or cannot be used.
std::optional<ProjectFile> read_project_file(const std::filesystem::path& path, std::vector<std::string>& notes);

} // namespace ik::mcp
