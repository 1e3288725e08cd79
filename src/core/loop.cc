#include "core/loop.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/signalfd.h>
#include <unistd.h>

namespace ik {

Loop::~Loop()
{
    if (m_signalfd >= 0)
        ::close(m_signalfd);
    if (m_mask_saved)
        ::sigprocmask(SIG_SETMASK, &m_old_mask, nullptr);
}

Loop::WatchId Loop::watch(int fd, short events, FdCallback callback)
{
    WatchId id = m_next_id++;
    m_watches.push_back(Watch{ id, fd, events, std::move(callback) });
    return id;
}

void Loop::set_events(WatchId id, short events)
{
    for (auto& w : m_watches)
        if (w.id == id)
            w.events = events;
}

void Loop::unwatch(WatchId id)
{
    for (auto& w : m_watches)
        if (w.id == id)
            w.removed = true;
}

Loop::TimerId Loop::after(std::chrono::milliseconds delay, TimerCallback callback)
{
    TimerId id = m_next_id++;
    m_timers.push_back(Timer{ id, now() + delay, std::move(callback) });
    return id;
}

void Loop::cancel(TimerId id)
{
    for (auto& t : m_timers)
        if (t.id == id)
            t.removed = true;
}

Result<void> Loop::watch_signal(int signo, SignalCallback callback)
{
    for (auto& s : m_signals) {
        if (s.signo == signo) {
            s.callback = std::move(callback);
            return {};
        }
    }
    m_signals.push_back(SignalWatch{ signo, std::move(callback) });
    return rebuild_signalfd();
}

void Loop::unwatch_signal(int signo)
{
    std::erase_if(m_signals, [&](const SignalWatch& s) { return s.signo == signo; });
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, signo);
    if (!m_mask_saved || !sigismember(&m_old_mask, signo))
        ::sigprocmask(SIG_UNBLOCK, &one, nullptr);
    (void)rebuild_signalfd();
}

Result<void> Loop::rebuild_signalfd()
{
    sigset_t mask;
    sigemptyset(&mask);
    for (auto& s : m_signals)
        sigaddset(&mask, s.signo);
    if (!m_mask_saved) {
        ::sigprocmask(SIG_BLOCK, nullptr, &m_old_mask);
        m_mask_saved = true;
    }
    if (::sigprocmask(SIG_BLOCK, &mask, nullptr) != 0)
        return fail(ErrorCode::io, "sigprocmask: {}", std::strerror(errno));
    int fd = ::signalfd(m_signalfd, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        return fail(ErrorCode::io, "signalfd: {}", std::strerror(errno));
    if (m_signalfd < 0) {
        m_signalfd = fd;
        m_signal_watch = watch(fd, POLLIN, [this](int, short) { on_signalfd(); });
    }
    return {};
}

void Loop::on_signalfd()
{
    signalfd_siginfo info;
    while (::read(m_signalfd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        int signo = static_cast<int>(info.ssi_signo);
        for (auto& s : m_signals) {
            if (s.signo == signo) {
                auto callback = s.callback; // the callback may unwatch itself
                callback(signo);
                break;
            }
        }
    }
}

int Loop::next_timeout(int requested) const
{
    int timeout = requested;
    auto t = now();
    for (auto& timer : m_timers) {
        if (timer.removed)
            continue;
        auto ms = std::chrono::ceil<std::chrono::milliseconds>(timer.due - t).count();
        int wait = static_cast<int>(std::max<int64_t>(0, ms));
        if (timeout < 0 || wait < timeout)
            timeout = wait;
    }
    return timeout;
}

void Loop::run_timers()
{
    auto t = now();
    // Index loop: callbacks may append timers, which invalidates iterators.
    // NOLINTNEXTLINE(modernize-loop-convert): a range-for would use invalidated iterators
    for (size_t i = 0; i < m_timers.size(); ++i) {
        if (m_timers[i].removed || m_timers[i].due > t)
            continue;
        m_timers[i].removed = true;
        TimerCallback callback = std::move(m_timers[i].callback);
        callback();
    }
}

void Loop::compact()
{
    std::erase_if(m_watches, [](const Watch& w) { return w.removed; });
    std::erase_if(m_timers, [](const Timer& t) { return t.removed; });
}

Result<void> Loop::run_once(int timeout_ms)
{
    compact();
    m_pollfds.clear();
    for (auto& w : m_watches)
        m_pollfds.push_back(pollfd{ w.fd, w.events, 0 });
    int n = ::poll(m_pollfds.data(), m_pollfds.size(), next_timeout(timeout_ms));
    if (n < 0 && errno != EINTR)
        return fail(ErrorCode::io, "poll: {}", std::strerror(errno));
    // m_watches may grow during dispatch; only the polled prefix is matched.
    size_t polled = m_pollfds.size();
    for (size_t i = 0; i < polled && n > 0; ++i) {
        short revents = m_pollfds[i].revents;
        if (!revents || m_watches[i].removed)
            continue;
        FdCallback callback = m_watches[i].callback;
        callback(m_pollfds[i].fd, revents);
    }
    run_timers();
    return {};
}

Result<void> Loop::run_until(const std::function<bool()>& done)
{
    while (!done())
        TRY(run_once(-1));
    return {};
}

} // namespace ik
