#include "app/acp/acp_mcp_servers.h"

namespace ik::app::acp {

Result<std::vector<config::McpServerConfig>> parse_mcp_servers(const json::value* servers)
{
    std::vector<config::McpServerConfig> out;
    if (!servers || servers->is_null())
        return out;
    json::Field list(*servers);
    TRY(list.as_array());
    for (size_t i = 0; i < list.size(); ++i) {
        json::Field s = list[i];
        std::string_view type = s["type"].string_or("stdio");
        std::string_view name = TRY(s["name"].string());
        if (type == "sse")
            return fail(ErrorCode::invalid_argument,
                "MCP server '{}': the sse transport is not supported by ik (stdio and http are)", name);
        if (type != "stdio" && type != "http")
            return fail(ErrorCode::invalid_argument, "MCP server '{}': unknown type '{}'", name, type);
        if (name.empty() || name.find("__") != std::string_view::npos)
            return fail(ErrorCode::invalid_argument, "{}: a server name must be non-empty, without \"__\"", s.path());
        for (const auto& o : out)
            if (o.name == name)
                return fail(ErrorCode::invalid_argument, "MCP server '{}' is named twice", name);
        config::McpServerConfig c;
        c.name = std::string(name);
        if (type == "http") {
            // Streamable HTTP (mcp/http_connection.h): the editor's headers go
            // with every request, as a config file's would.
            c.url = std::string(TRY(s["url"].string()));
            if (!c.url.starts_with("http://") && !c.url.starts_with("https://"))
                return fail(ErrorCode::invalid_argument, "MCP server '{}': url must be http:// or https://", name);
            if (s["headers"].exists())
                for (size_t h = 0; h < TRY(s["headers"].as_array())->size(); ++h)
                    c.headers.emplace_back(std::string(TRY(s["headers"][h]["name"].string())),
                        std::string(TRY(s["headers"][h]["value"].string())));
            out.push_back(std::move(c));
            continue;
        }
        c.command = std::string(TRY(s["command"].string()));
        if (s["args"].exists())
            for (size_t a = 0; a < TRY(s["args"].as_array())->size(); ++a)
                c.args.emplace_back(TRY(s["args"][a].string()));
        if (s["env"].exists())
            for (size_t e = 0; e < TRY(s["env"].as_array())->size(); ++e)
                c.env.emplace_back(
                    std::string(TRY(s["env"][e]["name"].string())), std::string(TRY(s["env"][e]["value"].string())));
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace ik::app::acp
