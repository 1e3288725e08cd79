// Tests whose subject valgrind changes (it emulates posix_spawn with
// fork+exec, runs job control and forked writers differently) skip under
// scripts/valgrind-tests.sh; the ASan run covers them.
#pragma once

#include <cstdlib>

#include <gtest/gtest.h>

#define IK_SKIP_UNDER_VALGRIND(why)                                                                                    \
    do {                                                                                                               \
        if (std::getenv("IK_UNDER_VALGRIND"))                                                                          \
            GTEST_SKIP() << "under valgrind: " << (why);                                                               \
    } while (0)
