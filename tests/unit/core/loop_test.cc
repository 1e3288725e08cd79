#include <csignal>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/loop.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::testing;
using namespace std::chrono_literals;

TEST(Loop, DispatchesReadableFds)
{
    Loop loop;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    std::string got;
    auto id = loop.watch(fds[0], POLLIN, [&](int fd, short) {
        char buf[16];
        ssize_t n = ::read(fd, buf, sizeof buf);
        got.append(buf, static_cast<size_t>(n));
    });
    ASSERT_EQ(::write(fds[1], "hi", 2), 2);
    ASSERT_THAT(loop.run_once(1000), IsOk());
    EXPECT_EQ(got, "hi");
    loop.unwatch(id);
    ASSERT_EQ(::write(fds[1], "x", 1), 1);
    ASSERT_THAT(loop.run_once(10), IsOk());
    EXPECT_EQ(got, "hi");
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(Loop, TimersFireInOrderAndCanBeCancelled)
{
    Loop loop;
    std::string order;
    // Far apart: each deadline counts from its own after() call, and under
    // valgrind on a loaded machine the calls can be tens of ms apart.
    loop.after(300ms, [&] { order += "b"; });
    loop.after(1ms, [&] { order += "a"; });
    auto c = loop.after(5ms, [&] { order += "x"; });
    loop.cancel(c);
    ASSERT_THAT(loop.run_until([&] { return order.size() == 2; }), IsOk());
    EXPECT_EQ(order, "ab");
}

TEST(Loop, CallbacksMayScheduleMoreWork)
{
    Loop loop;
    int n = 0;
    std::function<void()> tick = [&] {
        if (++n < 5)
            loop.after(0ms, tick);
    };
    loop.after(0ms, tick);
    ASSERT_THAT(loop.run_until([&] { return n == 5; }), IsOk());
}

TEST(Loop, SignalsArriveThroughTheLoop)
{
    Loop loop;
    int got = 0;
    ASSERT_THAT(loop.watch_signal(SIGUSR1, [&](int signo) { got = signo; }), IsOk());
    ::kill(::getpid(), SIGUSR1);
    ASSERT_THAT(loop.run_until([&] { return got != 0; }), IsOk());
    EXPECT_EQ(got, SIGUSR1);
    loop.unwatch_signal(SIGUSR1);
}
