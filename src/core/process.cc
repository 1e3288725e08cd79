#include "core/process.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/internal/spawn.h"

extern char** environ;

namespace ik {

namespace {

using namespace std::chrono_literals;

// After the leader exits and the group is killed, pipes normally reach EOF at
// once; a process that left the group (setsid) could hold them open forever.
constexpr auto drain_limit = 500ms;

// An in-memory file holding `bytes`, read from its start, numbered
// above 3 (so a dup2 onto 3 is a real copy).
Result<int> memfd_holding(std::string_view bytes, const char* name)
{
    int fd = ::memfd_create(name, MFD_CLOEXEC);
    if (fd < 0)
        return fail(ErrorCode::io, "memfd_create: {}", std::strerror(errno));
    if (fd <= 3) {
        int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 4);
        ::close(fd);
        if (high < 0)
            return fail(ErrorCode::io, "fcntl: {}", std::strerror(errno));
        fd = high;
    }
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = errno;
            ::close(fd);
            return fail(ErrorCode::io, "writing a child's {}: {}", name, std::strerror(e));
        }
        bytes.remove_prefix(static_cast<size_t>(n));
    }
    ::lseek(fd, 0, SEEK_SET);
    return fd;
}

} // namespace

std::string signal_name(int signo)
{
    if (const char* abbrev = ::sigabbrev_np(signo))
        return fmt::format("SIG{}", abbrev);
    return fmt::format("signal {}", signo);
}

Process::Process(Loop& loop, ProcessOptions options, OnExit on_exit)
    : m_loop(loop)
    , m_options(std::move(options))
    , m_on_exit(std::move(on_exit))
{
    m_out.text = &m_result.out;
    m_out.dropped = &m_result.out_dropped;
    m_err.text = &m_result.err;
    m_err.dropped = &m_result.err_dropped;
}

Result<std::unique_ptr<Process>> Process::spawn(Loop& loop, ProcessOptions options, OnExit on_exit)
{
    // The constructor is private; make_unique cannot reach it.
    std::unique_ptr<Process> p(new Process(loop, std::move(options), std::move(on_exit))); // NOLINT
    TRY(p->start());
    return p;
}

Result<int> Process::open_pty(std::string& slave_path)
{
    int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return fail(ErrorCode::io, "posix_openpt: {}", std::strerror(errno));
    std::array<char, 128> name{};
    if (::grantpt(master) != 0 || ::unlockpt(master) != 0 || ::ptsname_r(master, name.data(), name.size()) != 0) {
        int e = errno;
        ::close(master);
        return fail(ErrorCode::io, "pseudo-terminal: {}", std::strerror(e));
    }
    ::fcntl(master, F_SETFL, O_NONBLOCK);
    winsize size{ .ws_row = 24, .ws_col = 120, .ws_xpixel = 0, .ws_ypixel = 0 };
    ::ioctl(master, TIOCSWINSZ, &size);
    slave_path = name.data();
    return master;
}

Result<void> Process::start()
{
    internal::FdPair out, err;
    std::string slave_path;
    if (m_options.pty) {
        out.fds[0] = TRY(open_pty(slave_path));
    } else if (::pipe2(out.fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        return fail(ErrorCode::io, "pipe: {}", std::strerror(errno));
    }
    bool merged = m_options.mode == OutputMode::merged || m_options.pty;
    if (!merged && ::pipe2(err.fds, O_CLOEXEC | O_NONBLOCK) != 0)
        return fail(ErrorCode::io, "pipe: {}", std::strerror(errno));
    // The child's ends must block: programs do not expect O_NONBLOCK stdout.
    // pipe2 sets it on both ends, so clear it on the write ends.
    if (!m_options.pty)
        ::fcntl(out.fds[1], F_SETFL, 0);
    if (!merged)
        ::fcntl(err.fds[1], F_SETFL, 0);

    // stdin (and fd 3) from memory: written whole before the spawn, so the
    // loop never waits on the child reading it.
    internal::FdPair in; // [0]: stdin, [1]: fd 3
    if (m_options.input)
        in.fds[0] = TRY(memfd_holding(*m_options.input, "ik-stdin"));
    if (m_options.fd3)
        in.fds[1] = TRY(memfd_holding(*m_options.fd3, "ik-fd3"));

    // A pty child leads a new session (so its group id is its pid, as with
    // SETPGROUP); glibc makes the session before the file actions run, so
    // opening the pty's slave makes it the controlling terminal.
    internal::SpawnAttrs s(m_options.pty ? POSIX_SPAWN_SETSID : POSIX_SPAWN_SETPGROUP);
    if (m_options.pty) {
        posix_spawn_file_actions_addopen(&s.actions, 0, slave_path.c_str(), O_RDWR, 0);
        posix_spawn_file_actions_adddup2(&s.actions, 0, 1);
        posix_spawn_file_actions_adddup2(&s.actions, 0, 2);
    } else {
        if (in.fds[0] >= 0)
            posix_spawn_file_actions_adddup2(&s.actions, in.fds[0], 0);
        else
            posix_spawn_file_actions_addopen(&s.actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&s.actions, out.fds[1], 1);
        posix_spawn_file_actions_adddup2(&s.actions, merged ? out.fds[1] : err.fds[1], 2);
    }
    // Whatever else ik has open (sockets, the database, the terminal) stays
    // with ik, even fds some library opened without O_CLOEXEC.
    // fd 3's memfd is above 3 (memfd_holding), so this dup2 makes a copy
    // without FD_CLOEXEC and closefrom cannot take it.
    if (in.fds[1] >= 0)
        posix_spawn_file_actions_adddup2(&s.actions, in.fds[1], 3);
    posix_spawn_file_actions_addclosefrom_np(&s.actions, in.fds[1] >= 0 ? 4 : 3);
    if (!m_options.cwd.empty())
        posix_spawn_file_actions_addchdir_np(&s.actions, m_options.cwd.c_str());

    std::vector<std::string> args = m_options.argv;
    if (args.empty())
        args = { "/bin/bash", "-c", m_options.command };
    std::vector<char*> argv = internal::c_strings(args);
    std::vector<char*> envp;
    if (m_options.env)
        envp = internal::c_strings(*m_options.env);

    m_started = Loop::now();
    int rc = ::posix_spawnp(&m_pid, argv[0], &s.actions, &s.attr, argv.data(), m_options.env ? envp.data() : environ);
    if (rc != 0) {
        m_pid = -1;
        if (rc == ENOENT && !m_options.cwd.empty() && !std::filesystem::is_directory(m_options.cwd))
            return fail(ErrorCode::not_found, "cannot run in {}: no such directory", m_options.cwd.string());
        return fail(
            rc == ENOENT ? ErrorCode::not_found : ErrorCode::io, "cannot run {}: {}", args[0], std::strerror(rc));
    }

    m_pidfd = internal::pidfd_open(m_pid);
    if (m_pidfd >= 0) {
        ::fcntl(m_pidfd, F_SETFD, FD_CLOEXEC);
        m_pid_watch = m_loop.watch(m_pidfd, POLLIN, [this](int, short) { on_pidfd(); });
    } else if (errno == ENOSYS) {
        // No pidfd_open here (valgrind 3.19 does not know the syscall):
        // look for the exit every few milliseconds instead.
        poll_for_exit();
    } else {
        auto e = errno;
        kill_group(SIGKILL);
        return fail(ErrorCode::io, "pidfd_open: {}", std::strerror(e));
    }

    m_out.fd = out.take(0);
    m_out.watch = m_loop.watch(m_out.fd, POLLIN, [this](int, short) { on_readable(m_out); });
    if (!merged) {
        m_err.fd = err.take(0);
        m_err.watch = m_loop.watch(m_err.fd, POLLIN, [this](int, short) { on_readable(m_err); });
    }
    if (m_options.timeout.count() > 0)
        m_timeout_timer = m_loop.after(m_options.timeout, [this] {
            m_timeout_timer = 0;
            stop(true);
        });
    return {}; // FdPair closes the write ends: only the child holds them now
}

Process::~Process()
{
    cancel_timers();
    if (m_pid > 0 && !m_reaped) {
        kill_group(SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) { }
    }
    if (m_pid_watch)
        m_loop.unwatch(m_pid_watch);
    if (m_pidfd >= 0)
        ::close(m_pidfd);
    close_stream(m_out);
    close_stream(m_err);
}

void Process::cancel()
{
    if (m_finished || m_reaped)
        return;
    m_result.cancelled = true;
    stop(false);
}

void Process::stop(bool timed_out)
{
    if (m_stopping || m_reaped)
        return;
    m_stopping = true;
    m_result.timed_out = timed_out;
    kill_group(SIGTERM);
    m_kill_timer = m_loop.after(m_options.kill_grace, [this] {
        m_kill_timer = 0;
        if (!m_reaped)
            kill_group(SIGKILL);
    });
}

void Process::kill_group(int signo) const
{
    // The leader is not reaped yet whenever this runs, so its pid still names
    // this group and cannot have been reused.
    if (m_pid > 0)
        ::kill(-m_pid, signo);
}

bool Process::drain(Stream& s)
{
    std::array<char, size_t{ 64 } * 1024> buf;
    for (;;) {
        ssize_t n = ::read(s.fd, buf.data(), buf.size());
        if (n > 0) {
            auto got = static_cast<size_t>(n);
            if (m_options.on_output) {
                m_options.on_output(std::string_view(buf.data(), got));
                continue;
            }
            size_t room = m_options.output_cap > s.text->size() ? m_options.output_cap - s.text->size() : 0;
            size_t keep = std::min(room, got);
            s.text->append(buf.data(), keep);
            *s.dropped += got - keep;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        // EOF or a real error (a pty's master reads EIO once no process
        // holds the slave): done.
        return !(n < 0 && errno == EAGAIN);
    }
}

Result<void> Process::write_input(std::string_view bytes)
{
    if (!m_options.pty || m_out.fd < 0 || m_reaped)
        return fail(ErrorCode::io, "the process has ended");
    while (!bytes.empty()) {
        ssize_t n = ::write(m_out.fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return fail(ErrorCode::io, "the process is not reading its input ({} bytes not written)", bytes.size());
        if (n < 0)
            return fail(ErrorCode::io, "writing to the process: {}", std::strerror(errno));
        bytes.remove_prefix(static_cast<size_t>(n));
    }
    return {};
}

void Process::on_readable(Stream& s)
{
    if (!drain(s))
        return;
    close_stream(s);
    maybe_finish(); // may destroy *this through on_exit: nothing after it
}

void Process::poll_for_exit()
{
    m_exit_poll_timer = m_loop.after(std::chrono::milliseconds(5), [this] {
        m_exit_poll_timer = 0;
        // WNOWAIT: only look; on_pidfd() kills the group, then reaps.
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == m_pid)
            on_pidfd();
        else
            poll_for_exit();
    });
}

void Process::on_pidfd()
{
    // The leader is a zombie now: kill what is left of its group before
    // reaping, while the pid still names the group.
    kill_group(SIGKILL);
    int status = 0;
    pid_t r;
    while ((r = ::waitpid(m_pid, &status, WNOHANG)) < 0 && errno == EINTR) { }
    if (r == 0)
        return; // spurious wakeup
    m_reaped = true;
    m_result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Loop::now() - m_started);
    if (r > 0 && WIFEXITED(status)) {
        m_result.exit_code = WEXITSTATUS(status);
    } else if (r > 0 && WIFSIGNALED(status)) {
        m_result.term_signal = WTERMSIG(status);
    }
    if (m_pid_watch)
        m_loop.unwatch(m_pid_watch);
    m_pid_watch = 0;
    if (m_pidfd >= 0)
        ::close(m_pidfd);
    m_pidfd = -1;
    if (m_out.fd >= 0 || m_err.fd >= 0)
        m_drain_timer = m_loop.after(drain_limit, [this] {
            m_drain_timer = 0;
            on_drain_timeout();
        });
    maybe_finish();
}

void Process::on_drain_timeout()
{
    for (Stream* st : { &m_out, &m_err }) {
        if (st->fd >= 0)
            (void)drain(*st);
        close_stream(*st);
    }
    maybe_finish();
}

void Process::close_stream(Stream& s)
{
    if (s.watch)
        m_loop.unwatch(s.watch);
    s.watch = 0;
    if (s.fd >= 0)
        ::close(s.fd);
    s.fd = -1;
}

void Process::cancel_timers()
{
    for (auto* t : { &m_timeout_timer, &m_kill_timer, &m_drain_timer, &m_exit_poll_timer }) {
        if (*t)
            m_loop.cancel(*t);
        *t = 0;
    }
}

void Process::maybe_finish()
{
    if (m_finished || !m_reaped || m_out.fd >= 0 || m_err.fd >= 0)
        return;
    m_finished = true;
    cancel_timers();
    OnExit on_exit = std::move(m_on_exit);
    ProcessResult result = std::move(m_result);
    if (on_exit)
        on_exit(std::move(result)); // may destroy *this
}

} // namespace ik
