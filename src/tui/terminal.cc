#include "tui/terminal.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/panic.h"
#include "tui/escape.h"

namespace ik::tui {
namespace {

// The one live terminal, for signal handlers (they cannot take a context).
Terminal* volatile g_terminal = nullptr;

// Signals whose handlers restore the tty before the default action runs.
// The first three are also delivered through the loop once attached.
constexpr int handled_signals[] = { SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };
constexpr int terminate_signals[] = { SIGTERM, SIGHUP, SIGQUIT };

void restore_then_reraise(int signo)
{
    int saved_errno = errno;
    if (g_terminal)
        Terminal::restore_from_signal(g_terminal);
    // SA_RESETHAND already put back the default action; raising again after
    // return kills the process the way the sender meant.
    ::raise(signo);
    errno = saved_errno;
}

void write_fully(int fd, const char* data, size_t size)
{
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return;
        data += n;
        size -= static_cast<size_t>(n);
    }
}

void copy_sequence(char* dst, size_t cap, size_t& len, const std::string& src)
{
    IK_ASSERT(src.size() <= cap, "terminal mode sequence longer than its buffer");
    std::memcpy(dst, src.data(), src.size());
    len = src.size();
}

} // namespace

Terminal::Terminal(Private, int in_fd, int out_fd, Options options)
    : m_in(in_fd)
    , m_out(out_fd)
    , m_options(options)
{
    std::string enter, leave;
    if (options.alt_screen)
        esc::alt_screen_enter(enter);
    if (options.bracketed_paste)
        esc::bracketed_paste_on(enter);
    if (options.mouse)
        esc::mouse_on(enter);
    if (options.hide_cursor)
        esc::cursor_hide(enter);
    // Leaving also ends a synchronized update a panic may have interrupted.
    esc::sync_end(leave);
    esc::sgr_reset(leave);
    esc::cursor_show(leave);
    if (options.mouse)
        esc::mouse_off(leave);
    if (options.bracketed_paste)
        esc::bracketed_paste_off(leave);
    if (options.alt_screen)
        esc::alt_screen_leave(leave);
    copy_sequence(m_enter_bytes, sizeof m_enter_bytes, m_enter_len, enter);
    copy_sequence(m_restore_bytes, sizeof m_restore_bytes, m_restore_len, leave);
}

Result<std::unique_ptr<Terminal>> Terminal::create(int in_fd, int out_fd, Options options)
{
    if (g_terminal)
        return fail(ErrorCode::internal, "a terminal session is already active");
    auto t = std::make_unique<Terminal>(Private{}, in_fd, out_fd, options);
    if (::tcgetattr(in_fd, &t->m_saved) != 0)
        return fail(ErrorCode::io, "fd {} is not a terminal: {}", in_fd, std::strerror(errno));
    t->m_raw = t->m_saved;
    t->m_raw.c_iflag &= ~static_cast<tcflag_t>(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
    t->m_raw.c_oflag &= ~static_cast<tcflag_t>(OPOST);
    t->m_raw.c_cflag |= CS8;
    t->m_raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | IEXTEN | ISIG);
    t->m_raw.c_cc[VMIN] = 1;
    t->m_raw.c_cc[VTIME] = 0;
    g_terminal = t.get();
    register_panic_hook(&Terminal::restore_from_signal, t.get());
    t->install_fatal_handlers();
    TRY(t->enter());
    t->refresh_size();
    return t;
}

Terminal::~Terminal()
{
    detach();
    restore();
    remove_fatal_handlers();
    unregister_panic_hook(&Terminal::restore_from_signal, this);
    g_terminal = nullptr;
}

void Terminal::install_fatal_handlers()
{
    struct sigaction sa { };
    sa.sa_handler = &restore_then_reraise;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < std::size(handled_signals); ++i)
        ::sigaction(handled_signals[i], &sa, &m_old_actions[i]);
}

void Terminal::remove_fatal_handlers()
{
    for (size_t i = 0; i < std::size(handled_signals); ++i)
        ::sigaction(handled_signals[i], &m_old_actions[i], nullptr);
}

Result<void> Terminal::enter()
{
    if (m_active)
        return {};
    if (::tcsetattr(m_in, TCSADRAIN, &m_raw) != 0)
        return fail(ErrorCode::io, "tcsetattr(raw) on fd {}: {}", m_in, std::strerror(errno));
    m_active = 1;
    return write(std::string_view(m_enter_bytes, m_enter_len));
}

void Terminal::restore()
{
    restore_from_signal(this);
}

void Terminal::restore_from_signal(void* terminal)
{
    auto* t = static_cast<Terminal*>(terminal);
    if (!t->m_active)
        return;
    t->m_active = 0;
    write_fully(t->m_out, t->m_restore_bytes, t->m_restore_len);
    ::tcsetattr(t->m_in, TCSADRAIN, &t->m_saved);
}

Size Terminal::refresh_size()
{
    winsize ws{};
    if (::ioctl(m_out, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        m_size = Size{ ws.ws_row, ws.ws_col };
    else
        m_size = Size{ 24, 80 };
    return m_size;
}

Result<void> Terminal::write(std::string_view bytes)
{
    while (!bytes.empty()) {
        ssize_t n = ::write(m_out, bytes.data(), bytes.size());
        if (n > 0) {
            bytes.remove_prefix(static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // A non-blocking tty (stdin shares the file description) is
            // full: wait for room rather than dropping part of a frame.
            pollfd p{ m_out, POLLOUT, 0 };
            if (::poll(&p, 1, 1000) < 0 && errno != EINTR)
                return fail(ErrorCode::io, "poll on terminal fd {}: {}", m_out, std::strerror(errno));
            continue;
        }
        return fail(ErrorCode::io, "write to terminal fd {}: {}", m_out, n < 0 ? std::strerror(errno) : "wrote 0");
    }
    return {};
}

Result<void> Terminal::attach(Loop& loop, Callbacks callbacks)
{
    m_loop = &loop;
    m_callbacks = std::move(callbacks);
    TRY(loop.watch_signal(SIGWINCH, [this](int) {
        Size before = m_size;
        if (!(refresh_size() == before) && m_callbacks.on_resize)
            m_callbacks.on_resize(m_size);
    }));
    for (int signo : terminate_signals)
        TRY(loop.watch_signal(signo, [this](int s) { on_terminate_signal(s); }));
    TRY(loop.watch_signal(SIGTSTP, [this](int) { suspend(); }));
    TRY(loop.watch_signal(SIGCONT, [this](int) { on_continue(); }));
    return {};
}

void Terminal::detach()
{
    if (!m_loop)
        return;
    for (int signo : { SIGWINCH, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT })
        m_loop->unwatch_signal(signo);
    m_loop = nullptr;
}

void Terminal::on_terminate_signal(int signo)
{
    if (m_callbacks.on_terminate && m_callbacks.on_terminate(signo) == TerminateAction::wind_down)
        return;
    restore();
    struct sigaction dfl { };
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(signo, &dfl, nullptr);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, signo);
    ::raise(signo); // pending while blocked for the signalfd...
    ::sigprocmask(SIG_UNBLOCK, &one, nullptr); // ...delivered here: the process ends
    ::_exit(128 + signo); // only if the default action did not end it
}

void Terminal::suspend()
{
    restore();
    struct sigaction dfl {
    }, old{};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(SIGTSTP, &dfl, &old);
    sigset_t one, previous;
    sigemptyset(&one);
    sigaddset(&one, SIGTSTP);
    // With SIGTSTP blocked for the signalfd, raise() leaves it pending and
    // unblocking delivers it: the process stops right here until `fg`.
    ::raise(SIGTSTP);
    ::sigprocmask(SIG_UNBLOCK, &one, &previous);
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);
    ::sigaction(SIGTSTP, &old, nullptr);
    // The SIGCONT that woke us is queued for the signalfd when the loop
    // watches it; consume it so the resume below is not done twice.
    sigset_t cont;
    sigemptyset(&cont);
    sigaddset(&cont, SIGCONT);
    sigset_t blocked;
    ::sigprocmask(SIG_BLOCK, nullptr, &blocked);
    if (sigismember(&blocked, SIGCONT)) {
        timespec zero{ 0, 0 };
        while (::sigtimedwait(&cont, nullptr, &zero) == SIGCONT) { }
    }
    on_continue();
}

void Terminal::on_continue()
{
    // The shell may have changed the tty while we were stopped: re-enter
    // from scratch and let the caller redraw everything.
    m_active = 0;
    (void)enter();
    Size before = m_size;
    refresh_size();
    if (!(before == m_size) && m_callbacks.on_resize)
        m_callbacks.on_resize(m_size);
    if (m_callbacks.on_resume)
        m_callbacks.on_resume();
}

} // namespace ik::tui
