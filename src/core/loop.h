// ik::Loop — the one event loop (design.md §6).
//
// ik is single-threaded and event driven: the terminal, libcurl's sockets,
// tool child processes, signals and timers are all watched by one poll()
// loop, so nothing blocks and a key press is drawn within a frame even while
// a reply streams and a tool runs. Signals arrive through a signalfd and are
// dispatched like any other readable fd.
//
//   Loop loop;
//   auto id = loop.watch(fd, POLLIN, [&](int fd, short revents) { ... });
//   loop.after(std::chrono::milliseconds(250), [&] { flush(); });
//   TRY(loop.watch_signal(SIGINT, [&](int) { cancel(); }));
//   while (!done) TRY(loop.run_once(-1));
//
// Callbacks may add or remove watches and timers while being dispatched.
// Owns: the signalfd. Borrows: every watched fd (the caller closes them).
#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <functional>
#include <vector>

#include <poll.h>

#include "core/result.h"

namespace ik {

class Loop {
public:
    using Clock = std::chrono::steady_clock;
    using FdCallback = std::function<void(int fd, short revents)>;
    using TimerCallback = std::function<void()>;
    using SignalCallback = std::function<void(int signo)>;
    using WatchId = uint64_t;
    using TimerId = uint64_t;

    Loop() = default;
    ~Loop();
    Loop(const Loop&) = delete;
    Loop& operator=(const Loop&) = delete;

    WatchId watch(int fd, short events, FdCallback callback);
    void set_events(WatchId id, short events);
    void unwatch(WatchId id);

    TimerId after(std::chrono::milliseconds delay, TimerCallback callback);
    void cancel(TimerId id);

    // Blocks `signo` for the process and delivers it through the loop.
    // Child processes must unblock it (core/process.h does).
    Result<void> watch_signal(int signo, SignalCallback callback);
    void unwatch_signal(int signo);

    // Waits up to timeout_ms (-1: until something happens) and dispatches
    // whatever is ready. Returns after one round.
    Result<void> run_once(int timeout_ms);

    // Runs rounds until `done()` is true.
    Result<void> run_until(const std::function<bool()>& done);

    static Clock::time_point now() { return Clock::now(); }

private:
    struct Watch {
        WatchId id;
        int fd;
        short events;
        FdCallback callback;
        bool removed = false;
    };
    struct Timer {
        TimerId id;
        Clock::time_point due;
        TimerCallback callback;
        bool removed = false;
    };
    struct SignalWatch {
        int signo;
        SignalCallback callback;
    };

    int next_timeout(int requested) const;
    void run_timers();
    void on_signalfd();
    Result<void> rebuild_signalfd();
    void compact();

    std::vector<Watch> m_watches;
    std::vector<Timer> m_timers;
    std::vector<SignalWatch> m_signals;
    std::vector<pollfd> m_pollfds;
    sigset_t m_old_mask{};
    bool m_mask_saved = false;
    int m_signalfd = -1;
    WatchId m_signal_watch = 0;
    uint64_t m_next_id = 1;
};

} // namespace ik
