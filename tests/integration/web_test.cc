// web_fetch end to end: the real ik binary headless, the mock LLM scripting a
// web_fetch call, and two local cpp-httplib servers on 127.0.0.1 standing in
// for the web. 127.0.0.1 is a loopback address, so every fetch here is
// refused unless web.allow_hosts lets that host and port through: which is
// exactly what these tests check, including through a redirect.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// A cpp-httplib server on 127.0.0.1 and an ephemeral port, run on a thread
// for the test's lifetime.
class LocalServer {
public:
    LocalServer() { m_port = m_server.bind_to_any_port("127.0.0.1"); }
    ~LocalServer()
    {
        m_stopping = true;
        m_server.stop();
        if (m_thread.joinable())
            m_thread.join();
    }
    LocalServer(const LocalServer&) = delete;
    LocalServer& operator=(const LocalServer&) = delete;

    httplib::Server& routes() { return m_server; }
    void start()
    {
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        // The socket listens since bind_to_any_port(); this only waits for the thread.
        for (int i = 0; i < 500 && !m_server.is_running(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    int port() const { return m_port; }
    std::string url(std::string_view path) const { return fmt::format("http://127.0.0.1:{}{}", m_port, path); }
    bool stopping() const { return m_stopping; }

private:
    httplib::Server m_server;
    int m_port = 0;
    std::atomic<bool> m_stopping{ false };
    std::thread m_thread;
};

constexpr std::string_view page = R"(<!doctype html><html><head><title>Test Page</title>
<script>alert("no")</script></head><body><nav><a href="/">Home</a></nav>
<h1>Welcome</h1><p>Hello <b>web</b> with <a href="/docs/intro.html">the intro</a>.</p>
<ul><li>one</li><li>two</li></ul><pre><code>make test</code></pre></body></html>)";

class Web : public IkTest {
protected:
    void SetUp() override
    {
        IkTest::SetUp();
        auto& a = m_a.routes();
        a.Get("/page", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(std::string(page), "text/html; charset=utf-8");
        });
        a.Get("/json", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"answer": 42, "evil": "\u001b[2J"})", "application/json");
        });
        a.Get("/here", [this](const httplib::Request&, httplib::Response& res) { res.set_redirect(m_a.url("/page")); });
        a.Get("/away", [this](const httplib::Request&, httplib::Response& res) { res.set_redirect(m_b.url("/page")); });
        a.Get("/big", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(std::string(3 << 20, 'x'), "text/plain");
        });
        a.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
            for (int i = 0; i < 200 && !m_a.stopping(); ++i) // 20 s, far past web.timeout
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            res.set_content("late", "text/plain");
        });
        a.Get("/image", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(std::string("\x89PNG\r\n\x1a\n\0\0", 10), "image/png");
        });
        a.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
            res.status = 404;
            res.set_content("<h1>Not here</h1>", "text/html");
        });
        // Both answer only once both requests are in (or after 10 s): two
        // fetches that ik runs one after the other never meet. `a` answers
        // last, so its result arrives second.
        a.Get(R"(/together/(a|b))", [this](const httplib::Request& req, httplib::Response& res) {
            std::unique_lock lock(m_together_mutex);
            m_together_max = std::max(m_together_max, ++m_together_in);
            m_together_cv.notify_all();
            m_together_cv.wait_for(lock, std::chrono::seconds(10), [this] { return m_together_max >= 2; });
            lock.unlock();
            bool is_a = req.matches[1] == "a";
            if (is_a)
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
            res.set_content(is_a ? "alpha page" : "beta page", "text/plain");
        });
        m_b.routes().Get("/page", [this](const httplib::Request&, httplib::Response& res) {
            ++m_b_hits;
            res.set_content(std::string(page), "text/html");
        });
        m_a.start();
        m_b.start();
    }

    // Config allowing server A only, with the given extra web keys.
    void allow_a(std::string_view extra = "")
    {
        write_config(fmt::format(R"({{"http": {{"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 0}},
            "web": {{"allow_hosts": ["127.0.0.1:{}"]{}}}}})",
            m_a.port(), extra));
    }

    // The model calls web_fetch on `url`, then says "done".
    RunResult fetch(const std::string& url, std::vector<std::string> more_args = { "--approval", "yolo" })
    {
        start_mock(fmt::format(R"([{{"steps": [{{"tool_calls": [{{"id": "w1", "name": "web_fetch",
                                   "arguments": "{{\"url\":\"{}\"}}"}}]}}]}},
                                 {{"steps": [{{"text": "done"}}]}}])",
            url));
        std::vector<std::string> args{ "-p", "fetch it" };
        args.insert(args.end(), more_args.begin(), more_args.end());
        return ik_for(Wire::anthropic, args);
    }

    std::mutex m_together_mutex;
    std::condition_variable m_together_cv;
    int m_together_in = 0;
    int m_together_max = 0; // the most /together requests in flight at once
    LocalServer m_a; // after what its handlers use: stopped before it goes
    LocalServer m_b;
    std::atomic<int> m_b_hits{ 0 };
};

TEST_F(Web, AllowedHostPageReachesTheModelAsMarkdown)
{
    allow_a();
    RunResult r = fetch(m_a.url("/page"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "done\n");
    std::string sent = tool_result_sent();
    EXPECT_THAT(sent, HasSubstr("# Test Page"));
    EXPECT_THAT(sent, HasSubstr("# Welcome"));
    EXPECT_THAT(sent, HasSubstr("Hello **web** with [the intro](" + m_a.url("/docs/intro.html") + ")."));
    EXPECT_THAT(sent, HasSubstr("- one"));
    EXPECT_THAT(sent, HasSubstr("make test"));
    EXPECT_THAT(sent, HasSubstr("Fetched " + m_a.url("/page") + " (text/html, HTTP 200"));
    EXPECT_THAT(sent, Not(HasSubstr("alert")));
    EXPECT_THAT(sent, Not(HasSubstr("Home")));
}

TEST_F(Web, JsonPassesThroughWithoutEscapes)
{
    allow_a();
    RunResult r = fetch(m_a.url("/json"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string sent = tool_result_sent();
    EXPECT_THAT(sent, HasSubstr(R"(\"answer\": 42)"));
    EXPECT_THAT(sent, HasSubstr("application/json"));
}

TEST_F(Web, LoopbackIsRefusedWithoutConfig)
{
    RunResult r = fetch(m_a.url("/page"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string sent = tool_result_sent();
    EXPECT_THAT(sent, HasSubstr("refused to connect to " + m_a.url("/page")));
    EXPECT_THAT(sent, HasSubstr("127.0.0.1, a loopback address"));
    EXPECT_THAT(sent, HasSubstr("web.allow_hosts"));
    EXPECT_THAT(sent, HasSubstr(fmt::format("127.0.0.1:{}", m_a.port())));
    EXPECT_THAT(sent, Not(HasSubstr("Welcome")));
}

TEST_F(Web, RedirectWithinAllowedHostIsFollowed)
{
    allow_a();
    RunResult r = fetch(m_a.url("/here"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string sent = tool_result_sent();
    EXPECT_THAT(sent, HasSubstr("# Welcome"));
    EXPECT_THAT(sent, HasSubstr("Fetched " + m_a.url("/page")));
    EXPECT_THAT(sent, HasSubstr("after 1 redirect"));
}

TEST_F(Web, RedirectToAHostThatIsNotAllowedIsRefused)
{
    allow_a();
    RunResult r = fetch(m_a.url("/away"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string sent = tool_result_sent();
    EXPECT_THAT(sent, HasSubstr("after a redirect: refused to connect to " + m_b.url("/page")));
    EXPECT_THAT(sent, Not(HasSubstr("Welcome")));
    EXPECT_EQ(m_b_hits.load(), 0);
}

TEST_F(Web, BodyOverTheCapIsCutWithANote)
{
    allow_a(R"(, "max_bytes": 10000)");
    RunResult r = fetch(m_a.url("/big"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string sent = tool_result_sent();
    EXPECT_THAT(sent, HasSubstr("larger than web.max_bytes"));
    EXPECT_THAT(sent, HasSubstr(std::string(9000, 'x')));
    EXPECT_THAT(sent, Not(HasSubstr(std::string(10001, 'x'))));
}

TEST_F(Web, SlowServerTimesOut)
{
    allow_a(R"(, "timeout": 1)");
    auto start = std::chrono::steady_clock::now();
    RunResult r = fetch(m_a.url("/slow"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Well under the server's 20 s, with room for a loaded machine's start-up.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
    EXPECT_THAT(tool_result_sent(), HasSubstr("timed out after 1 s (web.timeout)"));
}

TEST_F(Web, BinaryContentAndHttpErrorsAreToolErrors)
{
    allow_a();
    RunResult r = fetch(m_a.url("/image"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("is image/png content"));
    r = fetch(m_a.url("/missing"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("answered HTTP 404"));
    EXPECT_THAT(tool_result_sent(), HasSubstr("Not here"));
}

TEST_F(Web, OnlyHttpAndHttpsUrls)
{
    allow_a();
    RunResult r = fetch("file:///etc/passwd");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(tool_result_sent(), HasSubstr("only http and https URLs"));
    EXPECT_THAT(tool_result_sent(), Not(HasSubstr("root:")));
}

TEST_F(Web, NeedsApprovalLikeACommand)
{
    allow_a();
    RunResult r = fetch(m_a.url("/page"), { "--approval", "auto-edit" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string sent = tool_result_sent();
    EXPECT_THAT(sent, HasSubstr("needs the user's approval"));
    EXPECT_THAT(sent, HasSubstr("web_fetch"));
    EXPECT_THAT(sent, Not(HasSubstr("Welcome")));
}

// Two fetches in one reply run together (agent/turn_dispatch.cc); their
// results go back to the model in the calls' order, not the order they came.
TEST_F(Web, FetchesInOneReplyRunTogetherAndReturnInCallOrder)
{
    allow_a();
    start_mock(fmt::format(R"([{{"steps": [{{"tool_calls": [
                                 {{"id": "w1", "name": "web_fetch", "arguments": "{{\"url\":\"{}\"}}"}},
                                 {{"id": "w2", "name": "web_fetch", "arguments": "{{\"url\":\"{}\"}}"}}]}}]}},
                             {{"steps": [{{"text": "done"}}]}}])",
        m_a.url("/together/a"), m_a.url("/together/b")));
    RunResult r = ik_for(Wire::anthropic, { "-p", "fetch both", "--approval", "yolo" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "done\n");
    {
        std::lock_guard lock(m_together_mutex);
        EXPECT_EQ(m_together_max, 2);
    }
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    size_t alpha = requests[1].find("alpha page");
    size_t beta = requests[1].find("beta page");
    ASSERT_NE(alpha, std::string::npos);
    ASSERT_NE(beta, std::string::npos);
    EXPECT_LT(alpha, beta);
}

// gumbo is opened the first time a page is turned into Markdown
// (core/lazy_library.h): the dynamic loader, reporting what it maps under
// LD_DEBUG=files, maps it for an HTML page and not for JSON.
TEST_F(Web, GumboIsMappedForAnHtmlPageOnly)
{
    allow_a();
    auto call = [&](std::string_view id, std::string_view path) {
        return fmt::format(R"({{"steps": [{{"tool_calls": [{{"id": "{}", "name": "web_fetch",
                                "arguments": "{{\"url\":\"{}\"}}"}}]}}]}})",
            id, m_a.url(path));
    };
    std::string done = R"({"steps": [{"text": "done"}]})";
    start_mock(fmt::format("[{},{},{},{}]", call("w1", "/json"), done, call("w2", "/page"), done));
    auto env = env_for(Wire::anthropic);
    env["LD_DEBUG"] = "files";
    std::vector<std::string> args{ "--model", model_for(Wire::anthropic), "--approval", "yolo", "-p", "fetch it" };

    RunResult json = ik(args, env);
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_THAT(json.err, HasSubstr("file=libcurl")) << "LD_DEBUG reports the objects it maps";
    EXPECT_THAT(json.err, Not(HasSubstr("libgumbo")));

    RunResult html = ik(args, env);
    ASSERT_EQ(html.exit_code, 0) << html.err;
    EXPECT_THAT(html.err, HasSubstr("file=libgumbo.so"));
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_THAT(requests[3], HasSubstr("# Welcome")) << "the page reached the model as Markdown";
}

} // namespace
