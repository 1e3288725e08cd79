// `ik mcp list` and `ik mcp trust [--file F]`: MCP servers outside the REPL.
//
// list prints the config's servers, then each project file
// (mcp/project_servers.h) with its trust (trusted, refused, undecided: new or
// changed since the answer) and its servers, marking those a config server
// shadows. trust records the project's files (or the one named, by path) as
// trusted with their current content, so headless runs start their servers:
// the way to trust a file without opening the REPL. A file with nothing to
// trust (missing, unusable, no servers) is an error (exit 1).
#pragma once

#include "app/cli.h"

namespace ik::app {

int run_mcp_command(const CliOptions& options);

} // namespace ik::app
