// ik::sandbox terminal filter — seccomp rules that keep a confined command
// from typing into ik's terminal.
//
// A confined command stays in ik's session, so that killing its process
// group reaches every process it started, bwrap's namespace init included
// (a new session would put them out of reach of the group kill for as long
// as bwrap sets itself up). Staying in the session means sharing its
// controlling terminal: TIOCSTI would push bytes into the terminal's input
// queue, which the user's shell reads after ik exits, outside any sandbox;
// TIOCLINUX (a Linux console's selection paste) does the same. Under these
// rules both ioctls fail with EPERM. The request number is compared in its
// low 32 bits, as the kernel reads it.
//
// Owns: nothing (the libseccomp context is the caller's).
#pragma once

#include <string>

#include <seccomp.h>

#include "core/result.h"

namespace ik::sandbox {

Result<void> add_terminal_rules(scmp_filter_ctx ctx);

// The rules alone as the BPF program bwrap's `--seccomp FD` reads.
Result<std::string> terminal_filter_program();

} // namespace ik::sandbox
