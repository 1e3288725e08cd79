// The Streamable HTTP transport against a raw socket that answers with
// canned bytes: what it accepts from a server (a session id only when it is
// visible ASCII, SSE events split anywhere, notifications before the
// response, a stream ended or broken before the response resumed with
// Last-Event-ID) and what it refuses (an event or body over the cap, an
// unbounded or unprintable resumption).
#include <atomic>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mcp/http_connection.h"

namespace ik::mcp {
namespace {

using namespace std::chrono_literals;

// Answers the i-th connection with answers[i] (or the last one), then closes it.
class CannedServer {
public:
    explicit CannedServer(std::vector<std::string> answers)
        : m_answers(std::move(answers))
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), len); // NOLINT
        ::listen(m_fd, 8);
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len); // NOLINT
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~CannedServer()
    {
        m_stop = true;
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_thread.join();
    }
    CannedServer(const CannedServer&) = delete;
    CannedServer& operator=(const CannedServer&) = delete;
    std::string url() const { return fmt::format("http://127.0.0.1:{}/mcp", m_port); }
    std::vector<std::string> requests()
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

private:
    void serve()
    {
        for (size_t i = 0; !m_stop; ++i) {
            int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0)
                return;
            std::string in;
            char buf[4096];
            size_t want = std::string::npos;
            while (in.size() < want) {
                ssize_t n = ::read(c, buf, sizeof buf);
                if (n <= 0)
                    break;
                in.append(buf, static_cast<size_t>(n));
                if (size_t end = in.find("\r\n\r\n"); end != std::string::npos && want == std::string::npos) {
                    size_t cl = in.find("Content-Length: ");
                    want = end + 4 + (cl < end ? std::stoul(in.substr(cl + 16)) : 0);
                }
            }
            {
                std::lock_guard lock(m_mutex);
                m_requests.push_back(in);
            }
            const std::string& out = m_answers[std::min(i, m_answers.size() - 1)];
            for (size_t off = 0; off < out.size();) { // in small pieces: split anywhere
                // MSG_NOSIGNAL: a client that hung up (a cap) must not SIGPIPE the test.
                ssize_t n = ::send(c, out.data() + off, std::min<size_t>(7, out.size() - off), MSG_NOSIGNAL);
                if (n <= 0)
                    break;
                off += static_cast<size_t>(n);
            }
            ::close(c);
        }
    }

    std::vector<std::string> m_answers;
    int m_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{ false };
    std::mutex m_mutex;
    std::vector<std::string> m_requests;
    std::thread m_thread;
};

std::string http(std::string_view type, std::string_view body, std::string_view extra = "")
{
    return fmt::format("HTTP/1.1 200 OK\r\nContent-Type: {}\r\n{}Connection: close\r\nContent-Length: {}\r\n\r\n{}",
        type, extra, body.size(), body);
}

struct Outcome {
    bool done = false;
    Result<std::string> value = std::string();
};

// One request on a fresh connection to `url`, run until its reply.
Outcome ask(const std::string& url, std::vector<std::string>* notes = nullptr, HttpConnection** keep = nullptr,
    std::unique_ptr<Connection>* owner = nullptr)
{
    // Both outlive every connection a test keeps (`owner`).
    static Loop loop;
    static mem::Arena arena("mcp-http-test");
    config::McpServerConfig c;
    c.name = "t";
    c.url = url;
    Connection::Events events;
    events.on_notification = [notes](std::string_view method, const json::value*) {
        if (notes)
            notes->emplace_back(method);
    };
    auto conn = Connection::start(loop, arena, c, {}, std::move(events), ConnectionLimits{ .line_bytes = 4096 });
    EXPECT_TRUE(conn.has_value());
    Outcome out;
    (*conn)->request("initialize", "{}", 5s, [&](Result<const json::value*> r) {
        out.done = true;
        if (r)
            out.value = boost::json::serialize(**r);
        else
            out.value = fail(r.error());
    });
    auto deadline = Loop::now() + 10s;
    (void)loop.run_until([&] { return out.done || Loop::now() > deadline; });
    if (keep)
        *keep = dynamic_cast<HttpConnection*>(conn->get());
    if (owner)
        *owner = std::move(*conn);
    return out;
}

TEST(McpHttpConnection, AJsonAnswerWithAVisibleSessionIdIsKept)
{
    CannedServer s({ http("application/json", R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18"}})",
        "Mcp-Session-Id: abc-123\r\n") });
    HttpConnection* c = nullptr;
    std::unique_ptr<Connection> owner;
    Outcome o = ask(s.url(), nullptr, &c, &owner);
    ASSERT_TRUE(o.done);
    ASSERT_TRUE(o.value.has_value()) << o.value.error().to_string();
    EXPECT_NE(o.value->find("2025-06-18"), std::string::npos);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->session_id(), "abc-123");
    std::string first = s.requests().at(0);
    EXPECT_NE(first.find("Accept: application/json, text/event-stream"), std::string::npos);
    EXPECT_NE(first.find("Content-Type: application/json"), std::string::npos);
}

TEST(McpHttpConnection, ASessionIdWithControlCharactersIsIgnored)
{
    CannedServer s(
        { http("application/json", R"({"jsonrpc":"2.0","id":1,"result":{}})", "Mcp-Session-Id: a\x1b[2Jb\r\n") });
    HttpConnection* c = nullptr;
    std::unique_ptr<Connection> owner;
    Outcome o = ask(s.url(), nullptr, &c, &owner);
    ASSERT_TRUE(o.done);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->session_id(), "");
}

TEST(McpHttpConnection, SseEventsSplitAnywhereAreReadAndNotificationsComeFirst)
{
    std::string stream
        = ": comment\r\n\r\n"
          "event: message\r\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\r\n\r\n"
          "data: {\"jsonrpc\":\"2.0\",\"id\":1,\r\ndata: \"result\":{\"ok\":true}}\r\n\r\n";
    CannedServer s({ http("text/event-stream", stream) });
    std::vector<std::string> notes;
    Outcome o = ask(s.url(), &notes);
    ASSERT_TRUE(o.done);
    ASSERT_TRUE(o.value.has_value()) << o.value.error().to_string();
    EXPECT_NE(o.value->find("\"ok\":true"), std::string::npos);
    EXPECT_EQ(notes, std::vector<std::string>{ "notifications/tools/list_changed" });
}

TEST(McpHttpConnection, AnOversizedEventOrBodyFailsTheRequestWithCapExceeded)
{
    std::string big = "data: " + std::string(8000, 'x') + "\n\n";
    CannedServer sse({ http("text/event-stream", big) });
    Outcome o = ask(sse.url());
    ASSERT_TRUE(o.done);
    ASSERT_FALSE(o.value.has_value());
    EXPECT_EQ(o.value.error().code(), ErrorCode::cap_exceeded) << o.value.error().to_string();
    EXPECT_NE(o.value.error().message().find(sse.url()), std::string::npos);

    CannedServer json({ http("application/json", std::string(8000, ' ')) });
    Outcome j = ask(json.url());
    ASSERT_TRUE(j.done);
    ASSERT_FALSE(j.value.has_value());
    EXPECT_EQ(j.value.error().code(), ErrorCode::cap_exceeded);
}

TEST(McpHttpConnection, AnErrorStatusIsNamedWithTheStartOfItsBody)
{
    CannedServer s({ "HTTP/1.1 500 Oops\r\nConnection: close\r\nContent-Length: 13\r\n\r\nboom\x1b[2J text" });
    Outcome o = ask(s.url());
    ASSERT_TRUE(o.done);
    ASSERT_FALSE(o.value.has_value());
    std::string m = o.value.error().message();
    EXPECT_NE(m.find("HTTP 500: boom"), std::string::npos) << m;
    EXPECT_EQ(m.find('\x1b'), std::string::npos);
}

// Resumption: the first stream ends (or breaks) after an event with an id,
// without the response; the second connection is the resuming GET.
const char* const note = "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n";
const char* const response = "id: 8\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}\n\n";

TEST(McpHttpConnection, AStreamEndedBeforeTheResponseIsResumedWithLastEventId)
{
    CannedServer s(
        { http("text/event-stream", std::string("retry: 10\nid: 7\n") + note), http("text/event-stream", response) });
    std::vector<std::string> notes;
    Outcome o = ask(s.url(), &notes);
    ASSERT_TRUE(o.done);
    ASSERT_TRUE(o.value.has_value()) << o.value.error().to_string();
    EXPECT_NE(o.value->find("\"ok\":true"), std::string::npos);
    EXPECT_EQ(notes, std::vector<std::string>{ "notifications/tools/list_changed" });
    std::vector<std::string> r = s.requests();
    ASSERT_EQ(r.size(), 2U);
    EXPECT_TRUE(r[1].starts_with("GET /mcp ")) << r[1];
    EXPECT_NE(r[1].find("Last-Event-ID: 7\r\n"), std::string::npos) << r[1];
    EXPECT_NE(r[1].find("Accept: text/event-stream"), std::string::npos);
}

TEST(McpHttpConnection, AStreamBrokenMidBodyIsResumed)
{
    // The server promised more bytes than it sent before closing: a broken
    // transfer (curl reports it), not an ended one.
    std::string body = std::string("id: 7\n") + note;
    CannedServer s({ fmt::format("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {}\r\n\r\n{}",
                         body.size() + 100, body),
        http("text/event-stream", response) });
    Outcome o = ask(s.url());
    ASSERT_TRUE(o.done);
    ASSERT_TRUE(o.value.has_value()) << o.value.error().to_string();
    EXPECT_NE(s.requests().at(1).find("Last-Event-ID: 7\r\n"), std::string::npos);
}

TEST(McpHttpConnection, ResumptionIsBoundedAndNeedsAPrintableId)
{
    // Every answer ends without the response: three resumptions, then an error.
    CannedServer again({ http("text/event-stream", std::string("retry: 0\nid: 7\n") + note) });
    Outcome o = ask(again.url());
    ASSERT_TRUE(o.done);
    ASSERT_FALSE(o.value.has_value());
    EXPECT_NE(o.value.error().message().find("ended without the response (resumed 3 times)"), std::string::npos)
        << o.value.error().message();
    EXPECT_EQ(again.requests().size(), 4U);

    // An id that cannot go back in a header: a stream without ids, not resumed.
    CannedServer hostile({ http("text/event-stream", std::string("id: a\x1b[2Jb\n") + note) });
    Outcome h = ask(hostile.url());
    ASSERT_TRUE(h.done);
    ASSERT_FALSE(h.value.has_value());
    EXPECT_NE(h.value.error().message().find("the event stream ended without the response"), std::string::npos);
    EXPECT_EQ(hostile.requests().size(), 1U);
}

TEST(McpHttpConnection, AServerThatCannotResumeFailsTheRequestNamingIt)
{
    CannedServer s({ http("text/event-stream", std::string("retry: 0\nid: 7\n") + note),
        "HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n" });
    Outcome o = ask(s.url());
    ASSERT_TRUE(o.done);
    ASSERT_FALSE(o.value.has_value());
    std::string m = o.value.error().message();
    EXPECT_NE(m.find(s.url()), std::string::npos) << m;
    EXPECT_NE(m.find("did not resume it (GET with Last-Event-ID: HTTP 405)"), std::string::npos) << m;
}

} // namespace
} // namespace ik::mcp
