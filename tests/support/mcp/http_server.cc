#include "support/mcp/http_server.h"

#include <chrono>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <httplib.h>

namespace ik::testing {

namespace {

namespace js = boost::json;

std::string header(const httplib::Request& req, const char* name)
{
    return req.has_header(name) ? req.get_header_value(name) : std::string("-");
}

std::string result(const std::string& id, const std::string& body)
{
    return fmt::format(R"({{"jsonrpc":"2.0","id":{},"result":{}}})", id, body);
}

std::string text_result(const std::string& text, bool error = false)
{
    return fmt::format(R"({{"content":[{{"type":"text","text":{}}}],"isError":{}}})", js::serialize(js::value(text)),
        error ? "true" : "false");
}

} // namespace

McpHttpServer::McpHttpServer(Options options)
    : m_options(std::move(options))
    , m_server(std::make_unique<httplib::Server>())
{
    m_server->Post("/mcp", [this](const httplib::Request& req, httplib::Response& res) {
        handle(req.body, header(req, "Mcp-Session-Id"), &res);
        std::lock_guard lock(m_mutex);
        std::string method = "?";
        if (auto v = js::parse(req.body); v.is_object() && v.as_object().contains("method"))
            method = js::value_to<std::string>(v.at("method"));
        else if (v.is_object() && v.as_object().contains("result"))
            method = "(response)";
        m_log.push_back(fmt::format("POST {} session={} version={} token={} status={}", method,
            header(req, "Mcp-Session-Id"), header(req, "MCP-Protocol-Version"), header(req, "X-Token"), res.status));
    });
    m_server->Get("/mcp", [this](const httplib::Request& req, httplib::Response& res) {
        std::string last = header(req, "Last-Event-ID");
        get(last, &res);
        std::lock_guard lock(m_mutex);
        m_log.push_back(
            fmt::format("GET session={} last-event-id={} status={}", header(req, "Mcp-Session-Id"), last, res.status));
    });
    m_server->Delete("/mcp", [this](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(m_mutex);
        m_sessions.erase(header(req, "Mcp-Session-Id"));
        m_log.push_back(fmt::format("DELETE session={}", header(req, "Mcp-Session-Id")));
        res.status = 200;
    });
    m_port = m_server->bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    for (int i = 0; i < 500 && !m_server->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

McpHttpServer::~McpHttpServer()
{
    m_server->stop();
    if (m_thread.joinable())
        m_thread.join();
}

std::string McpHttpServer::url() const
{
    return fmt::format("http://127.0.0.1:{}/mcp", m_port);
}

void McpHttpServer::forget()
{
    std::lock_guard lock(m_mutex);
    m_sessions.clear();
}

std::vector<std::string> McpHttpServer::log() const
{
    std::lock_guard lock(m_mutex);
    return m_log;
}

std::string McpHttpServer::log_text() const
{
    std::string out;
    for (const auto& line : log())
        out += line + "\n";
    return out;
}

void McpHttpServer::handle(const std::string& body, const std::string& session, void* response)
{
    auto& res = *static_cast<httplib::Response*>(response);
    std::error_code ec;
    js::value v = js::parse(body, ec);
    if (ec || !v.is_object()) {
        res.status = 400;
        res.set_content("not JSON", "text/plain");
        return;
    }
    const js::object& o = v.as_object();
    std::string method = o.contains("method") ? js::value_to<std::string>(o.at("method")) : "";
    bool initialize = method == "initialize";
    {
        std::lock_guard lock(m_mutex);
        if (!initialize && !m_sessions.contains(session)) {
            res.status = session == "-" ? 400 : 404;
            res.set_content("no such session", "text/plain");
            return;
        }
        if (initialize) {
            std::string id = fmt::format("s-{}", m_next_session++);
            m_sessions.insert(id);
            res.set_header("Mcp-Session-Id", id);
        }
    }
    if (!o.contains("id") || method.empty()) { // a notification or a response
        res.status = 202;
        return;
    }
    std::string id = js::serialize(o.at("id"));
    std::string params = o.contains("params") ? js::serialize(o.at("params")) : "{}";
    bool streamed = false;
    std::string prelude;
    std::string reply = answer(method, id, params, streamed, prelude);
    if (!m_options.forget_after.empty() && method == m_options.forget_after)
        forget();
    if (!m_options.sse) {
        res.set_content(reply, "application/json");
        res.status = 200;
        return;
    }
    if (m_options.resume != Resume::none && method == "tools/call") {
        // The stream ends after an event with an id, without the response.
        std::lock_guard lock(m_mutex);
        std::string first = fmt::format("e-{}", m_next_event++);
        m_replay[first] = fmt::format("id: e-{}\nevent: message\ndata: {}\n\n", m_next_event++, reply);
        res.set_content(prelude + "retry: 20\nid: " + first
                + "\ndata: "
                  R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"working"}})"
                  "\n\n",
            "text/event-stream");
        res.status = 200;
        return;
    }
    std::string stream = prelude + "event: message\ndata: " + reply + "\n\n";
    res.set_content(stream, "text/event-stream");
    res.status = 200;
}

void McpHttpServer::get(const std::string& last_event_id, void* response)
{
    auto& res = *static_cast<httplib::Response*>(response);
    res.status = 405;
    if (m_options.resume != Resume::replay)
        return;
    if (last_event_id == "-") { // the stream of server messages: one event, then it ends
        res.set_content("retry: 0\nid: g-1\ndata: "
                        R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"g"}})"
                        "\n\n",
            "text/event-stream");
        res.status = 200;
        return;
    }
    std::lock_guard lock(m_mutex);
    if (last_event_id == "g-1") {
        res.set_content(": nothing more\n\n", "text/event-stream");
        res.status = 200;
    } else if (auto it = m_replay.find(last_event_id); it != m_replay.end()) {
        res.set_content(it->second, "text/event-stream");
        res.status = 200;
    } else {
        res.status = 404;
    }
}

std::string McpHttpServer::answer(
    const std::string& method, const std::string& id, const std::string& params_json, bool&, std::string& prelude)
{
    js::value params = js::parse(params_json);
    auto str = [&](const char* key) {
        const js::object* p = params.if_object();
        return p && p->contains(key) && p->at(key).is_string() ? std::string(p->at(key).as_string()) : std::string();
    };
    if (method == "initialize") {
        std::string version = str("protocolVersion") == "2025-03-26" ? "2025-03-26" : "2025-06-18";
        return result(id,
            fmt::format(R"({{"protocolVersion":"{}","capabilities":{{"tools":{{"listChanged":true}},)"
                        R"("resources":{{"subscribe":true,"listChanged":true}}}},"serverInfo":{{"name":"httptest"}}}})",
                version));
    }
    if (method == "ping")
        return result(id, "{}");
    if (method == "tools/list")
        return result(id,
            R"({"tools":[{"name":"echo","description":"Echo text","inputSchema":{"type":"object","properties":{"text":{"type":"string"}}}},)"
            R"({"name":"big","description":"A huge answer","inputSchema":{"type":"object"}},)"
            R"({"name":"touch","description":"Change the notes","inputSchema":{"type":"object"}},)"
            R"({"name":"fail","description":"Fails","inputSchema":{"type":"object"}}]})");
    if (method == "tools/call") {
        std::string tool = str("name");
        const js::object* args
            = params.as_object().contains("arguments") ? params.as_object().at("arguments").if_object() : nullptr;
        if (tool == "echo") {
            prelude
                = R"(data: {"jsonrpc":"2.0","id":"srv-1","method":"ping"})"
                  "\n\n"
                  R"(data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hi"}})"
                  "\n\n";
            std::string text = args && args->contains("text") && args->at("text").is_string()
                ? std::string(args->at("text").as_string())
                : "";
            return result(id, text_result("echo: " + text));
        }
        if (tool == "big")
            return result(id, text_result(std::string(size_t{ 9 } << 20, 'x')));
        if (tool == "touch") {
            prelude
                = R"(data: {"jsonrpc":"2.0","method":"notifications/resources/updated","params":{"uri":"mem://notes"}})"
                  "\n\n";
            return result(id, text_result("touched"));
        }
        if (tool == "fail")
            return result(id, text_result("it failed", true));
        return fmt::format(
            R"({{"jsonrpc":"2.0","id":{},"error":{{"code":-32602,"message":"unknown tool {}"}}}})", id, tool);
    }
    if (method == "resources/list")
        return result(id, R"({"resources":[{"uri":"mem://notes","name":"notes","mimeType":"text/plain"}]})");
    if (method == "resources/templates/list")
        return result(id,
            R"({"resourceTemplates":[{"uriTemplate":"mem://notes/{name}","name":"note",)"
            R"("description":"One note by name","mimeType":"text/plain"}]})");
    if (method == "resources/read")
        return result(id,
            fmt::format(R"({{"contents":[{{"uri":{},"mimeType":"text/plain","text":"notes text for {}"}}]}})",
                js::serialize(js::value(str("uri"))), str("uri")));
    if (method == "resources/subscribe")
        return result(id, "{}");
    return fmt::format(R"({{"jsonrpc":"2.0","id":{},"error":{{"code":-32601,"message":"method not found"}}}})", id);
}

} // namespace ik::testing
