#include "support/pg_fixture.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ik::testing {

namespace {

struct RunAs {
    bool drop = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

Result<RunAs> run_as()
{
    if (geteuid() != 0)
        return RunAs{};
    struct passwd* pw = getpwnam("postgres");
    if (!pw)
        return fail(ErrorCode::not_found, "running as root, and there is no `postgres` user to run PostgreSQL as");
    return RunAs{ true, pw->pw_uid, pw->pw_gid };
}

// Forks and execs `argv` as `who`, stdout and stderr appended to `log`.
// Returns the child's pid. Only async-signal-safe calls after fork.
Result<pid_t> spawn(
    const RunAs& who, const std::vector<std::string>& args, const std::string& log, bool die_with_parent)
{
    std::vector<char*> argv;
    for (const std::string& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return fail(ErrorCode::io, "fork: {}", strerror(errno));
    if (pid == 0) {
        if (who.drop && (setgroups(0, nullptr) != 0 || setgid(who.gid) != 0 || setuid(who.uid) != 0))
            _exit(126);
        if (die_with_parent) {
            prctl(PR_SET_PDEATHSIG, SIGINT);
            if (getppid() != parent)
                _exit(125);
        }
        int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, 0);
        execv(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

std::string tail_of(const std::string& path)
{
    std::string text;
    if (std::FILE* f = std::fopen(path.c_str(), "r")) {
        char buf[4096];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
            text.append(buf, n);
        std::fclose(f);
    }
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

Result<int> free_port()
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return fail(ErrorCode::io, "socket: {}", strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int rc = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    if (rc == 0)
        rc = getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    if (rc != 0)
        return fail(ErrorCode::io, "cannot find a free port on 127.0.0.1: {}", strerror(errno));
    return static_cast<int>(ntohs(addr.sin_port));
}

std::string bin_dir(const PgServerOptions& options)
{
    if (!options.bin_dir.empty())
        return options.bin_dir;
    const char* env = std::getenv("IK_PG_BIN");
    return env && *env ? env : "/usr/lib/postgresql/15/bin";
}

} // namespace

PgServer::PgServer(Key, std::string dir)
    : m_dir(std::move(dir))
{
}

PgServer::~PgServer()
{
    stop();
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

std::string PgServer::url(std::string_view database) const
{
    return fmt::format("postgresql://ik@127.0.0.1:{}/{}", m_port, database);
}

Result<std::unique_ptr<PgServer>> PgServer::start(const PgServerOptions& options)
{
    std::string bin = bin_dir(options);
    for (const char* tool : { "initdb", "postgres" }) {
        if (access((bin + "/" + tool).c_str(), X_OK) != 0)
            return fail(ErrorCode::not_found,
                "PostgreSQL binary {}/{} not found: install the postgresql package (scripts/install-deps.sh), "
                "set IK_PG_BIN, or set IK_SKIP_PG=1 to skip the PostgreSQL tests",
                bin, tool);
    }
    RunAs who = TRY(run_as());
    char tmpl[] = "/tmp/ik-pg-XXXXXX";
    if (!mkdtemp(tmpl))
        return fail(ErrorCode::io, "mkdtemp: {}", strerror(errno));
    auto server = std::make_unique<PgServer>(Key{}, tmpl);
    if (who.drop && chown(tmpl, who.uid, who.gid) != 0)
        return fail(ErrorCode::io, "chown {} to postgres: {}", tmpl, strerror(errno));
    std::string log = server->m_dir + "/server.log";
    pid_t initdb = TRY(spawn(who,
        { bin + "/initdb", "-D", server->m_dir + "/data", "-U", "ik", "-A", "trust", "-E", "UTF8", "--locale=C",
            "--no-sync" },
        log, false));
    int status = 0;
    waitpid(initdb, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(ErrorCode::io, "initdb failed (status {}):\n{}", status, tail_of(log));
    server->m_options = options;
    server->m_bin = bin;
    Result<void> launched = fail(ErrorCode::internal, "not started");
    for (int attempt = 0; attempt < 3 && !launched; ++attempt)
        launched = server->launch(options, bin);
    if (!launched)
        return fail(std::move(launched.error()));
    return server;
}

Result<void> PgServer::launch(const PgServerOptions& options, const std::string& bin, int port)
{
    RunAs who = TRY(run_as());
    m_port = port ? port : TRY(free_port());
    std::string log = m_dir + "/server.log";
    m_pid = TRY(spawn(who,
        { bin + "/postgres", "-D", m_dir + "/data", "-k", m_dir, "-h", "127.0.0.1", "-p", std::to_string(m_port), "-c",
            options.fsync ? "fsync=on" : "fsync=off", "-c", "max_connections=60", "-c", "shared_buffers=32MB" },
        log, true));
    std::string conninfo = fmt::format("host=127.0.0.1 port={} user=ik dbname=postgres connect_timeout=2", m_port);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        if (PQping(conninfo.c_str()) == PQPING_OK)
            return {};
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return fail(ErrorCode::io, "postgres exited during start-up (status {}):\n{}", status, tail_of(log));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    stop();
    return fail(ErrorCode::timeout, "postgres did not accept connections within 60 s:\n{}", tail_of(log));
}

void PgServer::stop()
{
    if (m_pid <= 0)
        return;
    thaw(); // a frozen server cannot shut down
    kill(m_pid, SIGINT); // fast shutdown
    for (int i = 0; i < 200; ++i) {
        if (waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
            m_pid = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}

Result<void> PgServer::restart()
{
    thaw();
    int port = m_port;
    stop();
    // The port was ours a moment ago; a lingering socket may delay the bind.
    Result<void> launched = fail(ErrorCode::internal, "not restarted");
    for (int attempt = 0; attempt < 20 && !launched; ++attempt) {
        launched = launch(m_options, m_bin, port);
        if (!launched)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return launched;
}

void PgServer::signal_all(int signo)
{
    if (m_pid <= 0)
        return;
    kill(m_pid, signo);
    // The backends are the postmaster's children (/proc/PID/stat field 4).
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::ifstream stat(entry.path() / "stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        size_t paren = text.rfind(')');
        if (paren == std::string::npos)
            continue;
        char state = 0;
        long ppid = 0;
        if (std::sscanf(text.c_str() + paren + 1, " %c %ld", &state, &ppid) == 2 && ppid == m_pid)
            kill(static_cast<pid_t>(std::stol(name)), signo);
    }
}

void PgServer::freeze()
{
    signal_all(SIGSTOP);
}

void PgServer::thaw()
{
    signal_all(SIGCONT);
}

Result<std::string> PgServer::create_database()
{
    std::string name = fmt::format("ik_test_{}", ++m_databases);
    std::string conninfo = fmt::format("host=127.0.0.1 port={} user=ik dbname=postgres", m_port);
    PGconn* conn = PQconnectdb(conninfo.c_str());
    std::string error;
    if (PQstatus(conn) != CONNECTION_OK) {
        error = PQerrorMessage(conn);
    } else {
        PGresult* r = PQexec(conn, fmt::format("CREATE DATABASE {}", name).c_str());
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            error = PQresultErrorMessage(r);
        PQclear(r);
    }
    PQfinish(conn);
    if (!error.empty())
        return fail(ErrorCode::io, "cannot create database {}: {}", name, error);
    return url(name);
}

PgStatus shared_pg()
{
    const char* skip = std::getenv("IK_SKIP_PG");
    if (skip && std::string_view(skip) == "1")
        return { nullptr, true, "IK_SKIP_PG=1: PostgreSQL tests skipped" };
    static Result<std::unique_ptr<PgServer>> server = PgServer::start();
    if (!server)
        return { nullptr, false, server.error().to_string() };
    return { server->get(), false, {} };
}

} // namespace ik::testing
