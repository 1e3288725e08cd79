#include "mcp/stdio_connection.h"

#include <csignal>
#include <cstdlib>

#include "core/process.h"

namespace ik::mcp {

namespace {

constexpr size_t stderr_keep = 2048;

// What a server inherits from ik: enough to find programs and its home, none
// of ik's secrets (API keys live in the environment). The MCP SDKs start
// stdio servers with the same short list; `env` in the config adds the rest.
constexpr std::string_view inherited[] = { "HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL",
    "TMPDIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR" };

std::vector<std::string> server_environment(const config::McpServerConfig& server)
{
    std::vector<std::string> env;
    for (std::string_view name : inherited) {
        bool overridden = false;
        for (const auto& [k, v] : server.env)
            overridden = overridden || k == name;
        if (const char* value = std::getenv(std::string(name).c_str()); value && !overridden)
            env.push_back(fmt::format("{}={}", name, value));
    }
    for (const auto& [k, v] : server.env)
        env.push_back(fmt::format("{}={}", k, v));
    return env;
}

} // namespace

StdioConnection::StdioConnection(Loop& loop, mem::Arena& parent, Events events, ConnectionLimits limits)
    : Connection(loop, parent, "mcp-connection",
        { .cap = 4 * limits.line_bytes + (size_t{ 1 } << 20), .block_size = 0 }, std::move(events), limits)
    , m_line(&m_arena)
{
}

Result<std::unique_ptr<Connection>> StdioConnection::start(Loop& loop, mem::Arena& parent,
    const config::McpServerConfig& server, const std::filesystem::path& cwd, Events events, ConnectionLimits limits)
{
    std::unique_ptr<StdioConnection> c(new StdioConnection(loop, parent, std::move(events), limits)); // NOLINT
    PipeChildOptions o;
    o.argv.push_back(server.command);
    for (const auto& a : server.args)
        o.argv.push_back(a);
    o.env = server_environment(server);
    o.cwd = cwd;
    StdioConnection* self = c.get();
    c->m_child = TRY(PipeChild::spawn(loop, std::move(o),
        PipeChildCallbacks{
            .on_stdout = [self](std::string_view b) { self->on_stdout(b); },
            .on_stderr = [self](std::string_view b) { self->on_stderr(b); },
            .on_exit = [self](int code, int signo) { self->on_exit(code, signo); },
        }));
    return std::unique_ptr<Connection>(std::move(c));
}

StdioConnection::~StdioConnection()
{
    m_child.reset(); // SIGTERM, SIGKILL after a grace, reaped
}

Result<void> StdioConnection::send(std::string message, int64_t, std::string_view)
{
    message += '\n';
    auto w = m_child->write(message);
    if (!w)
        cut_off(w.error());
    return w;
}

void StdioConnection::on_stdout(std::string_view bytes)
{
    while (!bytes.empty() && !closed()) {
        size_t nl = bytes.find('\n');
        std::string_view part = bytes.substr(0, nl);
        if (m_line.size() + part.size() > m_limits.line_bytes) {
            cut_off(Error::make(ErrorCode::cap_exceeded,
                "the server sent a message over {} KiB without a line end; cut off", m_limits.line_bytes / 1024));
            return;
        }
        if (nl == std::string_view::npos) {
            m_line.append(part);
            return;
        }
        bytes.remove_prefix(nl + 1);
        if (m_line.empty()) {
            on_line(part);
        } else {
            m_line.append(part);
            std::string_view whole = m_line;
            on_line(whole);
            m_line.clear();
        }
    }
}

void StdioConnection::on_stderr(std::string_view bytes)
{
    if (bytes.size() >= stderr_keep)
        bytes = bytes.substr(bytes.size() - stderr_keep);
    m_stderr.append(bytes);
    if (m_stderr.size() > stderr_keep)
        m_stderr.erase(0, m_stderr.size() - stderr_keep);
}

void StdioConnection::on_line(std::string_view line)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos)
        return;
    on_message(line);
}

void StdioConnection::cut_off(const Error& why)
{
    if (closed())
        return;
    m_child->stop_reading();
    ::kill(-m_child->pid(), SIGKILL); // reaped when its exit arrives (on_exit)
    close(why);
}

void StdioConnection::on_exit(int code, int signo)
{
    if (closed())
        return;
    std::string how = signo ? fmt::format("killed by {}", signal_name(signo)) : fmt::format("exit code {}", code);
    close(Error::make(ErrorCode::network, "the server exited ({})", how));
}

} // namespace ik::mcp
