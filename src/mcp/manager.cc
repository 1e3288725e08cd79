#include "mcp/manager.h"

#include <fmt/format.h>

#include "mcp/naming.h"

namespace ik::mcp {

Manager::Manager(Loop& loop, mem::Arena& parent, std::filesystem::path cwd)
    : m_loop(loop)
    , m_arena(parent, "mcp")
    , m_cwd(std::move(cwd))
{
}

Manager::~Manager()
{
    m_servers.clear(); // each stops its child
}

void Manager::add(config::McpServerConfig server)
{
    std::string name = server.name;
    m_servers.push_back(
        std::make_unique<Server>(m_loop, m_arena, std::move(server), m_cwd, [this] { ++m_generation; }));
    m_servers.back()->set_on_updated([this, name](std::string_view uri) {
        if (m_on_update)
            m_on_update(name, uri);
    });
}

std::string Manager::update_note()
{
    std::string out;
    for (auto& s : m_servers)
        for (const std::string& uri : s->take_updates())
            out += fmt::format("{}[MCP server '{}' says resource {} changed since it was read; read it again if it "
                               "matters]",
                out.empty() ? "" : "\n", s->name(), uri);
    return out;
}

void Manager::start_all()
{
    for (auto& s : m_servers)
        if (s->state() == ServerState::stopped)
            s->start();
}

Server* Manager::server(std::string_view name)
{
    for (auto& s : m_servers)
        if (s->name() == name)
            return s.get();
    return nullptr;
}

std::optional<Manager::Found> Manager::find(std::string_view full_name)
{
    auto parts = split_tool_name(full_name);
    if (!parts)
        return std::nullopt;
    Server* s = server(parts->server);
    if (!s)
        return std::nullopt;
    for (const Tool& t : s->tools())
        if (full_tool_name(s->name(), t.name) == full_name)
            return Found{ s, &t };
    return std::nullopt;
}

} // namespace ik::mcp
