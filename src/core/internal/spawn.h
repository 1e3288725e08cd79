// What ik's two child-process owners (Process, PipeChild) spawn with: the
// posix_spawn attributes that start a child clean (its own process group or
// session, an empty signal mask, default dispositions: ik's Loop blocks the
// signals it watches, and a child must not inherit that), fds closed on every
// early return, and the char* arrays posix_spawn takes.
//
// Owns: SpawnAttrs its attribute and file-action objects; FdPair its open
// fds. Borrows: c_strings() points into the strings it is given.
#pragma once

#include <csignal>
#include <string>
#include <utility>
#include <vector>

#include <spawn.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

namespace ik::internal {

struct FdPair {
    int fds[2] = { -1, -1 };
    FdPair() = default;
    FdPair(const FdPair&) = delete;
    FdPair& operator=(const FdPair&) = delete;
    ~FdPair()
    {
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
    }
    int take(int end) { return std::exchange(fds[end], -1); }
};

struct SpawnAttrs {
    posix_spawnattr_t attr{};
    posix_spawn_file_actions_t actions{};
    // `group`: POSIX_SPAWN_SETPGROUP (a process group of its own) or
    // POSIX_SPAWN_SETSID (a session of its own, for a pty's child).
    explicit SpawnAttrs(short group)
    {
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_init(&actions);
        sigset_t empty, all;
        sigemptyset(&empty);
        sigfillset(&all);
        posix_spawnattr_setflags(&attr, static_cast<short>(group | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
        posix_spawnattr_setpgroup(&attr, 0);
        posix_spawnattr_setsigmask(&attr, &empty);
        posix_spawnattr_setsigdefault(&attr, &all);
    }
    SpawnAttrs(const SpawnAttrs&) = delete;
    SpawnAttrs& operator=(const SpawnAttrs&) = delete;
    ~SpawnAttrs()
    {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
};

// The null-terminated array of pointers into `strings` (which must outlive
// it and not change).
inline std::vector<char*> c_strings(std::vector<std::string>& strings)
{
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

inline int pidfd_open(pid_t pid)
{
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

} // namespace ik::internal
