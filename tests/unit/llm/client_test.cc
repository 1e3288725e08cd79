// Client behaviour against a raw loopback HTTP server and a fake provider:
// streaming, retries with Retry-After, no retry after content, the idle
// watchdog, cancellation, a follow-up request on the same loop, and zero
// heap allocations per streamed delta.
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "event_recorder.h"
#include "llm/client.h"
#include "support/matchers.h"

// Counts every heap allocation in this test program.
static std::atomic<long> g_allocs{ 0 };
void* operator new(size_t n)
{
    ++g_allocs;
    if (void* p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept
{
    std::free(p);
}
void operator delete(void* p, size_t) noexcept
{
    std::free(p);
}

using namespace ik;
using namespace ik::llm;
using ik::testing::HasError;
using ik::testing::IsOk;

namespace {

// One canned reply per connection, in order. A reply is a list of pieces
// written with `gap_ms` between them; "STALL" stops writing (keeps the socket
// open until the test ends), "DROP" closes early.
struct Reply {
    std::string head; // status line + headers, without the blank line
    std::vector<std::string> pieces;
    int gap_ms = 0;
};

class RawServer {
public:
    explicit RawServer(std::vector<Reply> replies)
        : m_replies(std::move(replies))
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(m_fd, 8);
        socklen_t len = sizeof a;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~RawServer()
    {
        m_stop = true;
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_thread.join();
    }
    int port() const { return m_port; }
    int connections() const { return m_connections; }

private:
    void serve()
    {
        for (const Reply& r : m_replies) {
            int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0)
                return;
            ++m_connections;
            std::string req;
            char buf[4096];
            while (req.find("\r\n\r\n") == std::string::npos) {
                ssize_t n = ::read(c, buf, sizeof buf);
                if (n <= 0)
                    break;
                req.append(buf, static_cast<size_t>(n));
            }
            std::string head = r.head + "\r\nConnection: close\r\n\r\n";
            (void)!::write(c, head.data(), head.size());
            for (const std::string& p : r.pieces) {
                if (p == "STALL") {
                    while (!m_stop)
                        std::this_thread::sleep_for(std::chrono::milliseconds(10));
                    break;
                }
                if (p == "DROP")
                    break;
                (void)!::send(c, p.data(), p.size(), MSG_NOSIGNAL);
                if (r.gap_ms)
                    std::this_thread::sleep_for(std::chrono::milliseconds(r.gap_ms));
            }
            ::close(c);
        }
    }

    std::vector<Reply> m_replies;
    int m_fd = -1;
    int m_port = 0;
    std::atomic<int> m_connections{ 0 };
    std::atomic<bool> m_stop{ false };
    std::thread m_thread;
};

// data: "t:<text>" → text_delta, "e:overloaded" → error event, "[DONE]" → finish.
class FakeDecoder final : public StreamDecoder {
public:
    Result<void> on_sse(const net::SseEvent& sse, mem::Arena&, StreamSink& sink) override
    {
        Event e;
        if (sse.data == "[DONE]") {
            e.kind = StreamEventKind::finish;
        } else if (sse.data.starts_with("t:")) {
            e.kind = StreamEventKind::text_delta;
            e.text = sse.data.substr(2);
        } else if (sse.data == "e:overloaded") {
            e.kind = StreamEventKind::error;
            e.error_code = ErrorCode::overloaded;
            e.text = "Overloaded";
        } else {
            return fail(ErrorCode::parse, "bad data '{}'", sse.data);
        }
        return sink.on_event(e);
    }
    Result<void> on_end(mem::Arena&, StreamSink&) override { return {}; }
};

class FakeProvider final : public Provider {
public:
    WireFormat format() const override { return WireFormat::openai_chat; }
    std::string_view default_base_url() const override { return "http://127.0.0.1:1"; }
    Result<HttpRequest> build_request(mem::Arena& turn, const Endpoint& endpoint, const Request&) const override
    {
        auto* headers = turn.make_array<std::string_view>(1);
        headers[0] = turn.copy("Content-Type: application/json");
        return HttpRequest{ turn.copy(std::string(endpoint.base_url) + "/chat"), { headers, 1 }, turn.copy("{}") };
    }
    std::unique_ptr<StreamDecoder> make_decoder(mem::Arena&) const override { return std::make_unique<FakeDecoder>(); }
    Error classify_http_error(int status, std::string_view body, std::string_view) const override
    {
        ErrorCode code = status == 429 ? ErrorCode::rate_limit
            : status >= 500            ? ErrorCode::overloaded
            : status == 401            ? ErrorCode::auth
                                       : ErrorCode::bad_request;
        return Error::make(code, "status {}: {}", status, body);
    }
};

struct Collect final : StreamSink {
    std::string text;
    int events = 0;
    long allocs_at_10 = 0, allocs_at_last = 0;
    int total = 0;
    std::function<void()> on_text;
    Result<void> on_event(const Event& e) override
    {
        ++events;
        if (e.kind == StreamEventKind::text_delta) {
            text.append(e.text);
            if (events == 10)
                allocs_at_10 = g_allocs;
            if (events == total)
                allocs_at_last = g_allocs;
            if (on_text)
                on_text();
        }
        return {};
    }
};

std::string sse(std::string_view data)
{
    return "data: " + std::string(data) + "\n\n";
}
const char* ok_head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream";

struct Harness {
    Loop loop;
    std::vector<std::string> notices;
    Client client;
    FakeProvider provider;
    std::string base;
    explicit Harness(int port, ClientOptions o = {})
        : client(loop, with_notices(o))
        , base("http://127.0.0.1:" + std::to_string(port))
    {
    }
    ClientOptions with_notices(ClientOptions o)
    {
        o.notice = [this](std::string_view l) { notices.emplace_back(l); };
        return o;
    }
    Result<void> run(StreamSink& sink)
    {
        mem::Arena turn(mem::root(), "turn");
        Request req;
        return client.run(turn, provider, Endpoint{ base, "key" }, req, sink);
    }
};

ClientOptions fast()
{
    ClientOptions o;
    o.retry.base_ms = 10;
    o.idle_timeout = std::chrono::milliseconds(2000);
    return o;
}

} // namespace

TEST(Client, StreamsEventsToTheSink)
{
    RawServer server({ Reply{ ok_head, { sse("t:Hel"), sse("t:lo"), sse("[DONE]") }, 0 } });
    Harness h(server.port(), fast());
    Collect sink;
    EXPECT_THAT(h.run(sink), IsOk());
    EXPECT_EQ(sink.text, "Hello");
    EXPECT_EQ(h.client.stats().attempts, 1);
}

TEST(Client, RetriesA529HonoringRetryAfterThenSucceeds)
{
    RawServer server({ Reply{ "HTTP/1.1 529 Overloaded\r\nretry-after-ms: 150\r\nContent-Length: 2", { "{}" }, 0 },
        Reply{ ok_head, { sse("t:ok"), sse("[DONE]") }, 0 } });
    Harness h(server.port(), fast());
    Collect sink;
    auto t0 = Loop::now();
    EXPECT_THAT(h.run(sink), IsOk());
    EXPECT_GE(Loop::now() - t0, std::chrono::milliseconds(150));
    EXPECT_EQ(sink.text, "ok");
    ASSERT_EQ(h.notices.size(), 1u);
    EXPECT_EQ(h.notices[0], "overloaded (529), retrying in 0.1 s (attempt 2 of 4)");
}

TEST(Client, GivesUpAfterMaxRetries)
{
    Reply busy{ "HTTP/1.1 503 Busy\r\nContent-Length: 2", { "{}" }, 0 };
    RawServer server({ busy, busy, busy });
    ClientOptions o = fast();
    o.retry.max_retries = 2;
    Harness h(server.port(), o);
    Collect sink;
    EXPECT_THAT(h.run(sink), HasError(ErrorCode::overloaded));
    EXPECT_EQ(h.client.stats().attempts, 3);
    EXPECT_EQ(server.connections(), 3);
}

TEST(Client, AuthErrorsAreNotRetried)
{
    RawServer server({ Reply{ "HTTP/1.1 401 No\r\nContent-Length: 2", { "{}" }, 0 } });
    Harness h(server.port(), fast());
    Collect sink;
    EXPECT_THAT(h.run(sink), HasError(ErrorCode::auth));
    EXPECT_EQ(h.client.stats().attempts, 1);
}

TEST(Client, OverloadedEventBeforeContentIsRetriedAndHidden)
{
    RawServer server(
        { Reply{ ok_head, { sse("e:overloaded") }, 0 }, Reply{ ok_head, { sse("t:x"), sse("[DONE]") }, 0 } });
    Harness h(server.port(), fast());
    Collect sink;
    EXPECT_THAT(h.run(sink), IsOk());
    EXPECT_EQ(sink.text, "x");
    EXPECT_EQ(sink.events, 2); // the error event never reached the sink
}

TEST(Client, NoRetryOnceContentWasStreamed)
{
    RawServer server({ Reply{ ok_head, { sse("t:partial"), sse("e:overloaded") }, 0 } });
    Harness h(server.port(), fast());
    Collect sink;
    EXPECT_THAT(h.run(sink), HasError(ErrorCode::overloaded));
    EXPECT_EQ(sink.text, "partial");
    EXPECT_EQ(server.connections(), 1);
}

TEST(Client, DroppedConnectionMidStreamIsInterrupted)
{
    RawServer server({ Reply{ "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 100000",
        { sse("t:half"), "DROP" }, 0 } });
    Harness h(server.port(), fast());
    Collect sink;
    EXPECT_THAT(h.run(sink), HasError(ErrorCode::interrupted));
    EXPECT_EQ(sink.text, "half");
}

TEST(Client, IdleWatchdogAbortsAStalledStream)
{
    RawServer server({ Reply{ ok_head, { sse("t:a"), "STALL" }, 0 } });
    ClientOptions o = fast();
    o.idle_timeout = std::chrono::milliseconds(200);
    Harness h(server.port(), o);
    Collect sink;
    auto t0 = Loop::now();
    EXPECT_THAT(h.run(sink), HasError(ErrorCode::timeout));
    EXPECT_LT(Loop::now() - t0, std::chrono::milliseconds(2000));
}

TEST(Client, CancelFromInsideTheSinkInterrupts)
{
    RawServer server({ Reply{ ok_head, { sse("t:one"), sse("t:two"), sse("[DONE]") }, 50 } });
    Harness h(server.port(), fast());
    Collect sink;
    sink.on_text = [&] { h.client.cancel(); };
    EXPECT_THAT(h.run(sink), HasError(ErrorCode::interrupted));
    EXPECT_EQ(sink.text, "one");
    EXPECT_FALSE(h.client.busy());
}

TEST(Client, CancelFromATimerInterrupts)
{
    RawServer server({ Reply{ ok_head, { sse("t:one"), "STALL" }, 0 } });
    Harness h(server.port(), fast());
    Collect sink;
    h.loop.after(std::chrono::milliseconds(100), [&] { h.client.cancel(); });
    EXPECT_THAT(h.run(sink), HasError(ErrorCode::interrupted));
}

TEST(Client, FollowUpRequestOnTheSameLoop)
{
    RawServer server({ Reply{ ok_head, { sse("t:first"), sse("[DONE]") }, 0 },
        Reply{ ok_head, { sse("t:second"), sse("[DONE]") }, 0 } });
    Harness h(server.port(), fast());
    Collect a, b;
    EXPECT_THAT(h.run(a), IsOk());
    EXPECT_THAT(h.run(b), IsOk());
    EXPECT_EQ(a.text, "first");
    EXPECT_EQ(b.text, "second");
}

TEST(Client, NetworkErrorNamesTheUrl)
{
    ClientOptions o = fast();
    o.retry.max_retries = 0;
    Harness h(9, o); // nothing listens on the discard port
    Collect sink;
    auto r = h.run(sink);
    ASSERT_THAT(r, HasError(ErrorCode::network));
    EXPECT_NE(r.error().to_string().find("127.0.0.1:9"), std::string::npos);
}

TEST(Client, ZeroHeapAllocationsPerDeltaInSteadyState)
{
    std::vector<std::string> pieces;
    std::string body;
    constexpr int deltas = 2000;
    for (int i = 0; i < deltas; ++i)
        body += sse("t:abcd");
    // Several deltas per TCP read, like a fast real stream.
    for (size_t i = 0; i < body.size(); i += 1000)
        pieces.push_back(body.substr(i, 1000));
    pieces.push_back(sse("[DONE]"));
    RawServer server({ Reply{ ok_head, pieces, 0 } });
    Harness h(server.port(), fast());
    Collect sink;
    sink.total = deltas;
    ASSERT_THAT(h.run(sink), IsOk());
    EXPECT_EQ(sink.text.size(), 4u * deltas);
    ASSERT_GT(sink.allocs_at_10, 0);
    ASSERT_GT(sink.allocs_at_last, 0);
    // `sink.text` itself grows (the test's own string): allow its doublings.
    EXPECT_LE(sink.allocs_at_last - sink.allocs_at_10, 8) << "heap allocations while streaming";
}

TEST(Client, ZeroHeapAllocationsPerDeltaWithTheRealAnthropicDecoder)
{
    std::string body
        = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
          "\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}"
          "\n\n"
          "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
          "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
    constexpr int deltas = 2000;
    for (int i = 0; i < deltas; ++i)
        body += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                "\"delta\":{\"type\":\"text_delta\",\"text\":\"abcd\"}}\n\n";
    body += "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
            "\"usage\":{\"output_tokens\":2000}}\n\n"
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    std::vector<std::string> pieces;
    for (size_t i = 0; i < body.size(); i += 1000)
        pieces.push_back(body.substr(i, 1000));
    RawServer server({ Reply{ ok_head, pieces, 0 } });
    Loop loop;
    Client client(loop, fast());
    mem::Arena turn(mem::root(), "turn");
    Message user;
    user.text = "hi";
    Request req;
    req.model = "claude-test";
    req.messages = { &user, 1 };
    struct Counting final : StreamSink {
        int texts = 0;
        long at_10 = 0, at_last = 0;
        Result<void> on_event(const Event& e) override
        {
            if (e.kind == StreamEventKind::text_delta && ++texts == 10)
                at_10 = g_allocs;
            if (e.kind == StreamEventKind::text_delta && texts == deltas)
                at_last = g_allocs;
            return {};
        }
    } sink;
    std::string base = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1";
    ASSERT_THAT(client.run(turn, provider_for(WireFormat::anthropic), Endpoint{ base, "k" }, req, sink), IsOk());
    EXPECT_EQ(sink.texts, deltas);
    ASSERT_GT(sink.at_10, 0);
    EXPECT_EQ(sink.at_last - sink.at_10, 0) << "heap allocations while streaming " << deltas - 10 << " deltas";
}

// Caps, the reply deadline, and bodies that are not (only) an event stream.

TEST(Client, AnSseLineOverItsCapEndsTheReplyKeepingTheText)
{
    std::string endless_line = "data: t:" + std::string(300 * 1024, 'x'); // no newline, ever
    RawServer server({ Reply{ ok_head, { sse("t:kept"), endless_line, "STALL" }, 0 } });
    ClientOptions o = fast();
    o.limits.sse_line_bytes = 64 * 1024;
    Harness h(server.port(), o);
    Collect sink;
    auto t0 = Loop::now();
    auto r = h.run(sink);
    ASSERT_THAT(r, HasError(ErrorCode::cap_exceeded));
    EXPECT_NE(r.error().message().find("limits.sse_line_kb"), std::string::npos) << r.error().message();
    EXPECT_EQ(sink.text, "kept");
    EXPECT_LT(Loop::now() - t0, std::chrono::milliseconds(1500)) << "ended by the cap, not the watchdog";
    EXPECT_EQ(server.connections(), 1);
}

TEST(Client, AReplyOverItsCapEndsWithTheTextBeforeTheCap)
{
    RawServer server({ Reply{ ok_head, { sse("t:hello"), sse("t:world!"), sse("[DONE]") }, 0 } });
    ClientOptions o = fast();
    o.limits.reply_bytes = 8;
    Harness h(server.port(), o);
    Collect sink;
    auto r = h.run(sink);
    ASSERT_THAT(r, HasError(ErrorCode::cap_exceeded));
    EXPECT_NE(r.error().message().find("limits.reply_mb"), std::string::npos);
    EXPECT_EQ(sink.text, "hello");
}

TEST(Client, TheReplyDeadlineEndsAStreamKeptAliveByComments)
{
    std::vector<std::string> pieces{ sse("t:a") };
    for (int i = 0; i < 60; ++i)
        pieces.push_back(": keep-alive\n\n");
    RawServer server({ Reply{ ok_head, pieces, 20 } });
    ClientOptions o = fast();
    o.idle_timeout = std::chrono::milliseconds(1000); // comments keep this one happy
    o.reply_deadline = std::chrono::milliseconds(300);
    Harness h(server.port(), o);
    Collect sink;
    auto t0 = Loop::now();
    auto r = h.run(sink);
    ASSERT_THAT(r, HasError(ErrorCode::timeout));
    EXPECT_NE(r.error().message().find("timeouts.reply_s"), std::string::npos);
    EXPECT_LT(Loop::now() - t0, std::chrono::milliseconds(2000));
    EXPECT_EQ(sink.text, "a");
    EXPECT_EQ(h.client.stats().attempts, 1) << "a deadline is never retried";
}

TEST(Client, AnHtmlPageWithStatus200IsAProviderError)
{
    RawServer server({ Reply{ "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8",
        { "<!DOCTYPE html>\n<html><body>Sign in to the Wi-Fi</body></html>\n" }, 0 } });
    Harness h(server.port(), fast());
    Collect sink;
    auto r = h.run(sink);
    ASSERT_THAT(r, HasError(ErrorCode::provider));
    EXPECT_NE(r.error().message().find("HTML"), std::string::npos) << r.error().message();
    EXPECT_EQ(h.client.stats().attempts, 1);
}

TEST(Client, AJsonBodyWithStatus200IsTheProvidersError)
{
    RawServer server({ Reply{ "HTTP/1.1 200 OK\r\nContent-Type: application/json",
        { R"({"error": {"message": "model not found", "type": "invalid_request_error"}})" }, 0 } });
    Harness h(server.port(), fast());
    Collect sink;
    auto r = h.run(sink);
    ASSERT_THAT(r, HasError(ErrorCode::bad_request));
    EXPECT_NE(r.error().message().find("model not found"), std::string::npos) << r.error().message();
}

TEST(Client, GeminiRawJsonErrorAfterFinishReasonIsSurfacedKeepingTheText)
{
    std::string body = ik::llm::testing::read_stream("gemini/error_after_finish.sse");
    ASSERT_FALSE(body.empty());
    RawServer server({ Reply{ ok_head, { body }, 0 } });
    Loop loop;
    Client client(loop, fast());
    mem::Arena turn(mem::root(), "turn");
    Message user;
    user.text = "hi";
    Request req;
    req.model = "gemini-test";
    req.messages = { &user, 1 };
    ik::llm::testing::EventRecorder rec;
    std::string base = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1beta";
    auto r = client.run(turn, provider_for(WireFormat::gemini), Endpoint{ base, "k" }, req, rec);
    ASSERT_THAT(r, HasError(ErrorCode::overloaded));
    EXPECT_NE(r.error().message().find("The service is currently unavailable."), std::string::npos);
    ASSERT_GE(rec.lines.size(), 3u);
    EXPECT_EQ(rec.lines[1], "text The answer is");
    EXPECT_EQ(rec.lines[2], "text  42.");
    EXPECT_EQ(rec.lines.back().rfind("error overloaded", 0), 0u) << rec.lines.back();
    EXPECT_EQ(server.connections(), 1);
}

TEST(Client, OpenAiInsufficientQuotaIsNotRetried)
{
    RawServer server({ Reply{ "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: 137",
        { R"({"error": {"message": "You exceeded your current quota.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}    )" },
        0 } });
    Loop loop;
    Client client(loop, fast());
    mem::Arena turn(mem::root(), "turn");
    Message user;
    user.text = "hi";
    Request req;
    req.model = "gpt-test";
    req.messages = { &user, 1 };
    Collect sink;
    std::string base = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1";
    auto r = client.run(turn, provider_for(WireFormat::openai_chat), Endpoint{ base, "k" }, req, sink);
    ASSERT_THAT(r, HasError(ErrorCode::provider));
    EXPECT_NE(r.error().message().find("quota"), std::string::npos);
    EXPECT_EQ(client.stats().attempts, 1);
    EXPECT_EQ(server.connections(), 1);
}
