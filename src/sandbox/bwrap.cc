#include "sandbox/bwrap.h"

#include <cerrno>

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace ik::sandbox {

std::vector<std::string> bwrap_argv(const Plan& plan, std::string_view command, const std::filesystem::path& cwd)
{
    std::vector<std::string> a = { "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc" };
    if (!plan.tmp.empty())
        a.insert(a.end(), { "--bind", plan.tmp.string(), "/tmp" });
    // A project under /tmp would vanish behind the private /tmp; read-only
    // mode binds nothing writable, so show it again (writable binds follow).
    if (!plan.project.empty())
        a.insert(a.end(), { "--ro-bind", plan.project.string(), plan.project.string() });
    for (auto& w : plan.writable)
        if (w != plan.tmp)
            a.insert(a.end(), { "--bind", w.string(), w.string() });
    for (auto& r : plan.read_only)
        a.insert(a.end(), { "--ro-bind", r.string(), r.string() });
    for (auto& h : plan.hidden)
        a.insert(a.end(), { "--tmpfs", h.string(), "--remount-ro", h.string() });
    a.insert(a.end(), { "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--seccomp", "3" });
    if (!plan.network)
        a.emplace_back("--unshare-net");
    if (!cwd.empty())
        a.insert(a.end(), { "--chdir", cwd.string() });
    a.insert(a.end(), { "--", "/bin/bash", "-c", std::string(command) });
    return a;
}

std::string probe_bwrap()
{
    std::vector<std::string> args
        = { "bwrap", "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net", "--die-with-parent", "--", "/bin/true" };
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& s : args)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, "bwrap", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return "bwrap is not installed (Debian: apt install bubblewrap)";
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return {};
    return "bwrap cannot create namespaces here (user namespaces disabled?)";
}

} // namespace ik::sandbox
