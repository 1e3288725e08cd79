#include "app/mcp_setup.h"

#include "agent/instructions.h"
#include "tui/visible.h"

namespace ik::app {

namespace {

const McpRuntime* installed = nullptr;

} // namespace

McpRuntime::~McpRuntime()
{
    agent::set_external_tools(nullptr);
    if (installed == this)
        installed = nullptr;
    tools.reset();
    manager.reset(); // stops every server
}

std::unique_ptr<McpRuntime> start_mcp(
    Loop& loop, mem::Arena& arena, const config::Config& cfg, const std::filesystem::path& cwd, ProjectTrust mode)
{
    auto project = project_mcp_servers(cfg, agent::find_project_root(cwd), mode);
    if (cfg.mcp.servers.empty() && project.empty())
        return nullptr;
    auto rt = std::make_unique<McpRuntime>();
    rt->manager = std::make_unique<mcp::Manager>(loop, arena, cwd);
    for (const auto& s : cfg.mcp.servers)
        rt->manager->add(s);
    for (auto& s : project)
        rt->manager->add(std::move(s));
    rt->tools = std::make_unique<agent::McpTools>(*rt->manager);
    agent::set_external_tools(rt->tools.get());
    installed = rt.get();
    rt->manager->start_all();
    return rt;
}

std::unique_ptr<McpRuntime> start_mcp_headless(Loop& loop, mem::Arena& arena, const config::Config& cfg,
    const std::filesystem::path& cwd, const std::function<bool()>& stop)
{
    auto rt = start_mcp(loop, arena, cfg, cwd, ProjectTrust::report);
    if (!rt)
        return rt;
    rt->tools->set_progress_sink(
        [](std::string_view tool, std::string_view text) { tui::print_visible(stderr, "ik: {}: {}\n", tool, text); });
    rt->manager->set_on_update([](std::string_view server, std::string_view uri) {
        tui::print_visible(stderr, "ik: MCP server '{}': resource {} changed\n", server, uri);
    });
    (void)loop.run_until([&] { return mcp_settled(*rt) || stop(); });
    for (const auto& s : rt->manager->servers())
        if (s->state() != mcp::ServerState::ready)
            tui::print_visible(stderr, "ik: MCP server '{}' is not available: {}\n", s->name(), s->last_error());
    return rt;
}

bool mcp_settled(const McpRuntime& runtime)
{
    for (const auto& s : runtime.manager->servers())
        if (s->state() == mcp::ServerState::starting)
            return false;
    return true;
}

const McpRuntime* current_mcp()
{
    return installed;
}

} // namespace ik::app
