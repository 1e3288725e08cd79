#include "mcp/server.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "mcp/tool_result.h"

namespace ik::mcp {

namespace {

using namespace std::chrono_literals;

// The handshake and listing are quick for any working server; a call gets the
// server's configured timeout.
constexpr auto handshake_timeout = 30s;

std::string initialize_params()
{
    return fmt::format(R"({{"protocolVersion":"{}","capabilities":{{}},"clientInfo":{{"name":"ik","version":"0"}}}})",
        protocol_versions[0]);
}

bool supported(std::string_view version)
{
    for (auto v : protocol_versions)
        if (v == version)
            return true;
    return false;
}

} // namespace

std::string_view to_string(ServerState state)
{
    switch (state) {
    case ServerState::stopped:
        return "stopped";
    case ServerState::starting:
        return "starting";
    case ServerState::ready:
        return "ready";
    case ServerState::failed:
        return "failed";
    case ServerState::crashed:
        return "crashed";
    }
    return "?";
}

Server::Server(
    Loop& loop, mem::Arena& parent, config::McpServerConfig config, std::filesystem::path cwd, Changed changed)
    : m_loop(loop)
    , m_parent(parent)
    , m_config(std::move(config))
    , m_cwd(std::move(cwd))
    , m_changed(std::move(changed))
{
}

Server::~Server()
{
    if (m_reap_timer)
        m_loop.cancel(m_reap_timer);
    m_queue.clear();
    m_connection.reset();
}

void Server::start()
{
    if (m_connection)
        m_dead.push_back(std::move(m_connection));
    // Closed connections are freed from the loop, never here: start() may run
    // inside one of their callbacks (a queued call failed, the turn started
    // the next call of this server at once).
    if (!m_dead.empty() && !m_reap_timer)
        m_reap_timer = m_loop.after(std::chrono::milliseconds(0), [this] {
            m_reap_timer = 0;
            m_dead.clear();
        });
    m_state = ServerState::starting;
    // Callbacks of an earlier connection (its close, late replies) must not
    // touch this one's state.
    uint64_t epoch = ++m_epoch;
    auto c = Connection::start(m_loop, m_parent, m_config, m_cwd,
        Connection::Events{
            .on_notification =
                [this, epoch](std::string_view method, const json::value*) {
                    if (epoch == m_epoch)
                        on_notification(method);
                },
            .on_closed =
                [this, epoch](const Error& why) {
                    if (epoch == m_epoch)
                        on_closed(why);
                },
        });
    if (!c) {
        set_failed(ServerState::failed, c.error());
        return;
    }
    m_connection = std::move(*c);
    m_connection->request(
        "initialize", initialize_params(), handshake_timeout, [this, epoch](const Result<const json::value*>& reply) {
            if (epoch == m_epoch)
                on_initialized(reply);
        });
    if (m_changed)
        m_changed();
}

void Server::on_initialized(const Result<const json::value*>& reply)
{
    if (!reply) {
        set_failed(ServerState::failed, reply.error());
        return;
    }
    json::Field f(**reply);
    std::string_view version = f["protocolVersion"].string_or("");
    if (!supported(version)) {
        set_failed(ServerState::failed,
            Error::make(ErrorCode::provider, "the server speaks MCP protocol version '{}'; ik speaks {}, {} and {}",
                version, protocol_versions[0], protocol_versions[1], protocol_versions[2]));
        return;
    }
    m_version = std::string(version);
    m_server_name = std::string(f["serverInfo"]["name"].string_or(""));
    (void)m_connection->notify("notifications/initialized");
    list_tools("");
}

void Server::list_tools(const std::string& cursor)
{
    bool first = cursor.empty();
    if (first)
        m_listing.clear();
    std::string params = first ? std::string("{}")
                               : fmt::format(R"({{"cursor":{}}})",
                                   boost::json::serialize(boost::json::string_view(cursor.data(), cursor.size())));
    m_connection->request("tools/list", params, handshake_timeout,
        [this, first, epoch = m_epoch](const Result<const json::value*>& reply) {
            if (epoch == m_epoch)
                on_tools(reply, first);
        });
}

void Server::on_tools(const Result<const json::value*>& reply, bool)
{
    if (!reply) {
        set_failed(m_state == ServerState::ready ? ServerState::crashed : ServerState::failed, reply.error());
        return;
    }
    json::Field f(**reply);
    if (auto tools = f["tools"].as_array()) {
        for (size_t i = 0; i < (*tools)->size(); ++i) {
            json::Field t = f["tools"][i];
            auto name = t["name"].string();
            if (!name || name->empty() || name->size() > 64)
                continue;
            Tool tool;
            tool.name = std::string(*name);
            tool.description = std::string(t["description"].string_or(""));
            tool.input_schema = t["inputSchema"].get() && t["inputSchema"].get()->is_object()
                ? boost::json::serialize(*t["inputSchema"].get())
                : std::string(R"({"type":"object"})");
            tool.read_only_hint = t["annotations"]["readOnlyHint"].boolean_or(false);
            m_listing.push_back(std::move(tool));
        }
    }
    if (std::string_view next = f["nextCursor"].string_or(""); !next.empty() && m_listing.size() < 1000) {
        list_tools(std::string(next));
        return;
    }
    m_tools = std::move(m_listing);
    m_listing.clear();
    m_state = ServerState::ready;
    if (m_changed)
        m_changed();
    run_queued();
}

void Server::on_notification(std::string_view method)
{
    if (method == "notifications/tools/list_changed" && m_state == ServerState::ready)
        list_tools("");
}

void Server::on_closed(const Error& why)
{
    set_failed(m_state == ServerState::ready ? ServerState::crashed : ServerState::failed, why);
}

void Server::set_failed(ServerState state, const Error& why)
{
    m_state = state;
    m_last_error = why.to_string();
    if (m_connection && !m_connection->stderr_tail().empty()) {
        std::string_view tail = m_connection->stderr_tail();
        while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r'))
            tail.remove_suffix(1);
        if (auto nl = tail.rfind('\n'); nl != std::string_view::npos)
            tail = tail.substr(nl + 1);
        m_last_error += fmt::format(" (stderr: {})", tail);
    }
    // The closed connection may be the caller of this function: it is freed on
    // the next start or with the server, never here; whatever else it reports
    // (its close after a failed reply) is stale from now on.
    if (m_connection)
        m_dead.push_back(std::move(m_connection));
    ++m_epoch;
    std::vector<Queued> queue = std::move(m_queue);
    m_queue.clear();
    for (auto& q : queue)
        q.done(CallOutcome::error(fmt::format("MCP server '{}' is not available: {}", m_config.name, m_last_error)));
    if (m_changed)
        m_changed();
}

int64_t Server::call_tool(std::string_view tool, std::string arguments, ProgressCallback progress, Done done)
{
    if (m_state != ServerState::ready) {
        m_queue.push_back(Queued{ std::string(tool), std::move(arguments), std::move(progress), std::move(done) });
        if (m_state != ServerState::starting) {
            m_restarts += m_state != ServerState::stopped;
            start();
        }
        return 0;
    }
    // The progress token is the request's id (unique per connection), so the
    // connection routes notifications/progress to this call.
    int64_t id = m_connection->next_id();
    std::string params = fmt::format(R"({{"name":{},"arguments":{},"_meta":{{"progressToken":{}}}}})",
        boost::json::serialize(boost::json::string_view(tool.data(), tool.size())),
        arguments.empty() ? std::string("{}") : arguments, id);
    auto on_reply = [this, done = std::move(done)](const Result<const json::value*>& reply) {
        if (!reply) {
            done(CallOutcome::error(fmt::format("MCP server '{}': {}", m_config.name, reply.error().to_string()),
                reply.error().code() == ErrorCode::interrupted));
            return;
        }
        done(outcome_from(**reply));
    };
    return m_connection->request(
        "tools/call", params, std::chrono::seconds(m_config.timeout_s), std::move(on_reply), std::move(progress));
}

void Server::cancel(int64_t call, std::string_view reason)
{
    if (m_connection && call)
        m_connection->cancel(call, reason);
}

void Server::run_queued()
{
    std::vector<Queued> queue = std::move(m_queue);
    m_queue.clear();
    for (auto& q : queue)
        call_tool(q.tool, std::move(q.arguments), std::move(q.progress), std::move(q.done));
}

} // namespace ik::mcp
