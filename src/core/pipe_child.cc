#include "core/pipe_child.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/internal/spawn.h"

extern char** environ;

namespace ik {

namespace {

using namespace std::chrono_literals;

// A pipe whose end `ours` is non-blocking and close-on-exec; the child's end
// blocks, as programs expect of their standard streams.
Result<void> make_pipe(internal::FdPair& p, int ours)
{
    if (::pipe2(p.fds, O_CLOEXEC) != 0)
        return fail(ErrorCode::io, "pipe: {}", std::strerror(errno));
    ::fcntl(p.fds[ours], F_SETFL, O_NONBLOCK);
    return {};
}

// write() that never raises SIGPIPE: a server that closed its stdin must not
// take ik down (the REPL keeps SIGPIPE's default action; headless mode reads it
// as "stdout's reader left"). The signal is blocked around the write and a
// SIGPIPE this write raised is taken off the pending set, unless one was
// already pending (that one is someone else's).
ssize_t write_quietly(int fd, const char* data, size_t size)
{
    sigset_t pipe_set, old, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t n = ::write(fd, data, size);
    int saved = errno;
    if (n < 0 && saved == EPIPE && !was_pending) {
        timespec zero{ 0, 0 };
        while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) { }
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = saved;
    return n;
}

void decode_status(int status, int& code, int& signo)
{
    code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    signo = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

} // namespace

PipeChild::PipeChild(Loop& loop, PipeChildOptions options, PipeChildCallbacks callbacks)
    : m_loop(loop)
    , m_options(std::move(options))
    , m_callbacks(std::move(callbacks))
{
}

Result<std::unique_ptr<PipeChild>> PipeChild::spawn(Loop& loop, PipeChildOptions options, PipeChildCallbacks callbacks)
{
    if (options.argv.empty() || options.argv[0].empty())
        return fail(ErrorCode::invalid_argument, "no command to run");
    std::unique_ptr<PipeChild> c(new PipeChild(loop, std::move(options), std::move(callbacks))); // NOLINT
    TRY(c->start());
    return c;
}

Result<void> PipeChild::start()
{
    internal::FdPair in, out, err;
    TRY(make_pipe(in, 1));
    TRY(make_pipe(out, 0));
    TRY(make_pipe(err, 0));

    internal::SpawnAttrs s(POSIX_SPAWN_SETPGROUP);
    posix_spawn_file_actions_adddup2(&s.actions, in.fds[0], 0);
    posix_spawn_file_actions_adddup2(&s.actions, out.fds[1], 1);
    posix_spawn_file_actions_adddup2(&s.actions, err.fds[1], 2);
    posix_spawn_file_actions_addclosefrom_np(&s.actions, 3);
    if (!m_options.cwd.empty())
        posix_spawn_file_actions_addchdir_np(&s.actions, m_options.cwd.c_str());

    std::vector<char*> argv = internal::c_strings(m_options.argv);
    std::vector<char*> envp;
    if (m_options.env)
        envp = internal::c_strings(*m_options.env);
    int rc = ::posix_spawnp(&m_pid, argv[0], &s.actions, &s.attr, argv.data(), m_options.env ? envp.data() : environ);
    if (rc != 0) {
        m_pid = -1;
        return fail(rc == ENOENT ? ErrorCode::not_found : ErrorCode::io, "cannot run {}: {}", m_options.argv[0],
            std::strerror(rc));
    }
    m_stdin = in.take(1);
    m_stdout = out.take(0);
    m_stderr = err.take(0);
    m_stdout_watch
        = m_loop.watch(m_stdout, POLLIN, [this](int, short) { on_readable(m_stdout, m_stdout_watch, true); });
    m_stderr_watch
        = m_loop.watch(m_stderr, POLLIN, [this](int, short) { on_readable(m_stderr, m_stderr_watch, false); });
    m_pidfd = internal::pidfd_open(m_pid);
    if (m_pidfd >= 0) {
        ::fcntl(m_pidfd, F_SETFD, FD_CLOEXEC);
        m_pid_watch = m_loop.watch(m_pidfd, POLLIN, [this](int, short) { on_pidfd(); });
    } else {
        // No pidfd_open (valgrind 3.19): look for the exit every few milliseconds.
        m_exit_poll = m_loop.after(20ms, [this] {
            m_exit_poll = 0;
            on_pidfd();
        });
    }
    return {};
}

void PipeChild::close_fd(int& fd, Loop::WatchId& watch)
{
    if (watch)
        m_loop.unwatch(std::exchange(watch, 0));
    if (fd >= 0)
        ::close(std::exchange(fd, -1));
}

bool PipeChild::on_readable(int& fd, Loop::WatchId& watch, bool is_stdout)
{
    if (fd < 0)
        return false;
    std::array<char, 65536> buf{};
    // One read per wake-up keeps a flooding child from starving the loop.
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return false;
    if (n <= 0) {
        close_fd(fd, watch);
        return false;
    }
    auto& cb = is_stdout ? m_callbacks.on_stdout : m_callbacks.on_stderr;
    if (cb)
        cb(std::string_view(buf.data(), static_cast<size_t>(n))); // may call stop_reading()
    return true;
}

void PipeChild::stop_reading()
{
    close_fd(m_stdout, m_stdout_watch);
}

Result<void> PipeChild::write(std::string_view bytes)
{
    if (m_stdin < 0 || m_reaped)
        return fail(ErrorCode::io, "the process has exited");
    if (m_queue.size() + bytes.size() > m_options.write_queue_cap)
        return fail(ErrorCode::cap_exceeded, "the process does not read its input ({} bytes waiting)", m_queue.size());
    if (m_queue.empty()) {
        ssize_t n = write_quietly(m_stdin, bytes.data(), bytes.size());
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return fail(ErrorCode::io, "writing to the process: {}", std::strerror(errno));
        if (n > 0)
            bytes.remove_prefix(static_cast<size_t>(n));
        if (bytes.empty())
            return {};
    }
    m_queue.append(bytes);
    if (!m_stdin_watch)
        m_stdin_watch = m_loop.watch(m_stdin, POLLOUT, [this](int, short) { on_writable(); });
    return {};
}

void PipeChild::on_writable()
{
    ssize_t n = write_quietly(m_stdin, m_queue.data(), m_queue.size());
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n < 0) { // EPIPE: the child closed its stdin; its exit will be reported
        m_queue.clear();
        close_fd(m_stdin, m_stdin_watch);
        return;
    }
    m_queue.erase(0, static_cast<size_t>(n));
    if (m_queue.empty()) {
        m_loop.unwatch(std::exchange(m_stdin_watch, 0));
        std::string().swap(m_queue);
    }
}

void PipeChild::on_pidfd()
{
    int status = 0;
    pid_t r = ::waitpid(m_pid, &status, WNOHANG);
    if (r == 0) {
        if (m_pidfd < 0)
            m_exit_poll = m_loop.after(20ms, [this] {
                m_exit_poll = 0;
                on_pidfd();
            });
        return;
    }
    m_reaped = true;
    // The group may hold children of the server: they go with it.
    ::kill(-m_pid, SIGKILL);
    // What the child wrote before it exited is still in the pipes (bounded:
    // a process outside the group may keep a pipe open without writing).
    while (on_readable(m_stdout, m_stdout_watch, true)) { }
    while (on_readable(m_stderr, m_stderr_watch, false)) { }
    close_fd(m_pidfd, m_pid_watch);
    close_fd(m_stdin, m_stdin_watch);
    int code = -1, signo = 0;
    if (r == m_pid)
        decode_status(status, code, signo);
    if (m_callbacks.on_exit)
        m_callbacks.on_exit(code, signo); // may destroy *this: nothing after it
}

void PipeChild::stop_and_reap()
{
    if (m_pid <= 0 || m_reaped)
        return;
    close_fd(m_stdin, m_stdin_watch); // a well-behaved server exits on EOF
    ::kill(-m_pid, SIGTERM);
    auto deadline = Loop::now() + m_options.stop_grace;
    int status = 0;
    while (Loop::now() < deadline) {
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_reaped = true;
            break;
        }
        ::usleep(5000);
    }
    ::kill(-m_pid, SIGKILL);
    if (!m_reaped) {
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) { }
        m_reaped = true;
    }
}

PipeChild::~PipeChild()
{
    if (m_exit_poll)
        m_loop.cancel(m_exit_poll);
    stop_and_reap();
    close_fd(m_stdout, m_stdout_watch);
    close_fd(m_stderr, m_stderr_watch);
    close_fd(m_stdin, m_stdin_watch);
    close_fd(m_pidfd, m_pid_watch);
}

} // namespace ik
