#include <csignal>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/process.h"
#include "support/matchers.h"
#include "support/valgrind.h"

using namespace ik;
using namespace ik::testing;
using namespace std::chrono_literals;

namespace {

// Runs `options` to completion on a fresh loop.
ProcessResult run(Loop& loop, ProcessOptions options)
{
    std::optional<ProcessResult> got;
    auto p = Process::spawn(loop, std::move(options), [&](ProcessResult r) { got = std::move(r); });
    EXPECT_THAT(p, IsOk());
    if (!p)
        return {};
    EXPECT_THAT(loop.run_until([&] { return got.has_value(); }), IsOk());
    EXPECT_TRUE((*p)->finished());
    return std::move(*got);
}

ProcessResult run(std::string command, std::chrono::milliseconds timeout = 0ms)
{
    Loop loop;
    return run(loop, ProcessOptions{ .command = std::move(command), .timeout = timeout });
}

// A killed orphan is reaped by init asynchronously: wait until it is gone
// or a zombie (which no longer runs).
bool process_gone(pid_t pid)
{
    for (int i = 0; i < 200; ++i) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        if (!stat)
            return true;
        std::string line;
        std::getline(stat, line);
        auto close = line.rfind(')');
        if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z')
            return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

} // namespace

TEST(Process, CapturesStdoutStderrAndExitCode)
{
    auto r = run("echo out; echo err >&2; exit 3");
    EXPECT_EQ(r.out, "out\n");
    EXPECT_EQ(r.err, "err\n");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.term_signal, 0);
    EXPECT_FALSE(r.timed_out);
}

TEST(Process, MergedModeInterleavesStreams)
{
    Loop loop;
    auto r = run(loop, ProcessOptions{ .command = "echo a; echo b >&2; echo c", .mode = OutputMode::merged });
    EXPECT_EQ(r.out, "a\nb\nc\n");
    EXPECT_EQ(r.err, "");
}

TEST(Process, RunsInTheWorkingDirectory)
{
    Loop loop;
    auto r = run(loop, ProcessOptions{ .command = "pwd", .cwd = "/tmp" });
    EXPECT_EQ(r.out, "/tmp\n");
}

TEST(Process, ArgvIsRunWithoutAShell)
{
    Loop loop;
    auto r = run(loop, ProcessOptions{ .argv = { "printf", "%s|", "a b", "$HOME" } });
    EXPECT_EQ(r.out, "a b|$HOME|");
    EXPECT_EQ(r.exit_code, 0);
}

TEST(Process, InputIsTheChildsStdin)
{
    Loop loop;
    // Larger than a pipe's buffer: ik writes it into memory, never into a pipe it could block on.
    std::string big(200'000, 'x');
    auto r = run(loop, ProcessOptions{ .command = "wc -c; echo done", .input = big });
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "200000\ndone\n");
    auto empty = run(loop, ProcessOptions{ .command = "cat", .input = std::string() });
    EXPECT_EQ(empty.out, "");
    EXPECT_EQ(empty.exit_code, 0);
}

TEST(Process, StdinIsDevNull)
{
    auto r = run("cat; echo done");
    EXPECT_EQ(r.out, "done\n");
}

TEST(Process, OutputPastTheCapIsCountedAndDropped)
{
    Loop loop;
    auto r = run(loop, ProcessOptions{ .command = "head -c 300000 /dev/zero | tr '\\0' x", .output_cap = 1000 });
    EXPECT_EQ(r.out.size(), 1000u);
    EXPECT_EQ(r.out_dropped, 299000u);
    EXPECT_EQ(r.exit_code, 0);
}

TEST(Process, ChildStartsWithEmptySignalMaskAndDefaultDispositions)
{
    Loop loop;
    // The loop blocks SIGINT and SIGTERM for ik; the child must not inherit it.
    ASSERT_THAT(loop.watch_signal(SIGINT, [](int) {}), IsOk());
    ASSERT_THAT(loop.watch_signal(SIGTERM, [](int) {}), IsOk());
    // An ignored signal stays ignored across exec unless reset.
    auto old_pipe = ::signal(SIGPIPE, SIG_IGN);
    auto r = run(loop, ProcessOptions{ .argv = { "grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status" } });
    ::signal(SIGPIPE, old_pipe);
    // Masks are hex bit sets, bit n-1 for signal n. Only the classic signals
    // 1..31 matter: glibc reserves 32 and 33 for itself and a sandbox may
    // leave them ignored.
    unsigned long long blocked = 0, ignored = 0;
    ASSERT_EQ(std::sscanf(r.out.c_str(), "SigBlk:\t%llx\nSigIgn:\t%llx", &blocked, &ignored), 2) << r.out;
    EXPECT_EQ(blocked & 0x7fffffffULL, 0u) << r.out;
    EXPECT_EQ(ignored & 0x7fffffffULL, 0u) << r.out;
}

TEST(Process, ChildInheritsOnlyStandardFds)
{
    int leaked = ::dup(0); // no O_CLOEXEC
    ASSERT_GE(leaked, 3);
    auto r = run("ls /proc/self/fd");
    ::close(leaked);
    // 0, 1, 2 and the fd ls opened to read the directory.
    EXPECT_EQ(r.out, "0\n1\n2\n3\n");
}

// fd 3 from memory (bwrap reads its seccomp program there): each child reads
// its own copy from the start, and nothing else is inherited.
TEST(Process, Fd3HoldsTheGivenBytesForEachChild)
{
    Loop loop;
    for (int i = 0; i < 2; ++i) {
        auto r = run(loop, ProcessOptions{ .command = "cat <&3; ls /proc/self/fd | wc -l", .fd3 = "program" });
        EXPECT_EQ(r.exit_code, 0);
        EXPECT_EQ(r.out, "program5\n"); // 0-3 and the fd ls opened
    }
}

TEST(Process, TimeoutKillsTheWholeGroup)
{
    auto r = run("sleep 100 & echo $!; wait", 500ms);
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.term_signal, SIGTERM);
    EXPECT_EQ(r.exit_code, -1);
    ASSERT_FALSE(r.out.empty()) << "bash did not start within the timeout";
    pid_t child = std::stoi(r.out);
    EXPECT_TRUE(process_gone(child)) << "the backgrounded sleep survived the timeout";
}

TEST(Process, TermIgnoredMeansKillAfterGrace)
{
    Loop loop;
    auto r = run(loop,
        ProcessOptions{ .command = "trap '' TERM; echo ready; sleep 100 & wait; sleep 100",
            .timeout = 100ms,
            .kill_grace = 100ms });
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.term_signal, SIGKILL);
}

TEST(Process, LeftoverBackgroundProcessesAreKilledAtExit)
{
    auto r = run("sleep 100 >/dev/null 2>&1 & echo $!");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(process_gone(std::stoi(r.out)));
}

TEST(Process, CancelStopsTheCommand)
{
    Loop loop;
    std::optional<ProcessResult> got;
    auto p
        = Process::spawn(loop, ProcessOptions{ .command = "sleep 100" }, [&](ProcessResult r) { got = std::move(r); });
    ASSERT_THAT(p, IsOk());
    loop.after(50ms, [&] { (*p)->cancel(); });
    ASSERT_THAT(loop.run_until([&] { return got.has_value(); }), IsOk());
    EXPECT_TRUE(got->cancelled);
    EXPECT_FALSE(got->timed_out);
    EXPECT_EQ(got->term_signal, SIGTERM);
}

TEST(Process, DestroyingTheOwnerKillsAndReapsTheChild)
{
    Loop loop;
    pid_t pid = 0;
    {
        auto p = Process::spawn(loop, ProcessOptions{ .command = "exec sleep 100" }, [](ProcessResult) {});
        ASSERT_THAT(p, IsOk());
        pid = (*p)->pid();
    }
    // Reaped by us, so the pid is gone, not a zombie.
    EXPECT_NE(::kill(pid, 0), 0);
    EXPECT_EQ(errno, ESRCH);
}

TEST(Process, TheLoopKeepsRunningWhileACommandRuns)
{
    Loop loop;
    int ticks = 0;
    std::function<void()> tick = [&] {
        ++ticks;
        loop.after(10ms, tick);
    };
    loop.after(10ms, tick);
    auto r = run(loop, ProcessOptions{ .command = "sleep 0.2" });
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_GE(ticks, 5);
}

TEST(Process, ReportsTheSignalThatKilledIt)
{
    auto r = run("kill -KILL $$");
    EXPECT_EQ(r.term_signal, SIGKILL);
    EXPECT_EQ(signal_name(r.term_signal), "SIGKILL");
}

TEST(Process, MissingWorkingDirectoryIsAnError)
{
    IK_SKIP_UNDER_VALGRIND("valgrind emulates posix_spawn; a failed exec is exit 127, not ENOENT");
    Loop loop;
    auto p = Process::spawn(loop, ProcessOptions{ .command = "true", .cwd = "/nonexistent/ik-test" }, nullptr);
    EXPECT_THAT(p, HasError(ErrorCode::not_found));
    EXPECT_THAT(p, HasErrorMessage(::testing::HasSubstr("/nonexistent/ik-test")));
}

TEST(Process, MissingProgramIsAnError)
{
    IK_SKIP_UNDER_VALGRIND("valgrind emulates posix_spawn; a failed exec is exit 127, not ENOENT");
    Loop loop;
    auto p = Process::spawn(loop, ProcessOptions{ .argv = { "ik-no-such-program-xyz" } }, nullptr);
    EXPECT_THAT(p, HasError(ErrorCode::not_found));
}
