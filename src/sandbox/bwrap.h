// The bubblewrap backend: one `bwrap` command line per shell command.
//
// The mounts, in order (later ones cover earlier ones): the whole filesystem
// read-only, a fresh /dev and /proc, the session's private directory as /tmp,
// the writable paths bound read-write, the protected paths inside them bound
// read-only again, and an empty tmpfs over every hidden directory. The
// command gets its own PID namespace (--unshare-pid; bwrap's init dies with
// ik through --die-with-parent, taking every process in it along), a new
// session (--new-session: no TIOCSTI into ik's terminal) and, unless the plan
// allows the network, its own empty network namespace.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/sandbox.h"

namespace ik::sandbox {

std::vector<std::string> bwrap_argv(const Plan& plan, std::string_view command, const std::filesystem::path& cwd);

// Runs `bwrap ... /bin/true` with the namespaces the real commands need.
// Returns an empty string when that works, else why not.
std::string probe_bwrap();

} // namespace ik::sandbox
