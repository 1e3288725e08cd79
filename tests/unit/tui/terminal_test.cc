// The terminal session in a real pseudo-terminal: a child process enters
// raw mode on the pty slave, then ends in the way under test; the parent
// checks the slave's termios and the bytes the child wrote.
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/loop.h"
#include "core/panic.h"
#include "support/valgrind.h"
#include "tui/escape.h"
#include "tui/terminal.h"

namespace ik::tui {
namespace {

using namespace std::chrono_literals;

void say(const char* text)
{
    (void)!::write(STDOUT_FILENO, text, std::strlen(text));
}

struct PtyChild {
    int master = -1;
    int slave = -1;
    pid_t pid = -1;
    std::string output;

    explicit PtyChild(const std::function<void()>& body, bool own_session = true)
    {
        winsize ws{};
        ws.ws_row = 30;
        ws.ws_col = 100;
        if (::openpty(&master, &slave, nullptr, nullptr, &ws) != 0)
            return;
        pid = ::fork();
        if (pid == 0) {
            if (own_session) {
                ::setsid();
                ::ioctl(slave, TIOCSCTTY, 0);
            }
            ::dup2(slave, STDIN_FILENO);
            ::dup2(slave, STDOUT_FILENO);
            ::close(master);
            body();
            ::_exit(0);
        }
        ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    }
    ~PtyChild()
    {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        if (master >= 0)
            ::close(master);
        if (slave >= 0)
            ::close(slave);
    }

    void drain()
    {
        char buf[4096];
        ssize_t n;
        while ((n = ::read(master, buf, sizeof buf)) > 0)
            output.append(buf, static_cast<size_t>(n));
    }
    bool wait_for(std::string_view marker, std::chrono::milliseconds timeout = 5s)
    {
        auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            drain();
            if (output.find(marker) != std::string::npos)
                return true;
            pollfd p{ master, POLLIN, 0 };
            ::poll(&p, 1, 20);
        }
        return false;
    }
    int wait_status()
    {
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid = -1;
        drain();
        return status;
    }
    bool raw() const
    {
        termios t{};
        ::tcgetattr(slave, &t);
        return (t.c_lflag & ICANON) == 0 && (t.c_lflag & ECHO) == 0;
    }
};

std::string seq(void (*fn)(std::string&))
{
    std::string s;
    fn(s);
    return s;
}

void enter_and_wait()
{
    auto t = Terminal::create(STDIN_FILENO, STDOUT_FILENO, {});
    if (!t)
        ::_exit(3);
    say("READY");
    for (;;)
        ::pause();
}

TEST(Terminal, CreateFailsOnANonTerminal)
{
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    auto t = Terminal::create(fds[0], fds[1], {});
    EXPECT_FALSE(t.has_value());
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(Terminal, EntersRawModeAndRestoresOnDestruction)
{
    PtyChild child([] {
        {
            auto t = Terminal::create(STDIN_FILENO, STDOUT_FILENO, {});
            if (!t)
                ::_exit(3);
            if ((*t)->size().cols != 100 || (*t)->size().rows != 30)
                ::_exit(4);
            say("READY");
            ::sleep(1); // parent checks raw mode meanwhile
        }
        say("DONE");
    });
    ASSERT_TRUE(child.wait_for("READY"));
    EXPECT_TRUE(child.raw());
    EXPECT_NE(child.output.find(seq(esc::alt_screen_enter)), std::string::npos);
    EXPECT_NE(child.output.find(seq(esc::bracketed_paste_on)), std::string::npos);
    EXPECT_NE(child.output.find(seq(esc::mouse_on)), std::string::npos);
    int status = child.wait_status();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    EXPECT_FALSE(child.raw());
    size_t leave = child.output.find(seq(esc::alt_screen_leave));
    ASSERT_NE(leave, std::string::npos);
    EXPECT_LT(leave, child.output.find("DONE"));
}

TEST(Terminal, RestoresOnSigtermWithoutALoop)
{
    PtyChild child(enter_and_wait);
    ASSERT_TRUE(child.wait_for("READY"));
    EXPECT_TRUE(child.raw());
    ::kill(child.pid, SIGTERM);
    int status = child.wait_status();
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
    EXPECT_FALSE(child.raw());
    EXPECT_NE(child.output.find(seq(esc::alt_screen_leave)), std::string::npos);
}

TEST(Terminal, RestoresOnSighupAndSigtermThroughTheLoop)
{
    for (int signo : { SIGTERM, SIGHUP }) {
        PtyChild child([] {
            Loop loop;
            auto t = Terminal::create(STDIN_FILENO, STDOUT_FILENO, {});
            if (!t)
                ::_exit(3);
            auto r = (*t)->attach(loop, { .on_resize = {}, .on_resume = {}, .on_terminate = [](int) {
                                             say("BYE");
                                             return tui::TerminateAction::re_raise;
                                         } });
            if (!r)
                ::_exit(4);
            say("READY");
            (void)loop.run_until([] { return false; });
        });
        ASSERT_TRUE(child.wait_for("READY"));
        EXPECT_TRUE(child.raw());
        ::kill(child.pid, signo);
        int status = child.wait_status();
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == signo) << status;
        EXPECT_FALSE(child.raw());
        size_t bye = child.output.find("BYE");
        ASSERT_NE(bye, std::string::npos); // the REPL's hook ran first
        EXPECT_NE(child.output.find(seq(esc::alt_screen_leave), bye), std::string::npos);
    }
}

TEST(Terminal, RestoresOnPanic)
{
    PtyChild child([] {
        auto t = Terminal::create(STDIN_FILENO, STDOUT_FILENO, {});
        if (!t)
            ::_exit(3);
        say("READY");
        ::usleep(200 * 1000);
        ik::panic("boom");
    });
    ASSERT_TRUE(child.wait_for("READY"));
    EXPECT_TRUE(child.raw());
    int status = child.wait_status();
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) << status;
    EXPECT_FALSE(child.raw());
    EXPECT_NE(child.output.find(seq(esc::alt_screen_leave)), std::string::npos);
}

TEST(Terminal, ResizeIsReportedThroughTheLoop)
{
    PtyChild child([] {
        Loop loop;
        auto t = Terminal::create(STDIN_FILENO, STDOUT_FILENO, {});
        if (!t)
            ::_exit(3);
        bool resized = false;
        auto r = (*t)->attach(loop,
            { .on_resize =
                    [&](Size s) {
                        if (s.rows == 40 && s.cols == 120) {
                            say("RESIZED");
                            resized = true;
                        }
                    },
                .on_resume = {},
                .on_terminate = {} });
        if (!r)
            ::_exit(4);
        say("READY");
        (void)loop.run_until([&] { return resized; });
    });
    ASSERT_TRUE(child.wait_for("READY"));
    winsize ws{};
    ws.ws_row = 40;
    ws.ws_col = 120;
    ::ioctl(child.master, TIOCSWINSZ, &ws); // the kernel sends SIGWINCH
    EXPECT_TRUE(child.wait_for("RESIZED"));
    int status = child.wait_status();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// Job control needs a process group that is not orphaned (the kernel
// ignores SIGTSTP otherwise): the child makes a session, then a grandchild
// in its own group runs the terminal; the child reports on it.
TEST(Terminal, SuspendRestoresAndResumeReentersRawMode)
{
    IK_SKIP_UNDER_VALGRIND("job control of a valgrind-run pty child differs");
    int report[2];
    ASSERT_EQ(::pipe(report), 0);
    PtyChild child([&] {
        ::close(report[0]);
        pid_t grandchild = ::fork();
        if (grandchild == 0) {
            // Become the foreground job, as a shell would make us.
            ::setpgid(0, 0);
            ::signal(SIGTTOU, SIG_IGN);
            ::tcsetpgrp(STDIN_FILENO, ::getpgrp());
            ::signal(SIGTTOU, SIG_DFL);
            Loop loop;
            auto t = Terminal::create(STDIN_FILENO, STDOUT_FILENO, {});
            if (!t)
                ::_exit(3);
            bool resumed = false;
            auto r = (*t)->attach(loop,
                { .on_resize = {},
                    .on_resume =
                        [&] {
                            say("RESUMED");
                            resumed = true;
                        },
                    .on_terminate = {} });
            if (!r)
                ::_exit(4);
            say("READY");
            (void)loop.run_until([&] { return resumed; });
            ::sleep(1); // the parent checks raw mode again
            ::_exit(0);
        }
        int status = 0;
        ::waitpid(grandchild, &status, WUNTRACED);
        char stopped = WIFSTOPPED(status) ? 'S' : 'X';
        (void)!::write(report[1], &stopped, 1);
        // Wait for the parent to look at the tty, then continue it.
        ::sleep(1);
        ::kill(grandchild, SIGCONT);
        ::waitpid(grandchild, &status, 0);
        char done = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 'E' : 'F';
        (void)!::write(report[1], &done, 1);
    });
    ::close(report[1]);
    ASSERT_TRUE(child.wait_for("READY"));
    EXPECT_TRUE(child.raw());
    char stat_path[64];
    // The grandchild is the only process with the child as parent: read it from /proc.
    std::string children;
    std::snprintf(stat_path, sizeof stat_path, "/proc/%d/task/%d/children", child.pid, child.pid);
    for (int i = 0; i < 100 && children.empty(); ++i) {
        FILE* f = std::fopen(stat_path, "r");
        if (f) {
            char buf[64] = {};
            if (std::fgets(buf, sizeof buf, f))
                children = buf;
            std::fclose(f);
        }
        if (children.empty())
            std::this_thread::sleep_for(10ms);
    }
    ASSERT_FALSE(children.empty()) << "no /proc children list";
    pid_t grandchild = static_cast<pid_t>(std::stol(children));
    ::kill(grandchild, SIGTSTP);
    char c = 0;
    ASSERT_EQ(::read(report[0], &c, 1), 1);
    EXPECT_EQ(c, 'S'); // it stopped...
    EXPECT_FALSE(child.raw()); // ...with the terminal restored
    child.drain();
    EXPECT_NE(child.output.find(seq(esc::alt_screen_leave)), std::string::npos);
    ASSERT_TRUE(child.wait_for("RESUMED"));
    EXPECT_TRUE(child.raw()); // fg: raw mode again
    size_t resumed = child.output.find("RESUMED");
    EXPECT_NE(child.output.rfind(seq(esc::alt_screen_enter), resumed), child.output.find(seq(esc::alt_screen_enter)));
    ASSERT_EQ(::read(report[0], &c, 1), 1);
    EXPECT_EQ(c, 'E');
    ::close(report[0]);
    child.wait_status();
}

TEST(Terminal, WriteSendsTheWholeFrame)
{
    PtyChild child([] {
        auto t = Terminal::create(STDIN_FILENO, STDOUT_FILENO, {});
        if (!t)
            ::_exit(3);
        std::string big(100000, 'x');
        big += "END";
        if (!(*t)->write(big))
            ::_exit(5);
        ::_exit(0);
    });
    ASSERT_TRUE(child.wait_for("END", 10s));
    EXPECT_GE(std::count(child.output.begin(), child.output.end(), 'x'), 100000);
    int status = child.wait_status();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

} // namespace
} // namespace ik::tui
