// The bubblewrap backend: one `bwrap` command line per shell command.
//
// The mounts, in order (later ones cover earlier ones): the whole filesystem
// read-only, a fresh /dev and /proc, the session's private directory as /tmp,
// the writable paths bound read-write, the protected paths inside them bound
// read-only again, and an empty tmpfs over every hidden directory. The
// command gets its own PID namespace (--unshare-pid; bwrap's init dies with
// ik through --die-with-parent, taking every process in it along) and, unless
// the plan allows the network, its own empty network namespace.
//
// It stays in ik's session and in the process group ik made for bwrap: a
// group kill reaches bwrap's init even while bwrap still sets up, before
// --die-with-parent is armed (with --new-session, a cancel in that window
// left the command running, orphaned). The terminal filter
// (terminal_filter.h), read from fd 3 (`--seccomp 3`, ProcessOptions::fd3),
// keeps the shared terminal out of reach instead.
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
