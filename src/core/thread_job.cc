#include "core/thread_job.h"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <system_error>

#include <pthread.h>
#include <sys/eventfd.h>

namespace ik {

ThreadJob::ThreadJob(Private, Loop& loop, UniqueFd event, Done done)
    : m_loop(loop)
    , m_event(std::move(event))
    , m_done(std::move(done))
{
}

Result<std::unique_ptr<ThreadJob>> ThreadJob::start(Loop& loop, Work work, Done done)
{
    UniqueFd event(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!event)
        return fail(ErrorCode::io, "cannot make an eventfd for a worker thread: {}", std::strerror(errno));
    auto job = std::make_unique<ThreadJob>(Private{}, loop, std::move(event), std::move(done));

    // The thread inherits the mask in force when it is made: block every
    // signal around its creation, so no signal can ever be delivered to it
    // (one the loop has not blocked yet would otherwise kill the process).
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int fd = job->m_event.get();
    try {
        job->m_thread = std::jthread([fd, work = std::move(work)](const std::stop_token& stop) {
            work(stop);
            uint64_t one = 1;
            // An eventfd write of 8 bytes cannot be short; it fails only if
            // the counter would overflow, which one write cannot do.
            (void)!::write(fd, &one, sizeof one);
        });
    } catch (const std::system_error& e) {
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
        return fail(ErrorCode::io, "cannot start a worker thread: {}", e.what());
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    job->m_watch = loop.watch(fd, POLLIN, [raw = job.get()](int, short) { raw->on_finished(); });
    return job;
}

void ThreadJob::on_finished()
{
    uint64_t count = 0;
    (void)!::read(m_event.get(), &count, sizeof count);
    m_loop.unwatch(m_watch);
    m_watch = 0;
    m_thread.join();
    Done done = std::move(m_done);
    done(); // may destroy *this: nothing after it
}

ThreadJob::~ThreadJob()
{
    if (m_watch)
        m_loop.unwatch(m_watch);
    // std::jthread's destructor requests a stop and joins.
}

} // namespace ik
