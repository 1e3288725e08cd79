// PostgreSQL under faults, with the real binary and the real server the
// fixture starts: a frozen server (SIGSTOP), a TCP listener that never
// answers, signals meanwhile, a restart in the middle of a reply, and
// passwords in every form of URL kept out of messages.
#include <atomic>
#include <csignal>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture.h"
#include "support/pg_fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// A socket on 127.0.0.1 that listens and never accepts: the kernel completes
// the TCP handshake, nobody ever answers.
class SilentListener {
public:
    SilentListener()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(m_fd, 8) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            return;
        m_port = ntohs(addr.sin_port);
    }
    ~SilentListener()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;
    int port() const { return m_port; }

private:
    int m_fd = -1;
    int m_port = 0;
};

} // namespace

class PgFaults : public IkTest {
protected:
    void SetUp() override
    {
        IkTest::SetUp();
        // The mock pauses mid-reply for longer than the fixture's 2 s watchdog.
        write_config(R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 20, "max_retries": 1}})");
        PgStatus pg = shared_pg();
        if (pg.skip)
            GTEST_SKIP() << pg.why;
        ASSERT_TRUE(pg.server) << pg.why;
        m_pg = pg.server;
        auto url = m_pg->create_database();
        ASSERT_TRUE(url.has_value()) << url.error().to_string();
        m_url = *url;
    }
    void TearDown() override
    {
        if (m_pg)
            m_pg->thaw();
    }

    RunResult run(std::vector<std::string> args, std::map<std::string, std::string> extra = {}, RunOptions o = {})
    {
        auto env = env_for(Wire::openai_chat);
        env["IK_DATABASE_URL"] = m_url;
        for (auto& [k, v] : extra)
            env[k] = v;
        args.insert(args.begin(), { "--model", model_for(Wire::openai_chat) });
        return ik(std::move(args), env, std::move(o));
    }

    PgServer* m_pg = nullptr;
    std::string m_url;
};

TEST_F(PgFaults, AFrozenServerEndsInAStoreErrorWithinTheTimeout)
{
    start_mock(R"([{"steps": [{"text": "first"}]}, {"steps": [{"text": "never"}]}])");
    ASSERT_EQ(run({ "-p", "x" }).exit_code, 0); // the schema exists
    m_pg->freeze();
    RunResult r = run({ "-p", "x" }, { { "IK_DATABASE_TIMEOUT_S", "1" } });
    m_pg->thaw();
    EXPECT_EQ(r.exit_code, 6) << r.err;
    EXPECT_THAT(r.err, HasSubstr("did not answer within 1000 ms"));
    EXPECT_LT(r.seconds, 5.0);
}

TEST_F(PgFaults, AListenerThatNeverAnswersEndsInAStoreError)
{
    start_mock(R"([{"steps": [{"text": "never"}]}])");
    SilentListener silent;
    ASSERT_GT(silent.port(), 0);
    m_url = "postgresql://ik@127.0.0.1:" + std::to_string(silent.port()) + "/ik";
    RunResult r = run({ "-p", "x" }, { { "IK_DATABASE_TIMEOUT_S", "1" } });
    EXPECT_EQ(r.exit_code, 6) << r.err;
    EXPECT_THAT(r.err, HasSubstr("did not answer"));
    EXPECT_LT(r.seconds, 5.0);
    EXPECT_EQ(m_mock->requests().size(), 0u);
}

TEST_F(PgFaults, SigtermEndsIkWhileTheServerIsFrozen)
{
    start_mock(R"([{"steps": [{"text": "first"}]}])");
    ASSERT_EQ(run({ "-p", "x" }).exit_code, 0);
    m_pg->freeze();
    RunOptions o;
    o.signal = SIGTERM;
    o.signal_when_blocked = true; // ik watches it: from then on it is in or before the connect
    RunResult r = run({ "-p", "x" }, { { "IK_DATABASE_TIMEOUT_S", "60" } }, o);
    m_pg->thaw();
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_EQ(r.term_signal, 0);
    EXPECT_LT(r.seconds, 10.0); // far below the 60 s the connect would wait
}

TEST_F(PgFaults, SigintEndsIkMidReplyWhileTheServerIsFrozen)
{
    start_mock(R"([{"steps": [{"text": "streaming|"}, {"delay_ms": 600}, {"text": "more"}, {"delay_ms": 5000}]}])");
    std::atomic<pid_t> pid{ 0 };
    RunResult r;
    std::thread t([&] {
        RunOptions o;
        o.on_start = [&](pid_t p) { pid = p; };
        r = run({ "-p", "x" }, { { "IK_DATABASE_TIMEOUT_S", "60" } }, o);
    });
    for (int i = 0; i < 200 && m_mock->requests().empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    m_pg->freeze(); // the next batch of the reply waits on the server
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    auto sent = std::chrono::steady_clock::now();
    ::kill(pid.load(), SIGINT);
    t.join();
    double after = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
    m_pg->thaw();
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_THAT(r.out, HasSubstr("streaming|"));
    EXPECT_LT(after, 3.0);
}

TEST_F(PgFaults, ARestartMidReplyIsSurvivedAndTheWholeReplyStored)
{
    start_mock(R"([{"steps": [{"text": "before the restart|"}, {"delay_ms": 2500}, {"text": "after it"}]}])");
    RunResult r;
    std::thread t([&] { r = run({ "-p", "x" }, { { "IK_DATABASE_TIMEOUT_S", "10" } }); });
    for (int i = 0; i < 200 && m_mock->requests().empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(400)); // the first batch is written
    auto restarted = m_pg->restart();
    t.join();
    ASSERT_TRUE(restarted.has_value()) << restarted.error().to_string();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "before the restart|after it\n");
    RunResult list = run({ "sessions", "-a" });
    ASSERT_EQ(list.exit_code, 0) << list.err;
    std::string id = list.out.substr(list.out.find('\n') + 1, 12);
    RunResult shown = run({ "sessions", "show", id });
    EXPECT_THAT(shown.out, HasSubstr("before the restart|after it"));
    EXPECT_THAT(shown.out, Not(HasSubstr("interrupted")));
}

TEST_F(PgFaults, TwoProcessesOnOneSessionAreRefusedAcrossTheServer)
{
    start_mock(R"([{"steps": [{"text": "one"}]},
                   {"steps": [{"text": "holding|"}, {"delay_ms": 2500}, {"text": " done"}]},
                   {"steps": [{"text": "free again"}]}])");
    ASSERT_EQ(run({ "-p", "start" }).exit_code, 0);
    RunResult list = run({ "sessions", "-a" });
    std::string id = list.out.substr(list.out.find('\n') + 1, 12);
    RunResult first;
    std::thread t([&] { first = run({ "-r", id, "-p", "hold" }); });
    for (int i = 0; i < 200 && m_mock->requests().size() < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    RunResult second = run({ "-r", id, "-p", "me too" });
    t.join();
    EXPECT_EQ(second.exit_code, 2) << second.err;
    EXPECT_THAT(second.err, HasSubstr("is in use by ik (pid"));
    EXPECT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(run({ "-r", id, "-p", "again" }).out, "free again\n");
}

TEST_F(PgFaults, PasswordsNeverShowInAnyFormOfUrl)
{
    start_mock(R"([])");
    SilentListener silent; // nothing answers, so every form ends in an error naming the URL
    std::string port = std::to_string(silent.port());
    for (std::string url : {
             "postgresql://ik:pa@ss-word@127.0.0.1:" + port + "/db",
             "postgresql://ik@127.0.0.1:" + port + "/db?password=pa@ss-word",
             "host=127.0.0.1 port=" + port + " password=pa@ss-word",
             "host=127.0.0.1 port=" + port + " password = 'pa@ss-word with spaces'",
             "host=127.0.0.1 port=" + port + " password= pa@ss-word dbname=db",
         }) {
        m_url = url;
        RunResult r = run({ "-p", "x" }, { { "IK_DATABASE_TIMEOUT_S", "0.5" } });
        EXPECT_EQ(r.exit_code, 6) << url << "\n" << r.err;
        EXPECT_THAT(r.err, Not(HasSubstr("ss-word"))) << url;
        EXPECT_THAT(r.err, Not(HasSubstr("pa@"))) << url;
        EXPECT_THAT(r.err, HasSubstr("***")) << url;
    }
}
