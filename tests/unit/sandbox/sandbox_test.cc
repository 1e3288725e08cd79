// The sandbox's pure parts: the environment allow-list, the bwrap command
// line, the landlock supervisor's command line, the mode names. The real
// confinement is tested against the real binary (integration/sandbox_test.cc).
#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/filter.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/bwrap.h"
#include "sandbox/confined_exec.h"
#include "sandbox/environment.h"
#include "sandbox/internal/seccomp_library.h"
#include "sandbox/sandbox.h"
#include "sandbox/terminal_filter.h"
#include "support/valgrind.h"

using namespace ik::sandbox;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

namespace {

// The index of `a, b` as consecutive entries of `v`, or -1.
long find_pair(const std::vector<std::string>& v, std::string_view a, std::string_view b)
{
    for (size_t i = 0; i + 1 < v.size(); ++i)
        if (v[i] == a && v[i + 1] == b)
            return static_cast<long>(i);
    return -1;
}

TEST(SandboxEnvironment, OnlyAllowListedVariablesPass)
{
    std::vector<std::string> storage
        = { "PATH=/usr/bin", "HOME=/home/u", "LC_ALL=C", "OPENAI_API_KEY=sk-1", "ANTHROPIC_API_KEY=sk-2",
              "IK_DATABASE_URL=postgres://u:p@h/db", "PGPASSWORD=p", "MY_TOKEN=x", "NOEQUALS", "TMPDIR=/var/tmp" };
    std::vector<char*> env;
    for (auto& s : storage)
        env.push_back(s.data());
    env.push_back(nullptr);
    EXPECT_THAT(filtered_environment(env.data(), "/tmp/private"),
        ElementsAre("PATH=/usr/bin", "HOME=/home/u", "LC_ALL=C", "TMPDIR=/tmp/private"));
    EXPECT_FALSE(passes_allow_list("GEMINI_API_KEY"));
    EXPECT_FALSE(passes_allow_list("LD_PRELOAD"));
    EXPECT_TRUE(passes_allow_list("TERM"));
}

TEST(SandboxModes, NamesRoundTripAndBadOnesAreRefused)
{
    for (auto m : { Mode::read_only, Mode::workspace_write, Mode::off })
        EXPECT_EQ(*parse_mode(to_string(m)), m);
    for (auto b : { Backend::automatic, Backend::bwrap, Backend::landlock })
        EXPECT_EQ(*parse_backend(to_string(b)), b);
    EXPECT_FALSE(parse_mode("none").has_value());
    EXPECT_FALSE(parse_backend("docker").has_value());
}

TEST(SandboxBwrap, MountsCoverInOrderAndNetworkIsCut)
{
    Plan plan;
    plan.writable = { "/proj", "/tmp/ik-sandbox-1" };
    plan.read_only = { "/proj/.git/config" };
    plan.hidden = { "/home/u/.config/ik" };
    plan.tmp = "/tmp/ik-sandbox-1";
    auto a = bwrap_argv(plan, "make test", "/proj/sub");
    long root = find_pair(a, "--ro-bind", "/");
    long tmp = find_pair(a, "--bind", "/tmp/ik-sandbox-1");
    long proj = find_pair(a, "--bind", "/proj");
    long git = find_pair(a, "--ro-bind", "/proj/.git/config");
    long hide = find_pair(a, "--tmpfs", "/home/u/.config/ik");
    ASSERT_GE(root, 0);
    EXPECT_LT(root, tmp);
    EXPECT_LT(tmp, proj);
    EXPECT_LT(proj, git);
    EXPECT_LT(git, hide);
    EXPECT_EQ(a[static_cast<size_t>(tmp) + 2], "/tmp");
    for (auto flag : { "--unshare-pid", "--die-with-parent", "--unshare-net" })
        EXPECT_THAT(a, Contains(flag));
    // In ik's session, so a group kill reaches bwrap's init during set-up;
    // the terminal filter comes on fd 3.
    EXPECT_THAT(a, Not(Contains("--new-session")));
    EXPECT_GE(find_pair(a, "--seccomp", "3"), 0);
    EXPECT_GE(find_pair(a, "--chdir", "/proj/sub"), 0);
    EXPECT_THAT(std::vector<std::string>(a.end() - 4, a.end()), ElementsAre("--", "/bin/bash", "-c", "make test"));
    plan.network = true;
    EXPECT_THAT(bwrap_argv(plan, "x", ""), Not(Contains("--unshare-net")));
}

TEST(SandboxLandlock, SupervisorCommandLineCarriesThePlan)
{
    Plan plan;
    plan.writable = { "/proj" };
    plan.read_only = { "/proj/.ik" };
    plan.hidden = { "/cfg" };
    plan.tmp = "/tmp/t";
    auto a = landlock_argv("/usr/bin/ik", plan, "ls", "/proj");
    EXPECT_EQ(a[0], "/usr/bin/ik");
    EXPECT_EQ(a[1], confined_exec_verb);
    EXPECT_GE(find_pair(a, "--write", "/proj"), 0);
    EXPECT_GE(find_pair(a, "--ro", "/proj/.ik"), 0);
    EXPECT_GE(find_pair(a, "--hide", "/cfg"), 0);
    EXPECT_GE(find_pair(a, "--tmp", "/tmp/t"), 0);
    EXPECT_THAT(a, Not(Contains("--net")));
    EXPECT_THAT(std::vector<std::string>(a.end() - 4, a.end()), ElementsAre("--", "/bin/bash", "-c", "ls"));
}

TEST(SandboxCreate, OffConfinesNothingAndMakesNoDirectory)
{
    auto box = Sandbox::create(Settings{ .mode = Mode::off });
    ASSERT_TRUE(box.has_value());
    EXPECT_EQ((*box)->active(), Active::off);
    EXPECT_FALSE((*box)->confines());
    EXPECT_TRUE((*box)->plan().tmp.empty());
    EXPECT_THAT((*box)->command_argv("ls", "/"), ElementsAre("/bin/bash", "-c", "ls"));
}

TEST(SandboxCreate, TheBackendIsChosenOnFirstNeedAndANoticeSaysWhenNoneWorks)
{
    // No self_exe: the landlock supervisor cannot run, so nothing can confine.
    auto box = Sandbox::create(Settings{ .mode = Mode::read_only, .backend = Backend::landlock });
    ASSERT_TRUE(box.has_value());
    std::vector<std::string> notices;
    // Set after create(): create() has not chosen yet, so the notice still comes.
    (*box)->on_unavailable([&](std::string_view reason) { notices.emplace_back(reason); });
    EXPECT_TRUE(notices.empty());
    EXPECT_EQ((*box)->active(), Active::unavailable);
    EXPECT_FALSE((*box)->confines());
    EXPECT_THAT((*box)->command_argv("ls", "/"), ElementsAre("/bin/bash", "-c", "ls"));
    ASSERT_EQ(notices.size(), 1u); // once, however often it is asked
    EXPECT_EQ(notices[0], (*box)->unavailable_reason());
}

TEST(SandboxCreate, ThePrivateTmpIsRemovedWithTheSandbox)
{
    std::filesystem::path tmp;
    {
        auto box = Sandbox::create(Settings{ .mode = Mode::read_only, .backend = Backend::landlock });
        ASSERT_TRUE(box.has_value());
        tmp = (*box)->plan().tmp;
        ASSERT_TRUE(std::filesystem::is_directory(tmp));
        // No self_exe: the landlock supervisor cannot run, so nothing is confined.
        EXPECT_EQ((*box)->active(), Active::unavailable);
        EXPECT_FALSE((*box)->unavailable_reason().empty());
    }
    EXPECT_FALSE(std::filesystem::exists(tmp));
}

// The filter refuses TIOCSTI, also with high bits set in the request (the
// kernel reads its low 32), and leaves other ioctls alone: on /dev/null,
// which is no terminal, an allowed ioctl fails with ENOTTY instead.
TEST(SandboxTerminalFilter, TiocstiIsRefusedAndOtherIoctlsPass)
{
    IK_SKIP_UNDER_VALGRIND("valgrind does not run seccomp filters");
    auto program = terminal_filter_program();
    ASSERT_TRUE(program.has_value()) << program.error().to_string();
    EXPECT_GT(program->size(), 0u);
    EXPECT_EQ(program->size() % sizeof(sock_filter), 0u);

    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // Opened by terminal_filter_program() above, before the fork.
        const auto& seccomp = internal::seccomp().api();
        scmp_filter_ctx ctx = seccomp.seccomp_init(SCMP_ACT_ALLOW);
        ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        if (!ctx || !add_terminal_rules(ctx) || seccomp.seccomp_load(ctx) != 0)
            ::_exit(10);
        int fd = ::open("/dev/null", O_RDONLY);
        char c = 'x';
        if (::ioctl(fd, TIOCSTI, &c) != -1 || errno != EPERM)
            ::_exit(11);
        if (::syscall(SYS_ioctl, fd, (1UL << 32) | TIOCSTI, &c) != -1 || errno != EPERM)
            ::_exit(12);
        winsize size{};
        if (::ioctl(fd, TIOCGWINSZ, &size) != -1 || errno != ENOTTY)
            ::_exit(13);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10: no filter, 11: TIOCSTI passed, 12: TIOCSTI with high bits passed, "
                                         "13: another ioctl was refused";
}

} // namespace
