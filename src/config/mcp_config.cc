#include "config/mcp_config.h"

#include "config/internal/suggest.h"
#include "core/arena.h"

namespace ik::config {

namespace {

// Field errors carry ErrorCode::parse; in a config file they are config errors.
#define MCP_TRY(expr)                                                                                                  \
    ({                                                                                                                 \
        auto _r = (expr);                                                                                              \
        if (!_r.has_value())                                                                                           \
            return fail(ErrorCode::config, "{}: {}", source, _r.error().message());                                    \
        *_r;                                                                                                           \
    })

Result<void> check_keys(const json::object& obj, const json::Field& at, std::string_view source,
    std::initializer_list<std::string_view> known)
{
    auto unknown = internal::unknown_key(obj, known);
    if (!unknown)
        return {};
    if (!unknown->hint.empty())
        return fail(ErrorCode::config, "{}: {}: unknown key '{}' (did you mean '{}'?)", source, at.path(), unknown->key,
            unknown->hint);
    return fail(ErrorCode::config, "{}: {}: unknown key '{}'", source, at.path(), unknown->key);
}

bool valid_name(std::string_view name)
{
    if (name.empty() || name.size() > 64 || name.find("__") != std::string_view::npos)
        return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    return true;
}

Result<void> read_strings(const json::Field& f, std::vector<std::pair<std::string, std::string>>& out,
    std::string_view source, std::string_view what)
{
    const json::object* obj = MCP_TRY(f.as_object());
    for (const auto& kv : *obj) {
        std::string_view key(kv.key().data(), kv.key().size());
        bool bad = key.empty() || key.find_first_of(what == "env" ? "=" : ": \t\r\n") != std::string_view::npos;
        if (bad)
            return fail(ErrorCode::config, "{}: {}: '{}' is not {}", source, f.path(), key,
                what == "env" ? "an environment variable name" : "a header name");
        std::string_view value = MCP_TRY(f[key].string());
        if (what != "env" && value.find_first_of("\r\n") != std::string_view::npos)
            return fail(ErrorCode::config, "{}: {}: header '{}' has a line break in its value", source, f.path(), key);
        out.emplace_back(std::string(key), std::string(value));
    }
    return {};
}

// The transport the keys describe; `type`, when given, must agree.
Result<void> read_transport(const json::Field& f, McpServerConfig& s, std::string_view source)
{
    std::string_view type = f["type"].exists() ? MCP_TRY(f["type"].string()) : std::string_view();
    if (type == "sse")
        return fail(ErrorCode::config,
            R"({}: {}: the old HTTP+SSE transport is not supported; ik speaks Streamable HTTP ("type": "http"))",
            source, f["type"].path());
    if (!type.empty() && type != "stdio" && type != "http" && type != "streamable-http")
        return fail(
            ErrorCode::config, R"({}: {}: expected "stdio" or "http", got '{}')", source, f["type"].path(), type);
    bool http = f["url"].exists() || type == "http" || type == "streamable-http";
    if (http && type == "stdio")
        return fail(ErrorCode::config, "{}: {}: a \"stdio\" server has a command, not a url", source, f.path());
    if (http) {
        if (f["command"].exists() || f["args"].exists() || f["env"].exists())
            return fail(
                ErrorCode::config, "{}: {}: an HTTP server (\"url\") takes no command, args or env", source, f.path());
        if (!f["url"].exists())
            return fail(ErrorCode::config, "{}: {}: missing key 'url' (the server's MCP endpoint)", source, f.path());
        s.url = std::string(MCP_TRY(f["url"].string()));
        if (!(s.url.starts_with("http://") || s.url.starts_with("https://")) || s.url.size() > 4096
            || s.url.find_first_of(" \t\r\n") != std::string::npos)
            return fail(ErrorCode::config, "{}: {}: expected an http:// or https:// URL", source, f["url"].path());
        if (f["headers"].exists())
            TRY(read_strings(f["headers"], s.headers, source, "headers"));
        return {};
    }
    if (f["headers"].exists())
        return fail(ErrorCode::config, "{}: {}: 'headers' are for HTTP servers (\"url\")", source, f.path());
    if (!f["command"].exists())
        return fail(ErrorCode::config,
            "{}: {}: missing key 'command' (the program that runs the server) or 'url' (an HTTP server)", source,
            f.path());
    s.command = std::string(MCP_TRY(f["command"].string()));
    if (s.command.find_first_not_of(" \t\r\n") == std::string::npos)
        return fail(ErrorCode::config, "{}: {}: expected a program, got an empty string", source, f["command"].path());
    if (f["args"].exists()) {
        const json::array* args = MCP_TRY(f["args"].as_array());
        for (size_t i = 0; i < args->size(); ++i)
            s.args.emplace_back(MCP_TRY(f["args"][i].string()));
    }
    if (f["env"].exists())
        TRY(read_strings(f["env"], s.env, source, "env"));
    return {};
}

Result<McpServerConfig> read_server(const json::Field& f, std::string_view name, std::string_view source)
{
    TRY(check_keys(*MCP_TRY(f.as_object()), f, source,
        { "type", "command", "args", "env", "url", "headers", "timeout", "trust_annotations" }));
    McpServerConfig s;
    s.name = std::string(name);
    TRY(read_transport(f, s, source));
    if (f["timeout"].exists()) {
        int64_t t = MCP_TRY(f["timeout"].integer());
        if (t < 1 || t > 86400)
            return fail(
                ErrorCode::config, "{}: {}: expected seconds from 1 to 86400, got {}", source, f["timeout"].path(), t);
        s.timeout_s = t;
    }
    if (f["trust_annotations"].exists())
        s.trust_annotations = MCP_TRY(f["trust_annotations"].boolean());
    return s;
}

} // namespace

Result<void> read_mcp_servers(json::Field field, std::vector<McpServerConfig>& out, std::string_view source)
{
    const json::object* servers = MCP_TRY(field.as_object());
    out.clear();
    for (const auto& kv : *servers) {
        std::string_view name(kv.key().data(), kv.key().size());
        if (!valid_name(name))
            return fail(ErrorCode::config,
                "{}: {}: server name '{}' must be letters, digits, '-' and '_' (no \"__\", at most 64)", source,
                field.path(), name);
        out.push_back(TRY(read_server(field[name], name, source)));
    }
    return {};
}

Result<void> read_mcp(json::Field field, McpConfig& out, std::string_view source)
{
    TRY(check_keys(*MCP_TRY(field.as_object()), field, source, { "servers" }));
    if (field["servers"].exists())
        TRY(read_mcp_servers(field["servers"], out.servers, source));
    return {};
}

json::value mcp_to_json(const McpConfig& mcp, mem::Arena& arena)
{
    json::object root(json::storage(arena));
    json::object& servers = root["servers"].emplace_object();
    for (const McpServerConfig& s : mcp.servers) {
        json::object& o = servers[s.name].emplace_object();
        // Values may be secrets (tokens): only the names are shown.
        if (s.is_http()) {
            o["url"] = s.url;
            json::object& headers = o["headers"].emplace_object();
            for (const auto& [k, v] : s.headers)
                headers[k] = "<set>";
        } else {
            o["command"] = s.command;
            json::array& args = o["args"].emplace_array();
            for (const auto& a : s.args)
                args.emplace_back(a);
            json::object& env = o["env"].emplace_object();
            for (const auto& [k, v] : s.env)
                env[k] = "<set>";
        }
        o["timeout"] = s.timeout_s;
        o["trust_annotations"] = s.trust_annotations;
    }
    return root;
}

} // namespace ik::config
