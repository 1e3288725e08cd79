#include "mcp/server.h"

#include <algorithm>

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
    m_subscribed.clear(); // a new connection (a new session) has none
    // Callbacks of an earlier connection (its close, late replies) must not
    // touch this one's state.
    uint64_t epoch = ++m_epoch;
    auto c = Connection::start(m_loop, m_parent, m_config, m_cwd,
        Connection::Events{
            .on_notification =
                [this, epoch](std::string_view method, const json::value* params) {
                    if (epoch == m_epoch)
                        on_notification(method, params);
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
    m_has_resources = f["capabilities"]["resources"].exists();
    m_has_prompts = f["capabilities"]["prompts"].exists();
    m_can_subscribe = f["capabilities"]["resources"]["subscribe"].boolean_or(false);
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
    if (m_has_prompts && m_state != ServerState::ready) {
        list_prompts("");
        return;
    }
    after_prompts();
}

// The handshake's last listing: resource templates, so the first request
// the model sees can already name them.
void Server::after_prompts()
{
    if (m_has_resources && m_state != ServerState::ready)
        list_templates("");
    else
        set_ready();
}

void Server::list_prompts(const std::string& cursor)
{
    if (cursor.empty())
        m_prompt_listing.clear();
    std::string params = cursor.empty()
        ? std::string("{}")
        : fmt::format(
            R"({{"cursor":{}}})", boost::json::serialize(boost::json::string_view(cursor.data(), cursor.size())));
    m_connection->request(
        "prompts/list", params, handshake_timeout, [this, epoch = m_epoch](const Result<const json::value*>& reply) {
            if (epoch == m_epoch)
                on_prompts(reply);
        });
}

void Server::on_prompts(const Result<const json::value*>& reply)
{
    // A server whose prompts cannot be listed still serves its tools.
    if (!reply) {
        m_last_error = fmt::format("prompts/list: {}", reply.error().to_string());
        m_prompt_listing.clear();
        after_prompts();
        return;
    }
    json::Field f(**reply);
    for (size_t i = 0; i < f["prompts"].size() && f["prompts"].get()->is_array(); ++i) {
        json::Field p = f["prompts"][i];
        auto name = p["name"].string();
        if (!name || name->empty() || name->size() > 64)
            continue;
        Prompt prompt{ std::string(*name), std::string(p["description"].string_or("")), {} };
        for (size_t j = 0; j < p["arguments"].size() && p["arguments"].get()->is_array() && j < 32; ++j) {
            json::Field a = p["arguments"][j];
            auto arg = a["name"].string();
            if (!arg || arg->empty() || arg->size() > 64)
                continue;
            prompt.arguments.push_back(
                { std::string(*arg), std::string(a["description"].string_or("")), a["required"].boolean_or(false) });
        }
        m_prompt_listing.push_back(std::move(prompt));
    }
    if (std::string_view next = f["nextCursor"].string_or(""); !next.empty() && m_prompt_listing.size() < 1000) {
        list_prompts(std::string(next));
        return;
    }
    m_prompts = std::move(m_prompt_listing);
    m_prompt_listing.clear();
    after_prompts();
}

void Server::set_ready()
{
    bool was_ready = m_state == ServerState::ready;
    m_state = ServerState::ready;
    if (m_changed)
        m_changed();
    if (!was_ready)
        run_queued();
}

void Server::on_notification(std::string_view method, const json::value* params)
{
    if (m_state != ServerState::ready)
        return;
    if (method == "notifications/tools/list_changed") {
        list_tools("");
    } else if (method == "notifications/prompts/list_changed" && m_has_prompts) {
        list_prompts("");
    } else if (method == "notifications/resources/list_changed" && m_has_resources) {
        list_templates("");
    } else if (method == "notifications/resources/updated" && params) {
        std::string_view uri = json::Field(*params)["uri"].string_or("");
        if (uri.empty() || uri.size() > 2048
            || std::any_of(uri.begin(), uri.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
            return;
        bool known = false;
        for (const auto& u : m_updates)
            known = known || u == uri;
        if (!known && m_updates.size() < 32)
            m_updates.emplace_back(uri);
        if (m_updated)
            m_updated(uri);
    }
}

void Server::list_templates(const std::string& cursor)
{
    if (cursor.empty())
        m_template_listing.clear();
    std::string params = cursor.empty()
        ? std::string("{}")
        : fmt::format(
            R"({{"cursor":{}}})", boost::json::serialize(boost::json::string_view(cursor.data(), cursor.size())));
    m_connection->request("resources/templates/list", params, handshake_timeout,
        [this, epoch = m_epoch](const Result<const json::value*>& reply) {
            if (epoch == m_epoch)
                on_templates(reply);
        });
}

void Server::on_templates(const Result<const json::value*>& reply)
{
    // Templates are optional: a server without them (method not found)
    // simply has none.
    if (!reply) {
        m_template_listing.clear();
        if (m_state != ServerState::ready)
            set_ready();
        return;
    }
    json::Field f(**reply);
    json::Field list = f["resourceTemplates"];
    for (size_t i = 0; list.get() && list.get()->is_array() && i < list.size(); ++i) {
        json::Field t = list[i];
        auto uri = t["uriTemplate"].string();
        if (!uri || uri->empty() || uri->size() > 2048)
            continue;
        m_template_listing.push_back(ResourceTemplate{ std::string(*uri),
            std::string(t["title"].exists() ? t["title"].string_or("") : t["name"].string_or("")),
            std::string(t["description"].string_or("")), std::string(t["mimeType"].string_or("")) });
    }
    if (std::string_view next = f["nextCursor"].string_or(""); !next.empty() && m_template_listing.size() < 1000) {
        list_templates(std::string(next));
        return;
    }
    m_templates = std::move(m_template_listing);
    m_template_listing.clear();
    if (m_state != ServerState::ready)
        set_ready();
    else if (m_changed)
        m_changed();
}

void Server::subscribe(std::string_view uri)
{
    if (!m_can_subscribe || m_state != ServerState::ready || !m_connection || m_subscribed.size() >= 64)
        return;
    for (const auto& u : m_subscribed)
        if (u == uri)
            return;
    m_subscribed.emplace_back(uri);
    std::string params
        = fmt::format(R"({{"uri":{}}})", boost::json::serialize(boost::json::string_view(uri.data(), uri.size())));
    // A refused subscription costs nothing but the updates it would bring.
    m_connection->request("resources/subscribe", params, handshake_timeout, [](const Result<const json::value*>&) {});
}

std::vector<std::string> Server::take_updates()
{
    std::vector<std::string> out = std::move(m_updates);
    m_updates.clear();
    return out;
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

int64_t Server::call_tool(std::string_view tool, std::string_view arguments, ProgressCallback progress, Done done)
{
    std::string params = fmt::format(R"({{"name":{},"arguments":{}}})",
        boost::json::serialize(boost::json::string_view(tool.data(), tool.size())),
        arguments.empty() ? std::string_view("{}") : arguments);
    return send(
        "tools/call", std::move(params), [](const json::value& r) { return outcome_from(r); }, std::move(progress),
        std::move(done));
}

int64_t Server::request(std::string_view method, std::string params, Convert convert, Done done)
{
    return send(method, std::move(params), std::move(convert), {}, std::move(done));
}

int64_t Server::send(std::string_view method, std::string params, Convert convert, ProgressCallback progress, Done done)
{
    if (m_state != ServerState::ready) {
        auto run = [this, method = std::string(method), params, convert, progress, done]() mutable {
            send(method, std::move(params), std::move(convert), std::move(progress), std::move(done));
        };
        m_queue.push_back(Queued{ std::move(run), std::move(done) });
        if (m_state != ServerState::starting) {
            m_restarts += m_state != ServerState::stopped;
            start();
        }
        return 0;
    }
    // With a progress callback, the progress token is the request's id
    // (unique per connection), so the connection routes
    // notifications/progress to this request. `params` is an object: the
    // token goes in before its closing brace.
    if (progress && params.size() >= 2 && params.back() == '}') {
        params.pop_back();
        params += fmt::format(
            R"({}"_meta":{{"progressToken":{}}}}})", params.size() > 1 ? "," : "", m_connection->next_id());
    }
    auto on_reply
        = [this, convert = std::move(convert), done = std::move(done)](const Result<const json::value*>& reply) {
              if (!reply) {
                  done(CallOutcome::error(fmt::format("MCP server '{}': {}", m_config.name, reply.error().to_string()),
                      reply.error().code() == ErrorCode::interrupted));
                  return;
              }
              done(convert(**reply));
          };
    return m_connection->request(
        method, params, std::chrono::seconds(m_config.timeout_s), std::move(on_reply), std::move(progress));
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
        q.run();
}

} // namespace ik::mcp
