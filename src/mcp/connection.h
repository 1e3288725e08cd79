// One JSON-RPC connection to an MCP server, whatever carries the bytes: a
// child process over stdio (mcp/stdio_connection.h) or Streamable HTTP
// (mcp/http_connection.h). start() picks the transport from the config
// ("command" or "url"); the Server above talks to this interface only, so
// tools, resources and prompts work the same over both.
//
// The base class holds what every transport shares: request ids, the
// requests waiting for replies (each with an optional timeout: when it
// passes, the server is told with notifications/cancelled and the request
// fails with ErrorCode::timeout), routing of notifications/progress to the
// request whose progress token they name, answers to the server's own
// requests (ping is answered; anything else is "method not found": ik offers
// no client features), and closing (every waiting request fails, on_closed
// runs once). A transport only sends messages (send()) and hands every
// message it receives to on_message().
//
// Memory: the connection's buffers live in its own arena (capped by the
// transport); each received message is parsed into a scratch child arena
// reset right after it is handled, so a reply's JSON is valid only during
// its callback.
//
// The owner may destroy a closed connection, but not from inside one of its
// callbacks (defer it to the loop).
//
// Owns: the arena, the pending requests, the transport's resources. Borrows:
// the loop and `parent`.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/mcp_config.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/loop.h"
#include "core/result.h"

namespace ik::mcp {

// The JSON of a successful reply (valid during the callback), or why not.
using ReplyCallback = std::function<void(Result<const json::value*> reply)>;
// A progress notification for a request: progress, total (0: unknown), message.
using ProgressCallback = std::function<void(double progress, double total, std::string_view message)>;

struct ConnectionLimits {
    size_t line_bytes = size_t{ 8 } << 20; // one JSON-RPC message (a line, an HTTP body, an SSE event)
};

class Connection {
public:
    struct Events {
        std::function<void(std::string_view method, const json::value* params)> on_notification{};
        std::function<void(const Error& why)> on_closed{};
    };

    // Spawns the server (stdio; `cwd` is where it runs) or prepares to reach
    // it (HTTP: nothing is sent before the first request).
    static Result<std::unique_ptr<Connection>> start(Loop& loop, mem::Arena& parent,
        const config::McpServerConfig& server, const std::filesystem::path& cwd, Events events,
        ConnectionLimits limits = {});
    virtual ~Connection();
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
    // The child's pid (stdio), -1 otherwise.
    virtual pid_t pid() const { return -1; }
    // The last words of the server (stdio: its stderr), for error messages.
    virtual std::string_view stderr_tail() const { return {}; }

protected:
    Connection(Loop& loop, mem::Arena& parent, std::string_view arena_name, mem::Options options, Events events,
        ConnectionLimits limits);

    // Sends one message (JSON text without a line end). `id` is the request's
    // id, 0 for a notification or a response; `method` is empty for a
    // response. A transport that fails for good closes the connection itself;
    // an error returned for a request fails that request.
    virtual Result<void> send(std::string message, int64_t id, std::string_view method) = 0;
    // The request `id` timed out or was cancelled: stop waiting for its reply.
    virtual void abandon(int64_t /*id*/) { }
    // A successful reply, seen before its callback runs (HTTP reads the
    // negotiated protocol version from initialize's).
    virtual void on_result(int64_t /*id*/, const json::value& /*result*/) { }

    // One received message: parsed, dispatched, its scratch freed.
    void on_message(std::string_view text);
    void finish(int64_t id, Result<const json::value*> reply);
    void close(const Error& why);
    bool waiting_for(int64_t id) const;

    Loop& m_loop;
    mem::Arena m_arena;
    mem::Arena m_scratch; // one message's JSON; reset after each
    Events m_events;
    ConnectionLimits m_limits;

private:
    struct Pending {
        int64_t id = 0;
        ReplyCallback reply;
        ProgressCallback progress;
        Loop::TimerId timer = 0;
    };
    void on_progress(const json::value* params);

    std::vector<Pending> m_pending;
    int64_t m_next_id = 1;
    bool m_closed = false;
};

} // namespace ik::mcp
