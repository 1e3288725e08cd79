// ik::ThreadJob — one piece of blocking work on a thread of its own, its end
// reported through the loop.
//
// ik is single threaded and event driven (loop.h). A few tools (grep, glob)
// can spend seconds walking a big tree; run on the loop they would stall the
// REPL's keys, frames and the stream. A ThreadJob runs `work` on a new
// thread and, when it returns, calls `done` on the loop thread.
//
//   auto job = TRY(ThreadJob::start(loop, [&](const std::stop_token& stop) { ... },
//                                   [&] { use the result; }));
//
// The work shares nothing with the loop thread but what it was given and its
// stop token: it must not touch arenas (each belongs to the thread that made
// it, arena.h), the loop, or anything the loop thread may change meanwhile.
// Its thread blocks every signal, so signals keep reaching the loop's
// signalfd whatever thread the kernel would pick.
//
// Destroying the job requests a stop and joins the thread: work that checks
// its token between units (a file, a directory entry) ends within one unit.
// `done` is never called after the job is destroyed, and never from inside
// start().
//
// Owns: the thread and an eventfd. Borrows: the loop.
#pragma once

#include <functional>
#include <memory>
#include <stop_token>
#include <thread>

#include "core/loop.h"
#include "core/result.h"
#include "core/unique_fd.h"

namespace ik {

class ThreadJob {
public:
    using Work = std::function<void(const std::stop_token& stop)>;
    using Done = std::function<void()>;

    static Result<std::unique_ptr<ThreadJob>> start(Loop& loop, Work work, Done done);

    struct Private { }; // only start() makes jobs
    ThreadJob(Private, Loop& loop, UniqueFd event, Done done);
    ~ThreadJob();
    ThreadJob(const ThreadJob&) = delete;
    ThreadJob& operator=(const ThreadJob&) = delete;

    // Asks the work to stop early; `done` still runs when it returns.
    void request_stop() { m_thread.request_stop(); }

private:
    void on_finished();

    Loop& m_loop;
    UniqueFd m_event; // written once by the thread when the work returned
    Done m_done;
    Loop::WatchId m_watch = 0;
    std::jthread m_thread; // declared last: joined before the fd closes
};

} // namespace ik
