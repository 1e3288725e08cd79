// The Landlock + seccomp backend, for kernels or containers where bubblewrap
// cannot create namespaces.
//
// Landlock rules only ever grant, and a rule on a directory covers everything
// beneath it, so "read everything except ~/.config/ik" is built by granting
// each sibling on the way down instead of "/" itself (grant_except below).
// The price, documented in docs/safety.md: a directory that contains an
// exception (/, $HOME, the project root when `.git/config` is protected) is
// not itself listable or writable — new files go into subdirectories.
//
// The network: with Landlock ABI >= 4 TCP bind/connect is refused; a seccomp
// filter (libseccomp) refuses socket(AF_INET/AF_INET6) on every kernel, which
// also covers UDP. Both apply to the calling process and are inherited by
// everything it starts; there is no way back.
#pragma once

#include <string>

#include "core/result.h"
#include "sandbox/sandbox.h"

namespace ik::sandbox {

// The Landlock ABI version the kernel offers; 0 when it has none.
int landlock_abi();

// Restricts the calling process (and its future children) to `plan`.
// Needs a single-threaded process: it runs in the supervisor's child.
Result<void> apply_landlock(const Plan& plan);
// The terminal rules (terminal_filter.h) and, without network, no IPv4 or
// IPv6 sockets.
Result<void> apply_seccomp(bool network);

} // namespace ik::sandbox
