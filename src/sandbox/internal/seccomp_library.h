// libseccomp, opened the first time a command is confined
// (core/lazy_library.h). Code that applies a filter in a forked child opens
// it before the fork: dlopen after fork is not safe in a threaded process.
#pragma once

#include <seccomp.h>

#include "core/lazy_library.h"

namespace ik::sandbox::internal {

#define IK_SECCOMP_FUNCTIONS(X)                                                                                        \
    X(seccomp_export_bpf)                                                                                              \
    X(seccomp_init)                                                                                                    \
    X(seccomp_load)                                                                                                    \
    X(seccomp_release)                                                                                                 \
    X(seccomp_rule_add)

IK_LAZY_API(SeccompApi, IK_SECCOMP_FUNCTIONS)

const LazyLibrary<SeccompApi>& seccomp();

} // namespace ik::sandbox::internal
