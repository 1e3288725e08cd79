#include "support/process.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

namespace ik::testing {

namespace {

std::vector<std::string> child_env(const std::map<std::string, std::string>& extra)
{
    std::map<std::string, std::string> env;
    for (const char* keep : { "PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" })
        if (const char* v = std::getenv(keep))
            env[keep] = v;
    for (const auto& [k, v] : extra)
        env[k] = v;
    std::vector<std::string> out;
    for (const auto& [k, v] : env)
        out.push_back(k + "=" + v);
    return out;
}

[[noreturn]] void exec_child(
    const std::string& exe, const std::vector<std::string>& args, const std::vector<std::string>& env)
{
    // The test runner may have signals blocked (ik::Loop does); exec'd code
    // expects a clean mask.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> argv{ const_cast<char*>(exe.c_str()) };
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : env)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    ::execve(exe.c_str(), argv.data(), envp.data());
    std::_Exit(127);
}

} // namespace

namespace {
// Whether `pid`'s main thread blocks `signo` (SigBlk in /proc/PID/status).
bool blocks_signal(pid_t pid, int signo)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("SigBlk:", 0) != 0)
            continue;
        unsigned long long mask = std::strtoull(line.c_str() + 7, nullptr, 16);
        return (mask >> (signo - 1)) & 1ULL;
    }
    return false;
}
} // namespace

RunResult run_process(const std::string& exe, const RunOptions& options)
{
    RunResult result;
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
        return result;
    if (options.stdout_tty) {
        termios raw{};
        if (::openpty(&out[0], &out[1], nullptr, nullptr, nullptr) != 0 || ::tcgetattr(out[1], &raw) != 0)
            return result;
        ::cfmakeraw(&raw);
        ::tcsetattr(out[1], TCSANOW, &raw);
        ::fcntl(out[0], F_SETFD, FD_CLOEXEC);
        ::fcntl(out[1], F_SETFD, FD_CLOEXEC);
    } else if (::pipe2(out, O_CLOEXEC)) {
        return result;
    }
    auto env = child_env(options.env);
    auto started = std::chrono::steady_clock::now();
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        if (!options.stdout_path.empty()) {
            int fd = ::open(options.stdout_path.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0 || ::dup2(fd, 1) < 0)
                std::_Exit(126);
        }
        ::dup2(err[1], 2);
        if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0)
            std::_Exit(126);
        exec_child(exe, options.args, env);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    if (options.on_start)
        options.on_start(pid);
    if (!options.stdin_data.empty()) {
        // Small test prompts fit the pipe buffer.
        ssize_t n = ::write(in[1], options.stdin_data.data(), options.stdin_data.size());
        (void)n;
    }
    ::close(in[1]);
    auto deadline = started + options.timeout;
    bool signalled = false;
    int open_fds = 2;
    pollfd fds[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
    while (open_fds > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            result.timed_out = true;
            break;
        }
        int n = ::poll(fds, 2, static_cast<int>(std::min<int64_t>(left.count(), 100)));
        if (n < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[8192];
            ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            // A pseudo-terminal's reader gets EIO once the child closed it.
            if (got <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
                continue;
            }
            (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(got));
        }
        bool due = false;
        if (!options.signal_when_stdout_has.empty())
            due = result.out.find(options.signal_when_stdout_has) != std::string::npos;
        else if (!options.signal_when_stderr_has.empty())
            due = result.err.find(options.signal_when_stderr_has) != std::string::npos;
        else if (!options.signal_when_file_exists.empty())
            due = ::access(options.signal_when_file_exists.c_str(), F_OK) == 0;
        else if (options.signal_when_blocked)
            due = blocks_signal(pid, options.signal);
        else
            due = options.signal_after.count() > 0
                && std::chrono::steady_clock::now() - started >= options.signal_after;
        if (options.signal && !signalled && due) {
            ::kill(pid, options.signal);
            signalled = true;
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0)
            ::close(f.fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.term_signal = WTERMSIG(status);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

Background::Background(const std::string& exe, const std::vector<std::string>& args)
{
    auto env = child_env({});
    m_pid = ::fork();
    if (m_pid == 0) {
        int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        exec_child(exe, args, env);
    }
}

Background::~Background()
{
    stop();
}

bool Background::running()
{
    if (m_pid <= 0)
        return false;
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        return false;
    }
    return true;
}

void Background::stop()
{
    if (m_pid <= 0)
        return;
    ::kill(m_pid, SIGTERM);
    for (int i = 0; i < 200; ++i) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}

TempDir::TempDir()
{
    char tmpl[] = "/tmp/ik-test-XXXXXX";
    if (::mkdtemp(tmpl))
        m_path = tmpl;
}

TempDir::~TempDir()
{
    std::error_code ec;
    if (!m_path.empty())
        std::filesystem::remove_all(m_path, ec);
}

namespace {

// A file under /proc, or "" once its process is gone: a vanishing process
// makes read() fail with ESRCH, which std::ifstream would throw.
std::string read_proc_file(const std::string& path)
{
    std::string text;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return text;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
        text.append(buf, static_cast<size_t>(n));
    ::close(fd);
    return text;
}

// Calls `f(pid, path)` for every process in /proc; processes may come and
// go meanwhile.
template <typename F> void for_each_process(F f)
{
    std::error_code ec;
    std::filesystem::directory_iterator it("/proc", ec);
    for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        f(static_cast<pid_t>(std::stol(name)), it->path().string());
    }
}

} // namespace

std::vector<pid_t> processes_naming(const std::string& text)
{
    std::vector<pid_t> out;
    for_each_process([&](pid_t pid, const std::string& dir) {
        if (read_proc_file(dir + "/cmdline").find(text) != std::string::npos)
            out.push_back(pid);
    });
    return out;
}

std::vector<pid_t> live_processes_in_group(pid_t pgid)
{
    std::vector<pid_t> out;
    for_each_process([&](pid_t pid, const std::string& dir) {
        std::string stat = read_proc_file(dir + "/stat");
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        size_t close = stat.rfind(')');
        if (close == std::string::npos)
            return;
        char state = 0;
        long ppid = 0, pgrp = 0;
        if (std::sscanf(stat.c_str() + close + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3)
            return;
        if (pgrp == pgid && state != 'Z' && state != 'X')
            out.push_back(pid);
    });
    return out;
}

} // namespace ik::testing
