#include "sandbox/confined_exec.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/internal/seccomp_library.h"
#include "sandbox/landlock.h"

namespace ik::sandbox {

namespace {

void kill_group(int)
{
    ::kill(0, SIGKILL);
    ::_exit(137);
}

struct Parsed {
    pid_t parent = 0;
    Plan plan;
    std::filesystem::path cwd;
    std::vector<char*> command;
};

bool parse(int argc, char** argv, Parsed& p)
{
    if (argc < 3)
        return false;
    p.parent = static_cast<pid_t>(std::strtol(argv[2], nullptr, 10));
    for (int i = 3; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--") {
            for (int k = i + 1; k < argc; ++k)
                p.command.push_back(argv[k]);
            p.command.push_back(nullptr);
            return p.command.size() > 1;
        }
        if (a == "--net") {
            p.plan.network = true;
            continue;
        }
        if (i + 1 >= argc)
            return false;
        std::filesystem::path value = argv[++i];
        if (a == "--write")
            p.plan.writable.push_back(value);
        else if (a == "--ro")
            p.plan.read_only.push_back(value);
        else if (a == "--hide")
            p.plan.hidden.push_back(value);
        else if (a == "--tmp")
            p.plan.tmp = value;
        else if (a == "--cwd")
            p.cwd = value;
        else
            return false;
    }
    return false;
}

[[noreturn]] void run_child(const Parsed& p)
{
    ::signal(SIGUSR1, SIG_DFL);
    auto confined = apply_landlock(p.plan);
    if (confined)
        confined = apply_seccomp(p.plan.network);
    if (!confined) {
        fmt::print(stderr, "ik: cannot confine the command: {}\n", confined.error().to_string());
        ::_exit(126);
    }
    if (!p.cwd.empty() && ::chdir(p.cwd.c_str()) != 0) {
        fmt::print(stderr, "ik: cannot enter {}: {}\n", p.cwd.string(), std::strerror(errno));
        ::_exit(126);
    }
    ::execv(p.command[0], p.command.data());
    fmt::print(stderr, "ik: cannot run {}: {}\n", p.command[0], std::strerror(errno));
    ::_exit(127);
}

} // namespace

std::vector<std::string> landlock_argv(
    const std::filesystem::path& self_exe, const Plan& plan, std::string_view command, const std::filesystem::path& cwd)
{
    std::vector<std::string> a = { self_exe.string(), std::string(confined_exec_verb), fmt::format("{}", ::getpid()) };
    if (plan.network)
        a.emplace_back("--net");
    for (auto& w : plan.writable)
        a.insert(a.end(), { "--write", w.string() });
    for (auto& r : plan.read_only)
        a.insert(a.end(), { "--ro", r.string() });
    for (auto& h : plan.hidden)
        a.insert(a.end(), { "--hide", h.string() });
    if (!plan.tmp.empty())
        a.insert(a.end(), { "--tmp", plan.tmp.string() });
    if (!cwd.empty())
        a.insert(a.end(), { "--cwd", cwd.string() });
    a.insert(a.end(), { "--", "/bin/bash", "-c", std::string(command) });
    return a;
}

int confined_exec_main(int argc, char** argv)
{
    Parsed p;
    if (!parse(argc, argv, p)) {
        fmt::print(stderr, "ik: {}: malformed arguments (internal use only)\n", confined_exec_verb);
        return 126;
    }
    // ik dying, however it dies, takes the command's process group along.
    ::signal(SIGUSR1, kill_group);
    ::prctl(PR_SET_PDEATHSIG, SIGUSR1);
    if (::getppid() != p.parent)
        kill_group(0);
    // The child applies the seccomp filter: libseccomp is opened before the fork.
    if (auto loaded = internal::seccomp().ensure(); !loaded) {
        fmt::print(stderr, "ik: cannot confine the command: {}\n", loaded.error().to_string());
        return 126;
    }
    pid_t child = ::fork();
    if (child < 0) {
        fmt::print(stderr, "ik: fork: {}\n", std::strerror(errno));
        return 126;
    }
    if (child == 0)
        run_child(p);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            return 126;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    int sig = WTERMSIG(status);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
    return 128 + sig;
}

} // namespace ik::sandbox
