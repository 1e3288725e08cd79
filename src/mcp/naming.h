// The names MCP tools have in ik: mcp__<server>__<tool>.
//
// Providers accept tool names of 1 to 64 characters from [A-Za-z0-9_-]
// (OpenAI's rule, the strictest); a server's tool name may hold anything, so
// other characters become '_'. A name that would pass 64 characters is not
// offered (full_tool_name returns ""). Server names are checked by the config
// (config/mcp_config.h) and never contain "__", so the first "__" after the
// prefix ends the server's part.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ik::mcp {

inline constexpr std::string_view tool_prefix = "mcp__";
inline constexpr size_t max_tool_name = 64;

// "mcp__calc__add"; "" when too long.
std::string full_tool_name(std::string_view server, std::string_view tool);

struct NameParts {
    std::string_view server;
    std::string_view tool; // as ik spells it (sanitized)
};
// The parts of an ik tool name, or nullopt when it is not an MCP tool's.
std::optional<NameParts> split_tool_name(std::string_view name);

} // namespace ik::mcp
