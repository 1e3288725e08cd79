#include "agent/mcp_resource_tools.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "mcp/resources.h"

namespace ik::agent {

namespace {

constexpr size_t max_uri_bytes = 8192;

std::string quoted(std::string_view s)
{
    return boost::json::serialize(boost::json::string_view(s.data(), s.size()));
}

std::string servers_with_resources(const mcp::Manager& manager)
{
    std::string out;
    for (const auto& s : manager.servers())
        if (s->has_resources())
            out += fmt::format("{}{}", out.empty() ? "" : ", ", s->name());
    return out;
}

} // namespace

std::vector<ResourceToolSpec> resource_tools(const mcp::Manager& manager)
{
    std::string servers = servers_with_resources(manager);
    if (servers.empty())
        return {};
    std::string server_schema
        = fmt::format(R"("server":{{"type":"string","description":"The MCP server: one of {}"}})", servers);
    return {
        ResourceToolSpec{ std::string(resource_list_tool),
            fmt::format("List the resources (data: files, records, documents) an MCP server offers, with their URIs "
                        "for {}. Servers with resources: {}.",
                resource_read_tool, servers),
            fmt::format(R"({{"type":"object","properties":{{{},"cursor":{{"type":"string","description":"The cursor )"
                        R"(a previous listing named, for its next page"}}}},"required":["server"]}})",
                server_schema) },
        ResourceToolSpec{ std::string(resource_read_tool),
            fmt::format("Read one resource of an MCP server by its URI (from {} or a resource link). Text comes back "
                        "as is; binary content only as its type and size. Servers with resources: {}.",
                resource_list_tool, servers),
            fmt::format(R"({{"type":"object","properties":{{{},"uri":{{"type":"string","description":"The )"
                        R"(resource's URI"}}}},"required":["server","uri"]}})",
                server_schema) },
    };
}

Result<ResourceRequest> resource_request(mcp::Manager& manager, std::string_view tool, const json::value& args)
{
    json::Field f(args);
    std::string_view name = TRY(f["server"].string());
    mcp::Server* server = manager.server(name);
    if (!server || !server->has_resources())
        return fail(ErrorCode::invalid_argument, "no MCP server '{}' with resources; servers with resources: {}", name,
            servers_with_resources(manager));
    ResourceRequest r;
    r.server = server;
    std::string server_name(name);
    if (tool == resource_list_tool) {
        r.method = "resources/list";
        std::string_view cursor = f["cursor"].string_or("");
        if (cursor.size() > max_uri_bytes)
            return fail(ErrorCode::invalid_argument, "the cursor is over {} bytes", max_uri_bytes);
        r.params = cursor.empty() ? std::string("{}") : fmt::format(R"({{"cursor":{}}})", quoted(cursor));
        // The templates (read when the server became ready) go under the
        // first page, so the model can build a URI for mcp_resource_read.
        r.convert = [server, server_name, first = cursor.empty()](const json::value& v) {
            mcp::CallOutcome out = mcp::resource_list_outcome(server_name, v);
            if (first)
                out.text += mcp::templates_text(server->resource_templates());
            return out;
        };
        return r;
    }
    std::string_view uri = TRY(f["uri"].string());
    if (uri.empty() || uri.size() > max_uri_bytes)
        return fail(ErrorCode::invalid_argument, "expected a URI of 1 to {} bytes", max_uri_bytes);
    r.method = "resources/read";
    r.params = fmt::format(R"({{"uri":{}}})", quoted(uri));
    // A resource the model has read is one whose changes it should hear of.
    r.convert = [server, uri = std::string(uri)](const json::value& v) {
        mcp::CallOutcome out = mcp::resource_read_outcome(v);
        if (!out.is_error)
            server->subscribe(uri);
        return out;
    };
    return r;
}

} // namespace ik::agent
