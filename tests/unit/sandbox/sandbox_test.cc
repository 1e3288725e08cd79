// The sandbox's pure parts: the environment allow-list, the bwrap command
// line, the landlock supervisor's command line, the mode names. The real
// confinement is tested against the real binary (integration/sandbox_test.cc).
#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sandbox/bwrap.h"
#include "sandbox/confined_exec.h"
#include "sandbox/environment.h"
#include "sandbox/sandbox.h"

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
    for (auto flag : { "--unshare-pid", "--die-with-parent", "--new-session", "--unshare-net" })
        EXPECT_THAT(a, Contains(flag));
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

} // namespace
