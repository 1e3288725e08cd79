// The landlock backend's supervisor: ik re-executed as
//
//   ik __ik-sandbox-exec PARENT_PID [--net] [--write P]... [--ro P]...
//      [--hide P]... [--tmp P] -- /bin/bash -c COMMAND
//
// It is a fresh single-threaded process, so the Landlock ruleset and the
// seccomp filter can be built freely in its forked child, right before that
// child execs bash. The supervisor itself stays unconfined but does nothing
// except wait: it exits with the command's status, and when ik dies (even by
// kill -9: PR_SET_PDEATHSIG) it SIGKILLs its whole process group, which is
// where the command and everything it started live.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/sandbox.h"

namespace ik::sandbox {

inline constexpr std::string_view confined_exec_verb = "__ik-sandbox-exec";

std::vector<std::string> landlock_argv(const std::filesystem::path& self_exe, const Plan& plan,
    std::string_view command, const std::filesystem::path& cwd);

// main() for the verb above; argv[1] is the verb.
int confined_exec_main(int argc, char** argv);

} // namespace ik::sandbox
