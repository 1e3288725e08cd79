// One configured MCP server: its connection, the MCP handshake, its tools.
//
// A Server goes starting -> ready, or -> failed (could not start, refused the
// handshake) or -> crashed (exited or was cut off after it was ready). start()
// only spawns and sends `initialize`; everything after is driven by the loop,
// so starting every server at once costs the first prompt nothing. When the
// reply comes, the negotiated protocol version is checked (2025-11-25,
// 2025-06-18 or 2025-03-26; ik asks for the newest), `notifications/initialized`
// is sent, and `tools/list` is read (every page). A server that announces
// `notifications/tools/list_changed` has its list read again.
//
// call_tool() on a crashed or failed server starts it again first, so a crash
// costs the model one error result (the call that was running) and the next
// call restarts it.
//
// Owns: the connection (and so the child), the tool list. Tools keep their
// schema as JSON text (heap strings: lists are small and rebuilt rarely).
// Borrows: the loop and the arena the connection's arena hangs from.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/mcp_config.h"
#include "core/loop.h"
#include "mcp/connection.h"

namespace ik::mcp {

inline constexpr std::string_view protocol_versions[] = { "2025-11-25", "2025-06-18", "2025-03-26" };

enum class ServerState : uint8_t { stopped, starting, ready, failed, crashed };
std::string_view to_string(ServerState state);

struct Tool {
    std::string name; // as the server names it
    std::string description;
    std::string input_schema; // JSON text of the inputSchema object
    bool read_only_hint = false; // the server's claim (annotations.readOnlyHint)
};

// A tools/call outcome in ik's terms (mcp/tool_result.h builds it).
struct CallOutcome {
    std::string text; // every content block, as the model reads it
    bool is_error = false;
    size_t images = 0; // image blocks (described in `text`)
    bool cancelled = false; // the call was given up (cancel())

    static CallOutcome error(std::string text, bool cancelled = false)
    {
        CallOutcome o;
        o.text = std::move(text);
        o.is_error = true;
        o.cancelled = cancelled;
        return o;
    }
};

class Server {
public:
    using Changed = std::function<void()>; // the tool list or the state changed
    using Done = std::function<void(CallOutcome outcome)>;

    Server(Loop& loop, mem::Arena& parent, config::McpServerConfig config, std::filesystem::path cwd, Changed changed);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start();
    // Calls `tool` with `arguments` (JSON object text). `done` runs once, from
    // the loop. Returns a handle for cancel(); 0 when the call waits for a
    // restart (it is then cancelled with the server's destruction only).
    int64_t call_tool(std::string_view tool, std::string arguments, ProgressCallback progress, Done done);
    void cancel(int64_t call, std::string_view reason);

    const config::McpServerConfig& config() const { return m_config; }
    std::string_view name() const { return m_config.name; }
    ServerState state() const { return m_state; }
    const std::vector<Tool>& tools() const { return m_tools; }
    std::string_view protocol_version() const { return m_version; }
    std::string_view server_name() const { return m_server_name; }
    // The last thing that went wrong (with the server's stderr tail), or "".
    std::string_view last_error() const { return m_last_error; }
    pid_t pid() const { return m_connection ? m_connection->pid() : -1; }
    int restarts() const { return m_restarts; }

private:
    void on_initialized(const Result<const json::value*>& reply);
    void list_tools(const std::string& cursor);
    void on_tools(const Result<const json::value*>& reply, bool first_page);
    void on_notification(std::string_view method);
    void on_closed(const Error& why);
    void set_failed(ServerState state, const Error& why);
    void run_queued();

    struct Queued {
        std::string tool;
        std::string arguments;
        ProgressCallback progress;
        Done done;
    };

    Loop& m_loop;
    mem::Arena& m_parent;
    config::McpServerConfig m_config;
    std::filesystem::path m_cwd;
    Changed m_changed;
    std::unique_ptr<Connection> m_connection;
    std::vector<std::unique_ptr<Connection>> m_dead; // closed; freed from the loop after a restart
    Loop::TimerId m_reap_timer = 0;
    uint64_t m_epoch = 0; // which connection is current (start() counts)
    ServerState m_state = ServerState::stopped;
    std::vector<Tool> m_tools;
    std::vector<Tool> m_listing; // pages of a tools/list in progress
    std::vector<Queued> m_queue; // calls waiting for a (re)start
    std::string m_version;
    std::string m_server_name;
    std::string m_last_error;
    int m_restarts = 0;
};

} // namespace ik::mcp
