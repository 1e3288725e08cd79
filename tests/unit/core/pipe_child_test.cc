#include <csignal>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/pipe_child.h"
#include "support/matchers.h"
#include "support/valgrind.h"

using namespace ik;
using namespace ik::testing;
using namespace std::chrono_literals;

namespace {

// Runs the loop until `pred` or 10 s; false on timeout.
bool run_until(Loop& loop, const std::function<bool()>& pred)
{
    auto deadline = Loop::now() + 10s;
    auto r = loop.run_until([&] { return pred() || Loop::now() > deadline; });
    return r.has_value() && pred();
}

bool gone(pid_t pid)
{
    // Killed grandchildren are reaped by init a little later: a zombie counts as gone.
    for (int i = 0; i < 200; ++i) {
        if (::kill(pid, 0) != 0)
            return true;
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        auto close = text.rfind(')');
        if (close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z')
            return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

TEST(PipeChild, TalksBothWaysAndReportsTheExit)
{
    Loop loop;
    std::string out;
    std::optional<int> code;
    auto c = PipeChild::spawn(loop, PipeChildOptions{ .argv = { "sh", "-c", "read line; echo \"got $line\"; exit 7" } },
        PipeChildCallbacks{ .on_stdout = [&](std::string_view b) { out.append(b); },
            .on_stderr = {},
            .on_exit = [&](int exit_code, int) { code = exit_code; } });
    ASSERT_THAT(c, IsOk());
    EXPECT_THAT((*c)->write("hello\n"), IsOk());
    ASSERT_TRUE(run_until(loop, [&] { return code.has_value(); }));
    EXPECT_EQ(out, "got hello\n"); // read before on_exit ran
    EXPECT_EQ(*code, 7);
    EXPECT_TRUE((*c)->exited());
    EXPECT_THAT((*c)->write("late\n"), HasError(ErrorCode::io));
}

TEST(PipeChild, WritingToAChildThatClosedItsStdinDoesNotRaiseSigpipe)
{
    Loop loop;
    auto c = PipeChild::spawn(loop, PipeChildOptions{ .argv = { "sh", "-c", "exec 0<&-; sleep 5" } }, {});
    ASSERT_THAT(c, IsOk());
    std::this_thread::sleep_for(200ms); // the child has closed its stdin
    // With SIGPIPE's default action this would kill the test.
    (void)(*c)->write(std::string(100000, 'x'));
    for (int i = 0; i < 5; ++i)
        (void)loop.run_once(20);
    sigset_t pending;
    sigpending(&pending);
    EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
}

TEST(PipeChild, DestroyingItStopsTheWholeGroupAndReaps)
{
    Loop loop;
    std::string out;
    auto c = PipeChild::spawn(loop,
        PipeChildOptions{ .argv = { "sh", "-c", "trap '' TERM; sleep 100 & echo $!; wait" }, .stop_grace = 200ms },
        PipeChildCallbacks{ .on_stdout = [&](std::string_view b) { out.append(b); } });
    ASSERT_THAT(c, IsOk());
    ASSERT_TRUE(run_until(loop, [&] { return out.find('\n') != std::string::npos; }));
    pid_t leader = (*c)->pid();
    pid_t grandchild = static_cast<pid_t>(std::stol(out));
    c->reset(); // TERM is ignored: SIGKILL after the grace
    EXPECT_TRUE(gone(leader));
    EXPECT_TRUE(gone(grandchild));
}

TEST(PipeChild, AMissingProgramIsNotFound)
{
    IK_SKIP_UNDER_VALGRIND("valgrind emulates posix_spawn; a failed exec is exit 127, not ENOENT");
    Loop loop;
    EXPECT_THAT(PipeChild::spawn(loop, PipeChildOptions{ .argv = { "/nonexistent/program" } }, {}),
        HasError(ErrorCode::not_found));
    EXPECT_THAT(PipeChild::spawn(loop, PipeChildOptions{}, {}), HasError(ErrorCode::invalid_argument));
}

} // namespace
