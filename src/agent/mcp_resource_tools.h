// MCP resources for the model: two tools, offered while at least one server
// says it has resources (the `resources` capability).
//
//   mcp_resource_list {server, cursor?}   resources/list: one line per resource,
//                                         then the server's resource templates
//   mcp_resource_read {server, uri}       resources/read: text as is; binary
//                                         content as a note (type, size); the
//                                         server is then subscribed to the URI
//                                         (when it offers subscriptions)
//
// Both are `reads` tools (they run without asking): a resource is data the
// server offers to be read, like a file, and reading it is what the server
// was started for; its tools, which act, still go through approval. Their
// descriptions name the servers that have resources. Replies are capped
// (mcp/resources.h).
//
// Plain functions over the manager; McpTools (agent/mcp_tools.h) holds the
// descriptors and runs the requests. Owns what it returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "mcp/manager.h"

namespace ik::agent {

inline constexpr std::string_view resource_list_tool = "mcp_resource_list";
inline constexpr std::string_view resource_read_tool = "mcp_resource_read";

struct ResourceToolSpec {
    std::string name;
    std::string description;
    std::string schema;
};

// The two tools, or none when no server has resources.
std::vector<ResourceToolSpec> resource_tools(const mcp::Manager& manager);

struct ResourceRequest {
    mcp::Server* server = nullptr;
    std::string method;
    std::string params; // JSON object text
    mcp::Server::Convert convert;
};

// The request a call of `tool` with `args` makes, or why it cannot be made
// (an unknown server, one without resources, a missing or oversized URI).
Result<ResourceRequest> resource_request(mcp::Manager& manager, std::string_view tool, const json::value& args);

} // namespace ik::agent
