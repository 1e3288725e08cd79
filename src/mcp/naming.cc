#include "mcp/naming.h"

namespace ik::mcp {

std::string full_tool_name(std::string_view server, std::string_view tool)
{
    std::string name;
    name.reserve(tool_prefix.size() + server.size() + 2 + tool.size());
    name += tool_prefix;
    name += server;
    name += "__";
    for (char c : tool) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        name += ok ? c : '_';
    }
    if (tool.empty() || name.size() > max_tool_name)
        return {};
    return name;
}

std::optional<NameParts> split_tool_name(std::string_view name)
{
    if (!name.starts_with(tool_prefix))
        return std::nullopt;
    name.remove_prefix(tool_prefix.size());
    size_t sep = name.find("__");
    if (sep == 0 || sep == std::string_view::npos || sep + 2 >= name.size())
        return std::nullopt;
    return NameParts{ name.substr(0, sep), name.substr(sep + 2) };
}

} // namespace ik::mcp
