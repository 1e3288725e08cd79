#include "mcp/connection.h"

#include <csignal>
#include <cstdlib>

#include <boost/json/serialize.hpp>

#include "core/process.h"
#include "net/jsonrpc.h"

namespace ik::mcp {

namespace {

using namespace std::chrono_literals;
namespace rpc = net::jsonrpc;

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

Connection::Connection(Loop& loop, mem::Arena& parent, Events events, ConnectionLimits limits)
    : m_loop(loop)
    , m_arena(parent, "mcp-connection", { .cap = 4 * limits.line_bytes + (size_t{ 1 } << 20), .block_size = 0 })
    , m_scratch(m_arena, "mcp-message", { .cap = 0, .block_size = size_t{ 16 } * 1024 })
    , m_events(std::move(events))
    , m_limits(limits)
    , m_line(&m_arena)
{
}

Result<std::unique_ptr<Connection>> Connection::start(Loop& loop, mem::Arena& parent,
    const config::McpServerConfig& server, const std::filesystem::path& cwd, Events events, ConnectionLimits limits)
{
    std::unique_ptr<Connection> c(new Connection(loop, parent, std::move(events), limits)); // NOLINT
    PipeChildOptions o;
    o.argv.push_back(server.command);
    for (const auto& a : server.args)
        o.argv.push_back(a);
    o.env = server_environment(server);
    o.cwd = cwd;
    Connection* self = c.get();
    c->m_child = TRY(PipeChild::spawn(loop, std::move(o),
        PipeChildCallbacks{
            .on_stdout = [self](std::string_view b) { self->on_stdout(b); },
            .on_stderr = [self](std::string_view b) { self->on_stderr(b); },
            .on_exit = [self](int code, int signo) { self->on_exit(code, signo); },
        }));
    return c;
}

Connection::~Connection()
{
    for (auto& p : m_pending)
        if (p.timer)
            m_loop.cancel(p.timer);
    m_pending.clear();
    m_child.reset(); // SIGTERM, SIGKILL after a grace, reaped
}

int64_t Connection::request(std::string_view method, std::string_view params, std::chrono::milliseconds timeout,
    ReplyCallback reply, ProgressCallback progress)
{
    int64_t id = m_next_id++;
    if (m_closed) {
        // Delivered from the loop like any other reply.
        m_loop.after(0ms, [reply = std::move(reply)] { reply(fail(ErrorCode::network, "the server is not running")); });
        return id;
    }
    Pending p{ .id = id, .reply = std::move(reply), .progress = std::move(progress), .timer = 0 };
    if (timeout.count() > 0)
        p.timer = m_loop.after(timeout, [this, id, timeout, what = std::string(method)] {
            for (auto& q : m_pending)
                if (q.id == id)
                    q.timer = 0;
            (void)notify("notifications/cancelled",
                fmt::format(R"({{"requestId":{},"reason":"timed out after {} s"}})", id, timeout.count() / 1000));
            finish(id, fail(ErrorCode::timeout, "{} timed out after {} s", what, timeout.count() / 1000));
        });
    m_pending.push_back(std::move(p));
    std::string line = rpc::request(id, method, params);
    line += '\n';
    if (auto w = m_child->write(line); !w)
        cut_off(w.error());
    return id;
}

void Connection::cancel(int64_t id, std::string_view reason)
{
    for (auto& p : m_pending) {
        if (p.id != id)
            continue;
        std::string params = fmt::format(R"({{"requestId":{},"reason":{}}})", id,
            boost::json::serialize(boost::json::string_view(reason.data(), reason.size())));
        (void)notify("notifications/cancelled", params);
        finish(id, fail(ErrorCode::interrupted, "cancelled"));
        return;
    }
}

Result<void> Connection::notify(std::string_view method, std::string_view params)
{
    if (m_closed)
        return fail(ErrorCode::network, "the server is not running");
    std::string line = rpc::notification(method, params);
    line += '\n';
    return m_child->write(line);
}

void Connection::finish(int64_t id, Result<const json::value*> reply)
{
    for (size_t i = 0; i < m_pending.size(); ++i) {
        if (m_pending[i].id != id)
            continue;
        Pending p = std::move(m_pending[i]);
        m_pending.erase(m_pending.begin() + static_cast<long>(i));
        if (p.timer)
            m_loop.cancel(p.timer);
        p.reply(std::move(reply));
        return;
    }
}

void Connection::on_stdout(std::string_view bytes)
{
    while (!bytes.empty() && !m_closed) {
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

void Connection::on_stderr(std::string_view bytes)
{
    if (bytes.size() >= stderr_keep)
        bytes = bytes.substr(bytes.size() - stderr_keep);
    m_stderr.append(bytes);
    if (m_stderr.size() > stderr_keep)
        m_stderr.erase(0, m_stderr.size() - stderr_keep);
}

void Connection::on_line(std::string_view line)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos)
        return;
    rpc::Message m = rpc::parse(m_scratch, line);
    switch (m.kind) {
    case rpc::Kind::response:
        finish(m.id.number, m.result);
        break;
    case rpc::Kind::error:
        if (!m.id.is_null && !m.id.is_string)
            finish(m.id.number, fail(ErrorCode::provider, "server error {}: {}", m.error.code, m.error.message));
        break;
    case rpc::Kind::request:
        // ik offers no client features (sampling, roots, elicitation): ping is
        // the one request a server may send it.
        if (m.method == "ping") {
            std::string out = rpc::response(m.id, "{}") + "\n";
            (void)m_child->write(out);
        } else {
            std::string out = rpc::error_response(m.id, rpc::method_not_found, "method not found") + "\n";
            (void)m_child->write(out);
        }
        break;
    case rpc::Kind::notification:
        if (m.method == "notifications/progress")
            on_progress(m.params);
        else if (m_events.on_notification)
            m_events.on_notification(m.method, m.params);
        break;
    case rpc::Kind::invalid:
        break; // a stray line (a log message on stdout): skipped, not fatal
    }
    m_scratch.reset();
}

void Connection::on_progress(const json::value* params)
{
    if (!params)
        return;
    json::Field f(*params);
    int64_t token = f["progressToken"].integer_or(-1);
    for (auto& p : m_pending) {
        if (p.id != token || !p.progress)
            continue;
        auto progress = f["progress"].number();
        auto total = f["total"].number();
        p.progress(progress ? *progress : 0, total ? *total : 0, f["message"].string_or(""));
        return;
    }
}

void Connection::cut_off(const Error& why)
{
    if (m_closed)
        return;
    m_child->stop_reading();
    ::kill(-m_child->pid(), SIGKILL); // reaped when its exit arrives (on_exit)
    close(why);
}

void Connection::on_exit(int code, int signo)
{
    if (m_closed)
        return;
    std::string how = signo ? fmt::format("killed by {}", signal_name(signo)) : fmt::format("exit code {}", code);
    close(Error::make(ErrorCode::network, "the server exited ({})", how));
}

void Connection::close(const Error& why)
{
    m_closed = true;
    std::vector<Pending> pending = std::move(m_pending);
    m_pending.clear();
    for (auto& p : pending) {
        if (p.timer)
            m_loop.cancel(p.timer);
        p.reply(fail(why));
    }
    m_line.clear();
    if (m_events.on_closed)
        m_events.on_closed(why);
}

} // namespace ik::mcp
