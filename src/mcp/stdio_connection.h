// The stdio transport of an MCP connection (mcp/connection.h): a child
// process (core/pipe_child.h) that reads newline-delimited JSON-RPC on stdin
// and writes it on stdout.
//
// The unfinished line is a pmr string in the connection's arena, bounded by
// `line_bytes`: a server that writes a longer line (or never ends one) is cut
// off at once — the connection closes with cap_exceeded, its process group is
// killed — rather than buffered. stderr is not shown anywhere: its last 2 KiB
// are kept as the server's last words, for /mcp and error messages. When the
// child exits (or is cut off) the connection closes.
//
// Owns: the child (killed and reaped when the connection is destroyed).
#pragma once

#include <memory>
#include <memory_resource>
#include <string>

#include "core/pipe_child.h"
#include "mcp/connection.h"

namespace ik::mcp {

class StdioConnection final : public Connection {
public:
    static Result<std::unique_ptr<Connection>> start(Loop& loop, mem::Arena& parent,
        const config::McpServerConfig& server, const std::filesystem::path& cwd, Events events,
        ConnectionLimits limits);
    ~StdioConnection() override;
    StdioConnection(const StdioConnection&) = delete;
    StdioConnection& operator=(const StdioConnection&) = delete;

    pid_t pid() const override { return m_child ? m_child->pid() : -1; }
    std::string_view stderr_tail() const override { return m_stderr; }

private:
    StdioConnection(Loop& loop, mem::Arena& parent, Events events, ConnectionLimits limits);
    Result<void> send(std::string message, int64_t id, std::string_view method) override;
    void on_stdout(std::string_view bytes);
    void on_stderr(std::string_view bytes);
    void on_line(std::string_view line);
    void on_exit(int code, int signo);
    void cut_off(const Error& why);

    std::pmr::string m_line; // the unfinished line, in m_arena
    std::string m_stderr;
    std::unique_ptr<PipeChild> m_child;
};

} // namespace ik::mcp
