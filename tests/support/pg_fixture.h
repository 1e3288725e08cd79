// A real, throw-away PostgreSQL server for tests.
//
// start() runs initdb into a fresh temporary directory and starts postgres
// listening on 127.0.0.1 at a free port (its unix socket inside that
// directory), and waits until it accepts connections. The destructor stops it
// by pid (fast shutdown, then SIGKILL) and removes the directory. initdb and
// postgres refuse to run as root, so as root they run as the `postgres`
// system user, owning the directory; the server also gets PR_SET_PDEATHSIG so
// a crashed test program cannot leave it running.
//
// shared_pg() is one server per test program, started on first use and
// stopped at exit; each test takes a fresh database from it:
//
//   PgStatus pg = shared_pg();
//   if (pg.skip) GTEST_SKIP() << pg.why;        // IK_SKIP_PG=1 only
//   ASSERT_TRUE(pg.server) << pg.why;           // missing binaries FAIL
//   std::string url = *pg.server->create_database();
//
// Owns the server process and the directory.
#pragma once

#include <memory>
#include <string>

#include <sys/types.h>

#include "core/result.h"

namespace ik::testing {

struct PgServerOptions {
    std::string bin_dir; // empty: $IK_PG_BIN, else /usr/lib/postgresql/15/bin
    bool fsync = false; // test data is disposable; the benchmark turns it on
};

class PgServer {
public:
    static Result<std::unique_ptr<PgServer>> start(const PgServerOptions& options = {});
    ~PgServer();
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    // postgresql://ik@127.0.0.1:PORT/NAME
    std::string url(std::string_view database) const;
    // A new empty database; returns its URL.
    Result<std::string> create_database();

    // Faults, for tests of what clients do meanwhile. restart(): a fast
    // shutdown (every connection is closed) and a new start on the same port
    // and data. freeze()/thaw(): SIGSTOP/SIGCONT to the server and all its
    // processes, so it accepts TCP connections (the kernel does) and never
    // answers.
    Result<void> restart();
    void freeze();
    void thaw();

    class Key {
        friend class PgServer;
        Key() = default;
    };
    PgServer(Key, std::string dir);

private:
    Result<void> launch(const PgServerOptions& options, const std::string& bin, int port = 0);
    void stop();
    void signal_all(int signo);

    std::string m_dir;
    int m_port = 0;
    pid_t m_pid = -1;
    int m_databases = 0;
    PgServerOptions m_options;
    std::string m_bin;
};

struct PgStatus {
    PgServer* server = nullptr; // null: skipped or failed
    bool skip = false; // IK_SKIP_PG=1 was set
    std::string why;
};
PgStatus shared_pg();

} // namespace ik::testing
