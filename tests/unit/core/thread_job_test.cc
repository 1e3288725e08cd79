#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include <gtest/gtest.h>
#include <pthread.h>

#include "core/thread_job.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::testing;
using namespace std::chrono_literals;

namespace {

// Waits for `flag` up to a deadline, so a broken job fails instead of hanging.
bool wait_for(const std::atomic<bool>& flag, std::chrono::milliseconds limit = 10s)
{
    auto until = std::chrono::steady_clock::now() + limit;
    while (!flag.load() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(1ms);
    return flag.load();
}

} // namespace

TEST(ThreadJob, WorkRunsOnAnotherThreadAndDoneOnTheLoop)
{
    Loop loop;
    std::thread::id worker, finisher;
    bool done = false;
    auto job = ThreadJob::start(
        loop, [&](const std::stop_token&) { worker = std::this_thread::get_id(); },
        [&] {
            finisher = std::this_thread::get_id();
            done = true;
        });
    ASSERT_THAT(job, IsOk());
    EXPECT_FALSE(done) << "done ran inside start()";
    ASSERT_THAT(loop.run_until([&] { return done; }), IsOk());
    EXPECT_NE(worker, std::this_thread::get_id());
    EXPECT_EQ(finisher, std::this_thread::get_id());
}

// The point of the job: the loop keeps dispatching timers while the work
// blocks. The work waits for a flag only a loop timer sets; on the loop
// thread it would wait out its deadline instead.
TEST(ThreadJob, TheLoopRunsWhileTheWorkBlocks)
{
    Loop loop;
    std::atomic<bool> timer_fired{ false };
    bool work_saw_timer = false, done = false;
    auto job = ThreadJob::start(
        loop, [&](const std::stop_token&) { work_saw_timer = wait_for(timer_fired); }, [&] { done = true; });
    ASSERT_THAT(job, IsOk());
    loop.after(10ms, [&] { timer_fired = true; });
    ASSERT_THAT(loop.run_until([&] { return done; }), IsOk());
    EXPECT_TRUE(work_saw_timer);
}

TEST(ThreadJob, DestroyingTheJobStopsTheWorkAndNeverCallsDone)
{
    Loop loop;
    std::atomic<bool> started{ false }, stopped{ false };
    bool done = false;
    auto job = ThreadJob::start(
        loop,
        [&](const std::stop_token& stop) {
            started = true;
            while (!stop.stop_requested())
                std::this_thread::sleep_for(1ms);
            stopped = true;
        },
        [&] { done = true; });
    ASSERT_THAT(job, IsOk());
    ASSERT_TRUE(wait_for(started));
    job->reset(); // joins
    EXPECT_TRUE(stopped);
    ASSERT_THAT(loop.run_once(50), IsOk());
    EXPECT_FALSE(done);
}

TEST(ThreadJob, RequestStopStillDeliversDone)
{
    Loop loop;
    std::atomic<bool> started{ false };
    bool done = false;
    auto job = ThreadJob::start(
        loop,
        [&](const std::stop_token& stop) {
            started = true;
            while (!stop.stop_requested())
                std::this_thread::sleep_for(1ms);
        },
        [&] { done = true; });
    ASSERT_THAT(job, IsOk());
    ASSERT_TRUE(wait_for(started));
    (*job)->request_stop();
    ASSERT_THAT(loop.run_until([&] { return done; }), IsOk());
}

// A signal must never be delivered to the worker: ik's signals are read
// from the loop's signalfd, and one the loop blocks only later would
// otherwise hit the worker with its default action.
TEST(ThreadJob, TheWorkerBlocksEverySignal)
{
    Loop loop;
    bool all_blocked = false, done = false;
    auto job = ThreadJob::start(
        loop,
        [&](const std::stop_token&) {
            sigset_t mask;
            pthread_sigmask(SIG_SETMASK, nullptr, &mask);
            all_blocked = sigismember(&mask, SIGINT) == 1 && sigismember(&mask, SIGTERM) == 1
                && sigismember(&mask, SIGHUP) == 1 && sigismember(&mask, SIGWINCH) == 1;
        },
        [&] { done = true; });
    ASSERT_THAT(job, IsOk());
    ASSERT_THAT(loop.run_until([&] { return done; }), IsOk());
    EXPECT_TRUE(all_blocked);
    // The loop thread's own mask is as it was.
    sigset_t mine;
    pthread_sigmask(SIG_SETMASK, nullptr, &mine);
    EXPECT_EQ(sigismember(&mine, SIGWINCH), 0);
}
