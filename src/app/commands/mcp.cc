#include <fmt/format.h>

#include "app/commands/internal/all.h"
#include "app/mcp_setup.h"
#include "mcp/http_headers.h"
#include "mcp/naming.h"

namespace ik::app::slash {
namespace {

// Each server: its state, protocol, tools, and the last error (docs/extensions.md).
Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(mcp));
    const McpRuntime* rt = current_mcp();
    if (!rt) {
        host.print("No MCP servers configured (the `mcp` key of config.json; see docs/extensions.md).", Tone::dim);
        return {};
    }
    for (const auto& s : rt->manager->servers()) {
        std::string head = fmt::format("{}  {}", s->name(), to_string(s->state()));
        if (!s->protocol_version().empty())
            head += fmt::format("  protocol {}", s->protocol_version());
        if (s->restarts())
            head += fmt::format("  restarted {}x", s->restarts());
        head += fmt::format("  ({} tool{}", s->tools().size(), s->tools().size() == 1 ? "" : "s");
        if (s->has_prompts())
            head += fmt::format(", {} prompt{}", s->prompts().size(), s->prompts().size() == 1 ? "" : "s");
        if (s->has_resources())
            head += fmt::format(", resources{}", s->can_subscribe() ? " (subscribed when read)" : "");
        if (!s->resource_templates().empty())
            head += fmt::format(", {} resource template{}", s->resource_templates().size(),
                s->resource_templates().size() == 1 ? "" : "s");
        head += ")";
        if (s->config().is_http())
            head += fmt::format("  {}", ::ik::mcp::redacted_url(s->config().url));
        host.print(head, s->state() == ::ik::mcp::ServerState::ready ? Tone::normal : Tone::error);
        std::string tools;
        for (const auto& t : s->tools())
            tools += fmt::format("  {}{}\n", ::ik::mcp::full_tool_name(s->name(), t.name),
                t.read_only_hint ? (s->config().trust_annotations ? "  (read-only, trusted)" : "  (claims read-only)")
                                 : "");
        for (const auto& p : s->prompts())
            tools += fmt::format("  /{}\n", ::ik::mcp::full_tool_name(s->name(), p.name));
        for (const auto& t : s->resource_templates())
            tools += fmt::format("  resource {}\n", t.uri_template);
        if (!tools.empty()) {
            tools.pop_back();
            host.print(tools, Tone::dim);
        }
        if (!s->last_error().empty())
            host.print(fmt::format("  last error: {}", s->last_error()), Tone::error);
    }
    return {};
}

} // namespace

const SlashCommand mcp{ "mcp", "", "MCP servers: state, tools and last error", run, true };

} // namespace ik::app::slash
