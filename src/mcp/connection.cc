#include "mcp/connection.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "mcp/http_connection.h"
#include "mcp/stdio_connection.h"
#include "net/jsonrpc.h"

namespace ik::mcp {

namespace {

using namespace std::chrono_literals;
namespace rpc = net::jsonrpc;

} // namespace

Result<std::unique_ptr<Connection>> Connection::start(Loop& loop, mem::Arena& parent,
    const config::McpServerConfig& server, const std::filesystem::path& cwd, Events events, ConnectionLimits limits)
{
    if (server.is_http())
        return HttpConnection::start(loop, parent, server, std::move(events), limits);
    return StdioConnection::start(loop, parent, server, cwd, std::move(events), limits);
}

Connection::Connection(Loop& loop, mem::Arena& parent, std::string_view arena_name, mem::Options options, Events events,
    ConnectionLimits limits)
    : m_loop(loop)
    , m_arena(parent, arena_name, options)
    , m_scratch(m_arena, "mcp-message", { .cap = 0, .block_size = size_t{ 16 } * 1024 })
    , m_events(std::move(events))
    , m_limits(limits)
{
}

Connection::~Connection()
{
    for (auto& p : m_pending)
        if (p.timer)
            m_loop.cancel(p.timer);
    m_pending.clear();
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
            abandon(id);
            (void)notify("notifications/cancelled",
                fmt::format(R"({{"requestId":{},"reason":"timed out after {} s"}})", id, timeout.count() / 1000));
            finish(id, fail(ErrorCode::timeout, "{} timed out after {} s", what, timeout.count() / 1000));
        });
    m_pending.push_back(std::move(p));
    if (auto w = send(rpc::request(id, method, params), id, method); !w && !m_closed)
        finish(id, fail(w.error()));
    return id;
}

void Connection::cancel(int64_t id, std::string_view reason)
{
    if (!waiting_for(id))
        return;
    abandon(id);
    std::string params = fmt::format(R"({{"requestId":{},"reason":{}}})", id,
        boost::json::serialize(boost::json::string_view(reason.data(), reason.size())));
    (void)notify("notifications/cancelled", params);
    finish(id, fail(ErrorCode::interrupted, "cancelled"));
}

Result<void> Connection::notify(std::string_view method, std::string_view params)
{
    if (m_closed)
        return fail(ErrorCode::network, "the server is not running");
    return send(rpc::notification(method, params), 0, method);
}

bool Connection::waiting_for(int64_t id) const
{
    for (const auto& p : m_pending)
        if (p.id == id)
            return true;
    return false;
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

void Connection::on_message(std::string_view text)
{
    rpc::Message m = rpc::parse(m_scratch, text);
    switch (m.kind) {
    case rpc::Kind::response:
        if (m.result)
            on_result(m.id.number, *m.result);
        finish(m.id.number, m.result);
        break;
    case rpc::Kind::error:
        if (!m.id.is_null && !m.id.is_string)
            finish(m.id.number, fail(ErrorCode::provider, "server error {}: {}", m.error.code, m.error.message));
        break;
    case rpc::Kind::request:
        // ik offers no client features (sampling, roots, elicitation): ping is
        // the one request a server may send it.
        if (m.method == "ping")
            (void)send(rpc::response(m.id, "{}"), 0, {});
        else
            (void)send(rpc::error_response(m.id, rpc::method_not_found, "method not found"), 0, {});
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

void Connection::close(const Error& why)
{
    if (m_closed)
        return;
    m_closed = true;
    std::vector<Pending> pending = std::move(m_pending);
    m_pending.clear();
    for (auto& p : pending) {
        if (p.timer)
            m_loop.cancel(p.timer);
        p.reply(fail(why));
    }
    if (m_events.on_closed)
        m_events.on_closed(why);
}

} // namespace ik::mcp
