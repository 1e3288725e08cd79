// Every MCP server of a session's project, started together, looked up by
// tool name.
//
// start_all() spawns every server and returns at once; handshakes and tool
// lists arrive on the loop, and generation() counts the changes (a server
// became ready, crashed, or changed its tool list) so the agent rebuilds the
// tool list it offers the model only when something changed. Destroying the
// manager stops every server (core/pipe_child.h: SIGTERM, SIGKILL after a
// grace, reaped): ik's exit leaves no server behind.
//
// Resource updates (notifications/resources/updated) reach two readers: the
// `on_update` listener at once (the REPL prints a line), and the model
// through update_note(), which the agent appends to the next MCP result it
// hands the model or to the next prompt (agent/mcp_tools.h).
//
// Owns: the servers and, through them, their connections and children; the
// "mcp" arena the connections' capped arenas hang from. Borrows: the loop.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "config/mcp_config.h"
#include "core/arena.h"
#include "mcp/server.h"

namespace ik::mcp {

class Manager {
public:
    Manager(Loop& loop, mem::Arena& parent, std::filesystem::path cwd);
    ~Manager();
    Manager(const Manager&) = delete;
    Manager& operator=(const Manager&) = delete;

    void add(config::McpServerConfig server);
    void start_all();
    using OnUpdate = std::function<void(std::string_view server, std::string_view uri)>;
    void set_on_update(OnUpdate listener) { m_on_update = std::move(listener); }
    // One line per resource a server said changed since the last call, or
    // "" (the updates are taken).
    std::string update_note();

    struct Found {
        Server* server = nullptr;
        const Tool* tool = nullptr;
    };
    // The server and tool behind an ik tool name (mcp__server__tool).
    std::optional<Found> find(std::string_view full_name);
    Server* server(std::string_view name);

    uint64_t generation() const { return m_generation; }
    const std::vector<std::unique_ptr<Server>>& servers() const { return m_servers; }

private:
    Loop& m_loop;
    mem::Arena m_arena;
    std::filesystem::path m_cwd;
    std::vector<std::unique_ptr<Server>> m_servers;
    uint64_t m_generation = 0;
    OnUpdate m_on_update;
};

} // namespace ik::mcp
