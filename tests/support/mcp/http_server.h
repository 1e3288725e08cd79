// A scripted MCP server over Streamable HTTP for ik's integration tests
// (tests/integration/mcp_http_test.cc): cpp-httplib on 127.0.0.1 and an
// ephemeral port, run on a thread for the test's lifetime.
//
// It speaks enough of MCP 2025-06-18 to drive ik: initialize (a session id
// per handshake, "s-1", "s-2", ...), tools/list, tools/call, resources/list,
// resources/templates/list, resources/read, resources/subscribe, ping; GET
// answers 405 (no server stream) and DELETE ends the session. Every request
// is logged as one line, "<METHOD> <rpc method> session=<id>
// version=<MCP-Protocol-Version> token=<X-Token>", for the test to read.
//
// Options: `sse` answers requests with an event stream (a tools/call of
// `echo` is preceded by a ping request and a progress notification; `touch`
// by notifications/resources/updated) instead of one JSON body. forget()
// (or `forget_after`) drops every session, so the next request that
// names one gets 404.
//
// `resume` (with `sse`): a tools/call's event stream carries the prelude and
// one event with an id (a logging notification, after `retry: 20`), then
// ends without the response. `replay`: a GET with that Last-Event-ID replays
// the response (with the next id); the GET stream of server messages, opened
// without the header, sends one event with id "g-1" and ends, and a GET
// resuming from "g-1" gets an empty stream. `refuse`: a GET with the header
// is answered 405. GETs are logged as "GET session=<id>
// last-event-id=<id or -> status=<status>".
//
// Tools: echo {text}, big {} (a 9 MiB answer), touch {} (marks mem://notes
// updated), fail {} (isError).
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace ik::testing {

class McpHttpServer {
public:
    enum class Resume { none, replay, refuse };
    struct Options {
        bool sse = false;
        Resume resume = Resume::none;
        std::string forget_after; // sessions end once this method is answered ("" never)
    };
    explicit McpHttpServer(Options options);
    ~McpHttpServer();
    McpHttpServer(const McpHttpServer&) = delete;
    McpHttpServer& operator=(const McpHttpServer&) = delete;

    std::string url() const;
    int port() const { return m_port; }
    void forget(); // every session ends: the next request with one gets 404
    std::vector<std::string> log() const;
    std::string log_text() const;

private:
    void handle(const std::string& body, const std::string& session, void* response);
    void get(const std::string& last_event_id, void* response);
    std::string answer(const std::string& method, const std::string& id, const std::string& params_json, bool& streamed,
        std::string& prelude);

    Options m_options;
    std::unique_ptr<httplib::Server> m_server;
    int m_port = 0;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_log;
    std::set<std::string> m_sessions;
    int m_next_session = 1;
    int m_next_event = 1;
    std::map<std::string, std::string> m_replay; // events after an id (Resume::replay)
};

} // namespace ik::testing
