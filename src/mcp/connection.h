// One JSON-RPC connection to an MCP server over stdio: a child process
// (core/pipe_child.h) that reads newline-delimited JSON-RPC on stdin and
// writes it on stdout (MCP "stdio" transport).
//
// The connection frames lines, classifies them (net/jsonrpc.h), matches
// responses to the requests waiting for them by id, answers the server's own
// requests it knows (ping) or refuses them (method not found), and hands
// notifications to its owner. Each request may carry a timeout: when it
// passes, the server is told (notifications/cancelled) and the request fails
// with ErrorCode::timeout. Progress notifications are routed to the request
// whose progress token they name.
//
// Memory: the connection's buffers live in its own arena, capped. The
// unfinished line is a pmr string in it, bounded by `line_bytes`: a server
// that writes a longer line (or never ends one) is cut off at once — the
// connection closes with cap_exceeded, its process group is killed — rather
// than buffered. Each message is parsed into a scratch child arena that is
// reset right after it is handled; a reply's JSON is valid only during its
// callback. stderr is not shown anywhere: its last 2 KiB are kept as the
// server's last words, for /mcp and error messages.
//
// When the child exits (or is cut off) every waiting request fails with
// ErrorCode::network and on_closed runs once; the owner may then destroy the
// connection, but not from inside a callback (defer it to the loop).
//
// Owns: the child (killed and reaped when the connection is destroyed), its
// arena, the pending requests. Borrows: the loop and `parent`.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

#include "config/mcp_config.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/loop.h"
#include "core/pipe_child.h"
#include "core/result.h"

namespace ik::mcp {

// The JSON of a successful reply (valid during the callback), or why not.
using ReplyCallback = std::function<void(Result<const json::value*> reply)>;
// A progress notification for a request: progress, total (0: unknown), message.
using ProgressCallback = std::function<void(double progress, double total, std::string_view message)>;

struct ConnectionLimits {
    size_t line_bytes = size_t{ 8 } << 20; // one JSON-RPC message
};

class Connection {
public:
    struct Events {
        std::function<void(std::string_view method, const json::value* params)> on_notification{};
        std::function<void(const Error& why)> on_closed{};
    };

    // Spawns the server. `cwd` is where it runs (the project).
    static Result<std::unique_ptr<Connection>> start(Loop& loop, mem::Arena& parent,
        const config::McpServerConfig& server, const std::filesystem::path& cwd, Events events,
        ConnectionLimits limits = {});
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Sends a request; `params` is JSON text (an object) or empty. `reply` runs
    // later from the loop, exactly once (unless the connection is destroyed
    // first). A zero timeout waits forever. Returns the request id.
    int64_t request(std::string_view method, std::string_view params, std::chrono::milliseconds timeout,
        ReplyCallback reply, ProgressCallback progress = {});
    // Gives up on a request: the server is told, the reply callback runs with
    // ErrorCode::interrupted.
    void cancel(int64_t id, std::string_view reason);
    Result<void> notify(std::string_view method, std::string_view params = {});

    // The id the next request() will use (for params that name it).
    int64_t next_id() const { return m_next_id; }
    bool closed() const { return m_closed; }
    pid_t pid() const { return m_child ? m_child->pid() : -1; }
    // The last bytes the server wrote on stderr.
    std::string_view stderr_tail() const { return m_stderr; }

private:
    struct Pending {
        int64_t id = 0;
        ReplyCallback reply;
        ProgressCallback progress;
        Loop::TimerId timer = 0;
    };

    Connection(Loop& loop, mem::Arena& parent, Events events, ConnectionLimits limits);
    void on_stdout(std::string_view bytes);
    void on_stderr(std::string_view bytes);
    void on_line(std::string_view line);
    void on_exit(int code, int signo);
    void close(const Error& why);
    void cut_off(const Error& why);
    void finish(int64_t id, Result<const json::value*> reply);
    void on_progress(const json::value* params);

    Loop& m_loop;
    mem::Arena m_arena;
    mem::Arena m_scratch; // one message's JSON; reset after each
    Events m_events;
    ConnectionLimits m_limits;
    std::pmr::string m_line; // the unfinished line, in m_arena
    std::string m_stderr;
    std::vector<Pending> m_pending;
    std::unique_ptr<PipeChild> m_child;
    int64_t m_next_id = 1;
    bool m_closed = false;
};

} // namespace ik::mcp
