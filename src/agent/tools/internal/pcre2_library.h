// PCRE2 (8-bit), opened on the first grep (core/lazy_library.h).
#pragma once

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "core/lazy_library.h"

namespace ik::agent::internal {

#define IK_PCRE2_FUNCTIONS(X)                                                                                          \
    X(pcre2_code_free)                                                                                                 \
    X(pcre2_compile)                                                                                                   \
    X(pcre2_get_error_message)                                                                                         \
    X(pcre2_jit_compile)                                                                                               \
    X(pcre2_match)                                                                                                     \
    X(pcre2_match_data_create_from_pattern)                                                                            \
    X(pcre2_match_data_free)

IK_LAZY_API(Pcre2Api, IK_PCRE2_FUNCTIONS)

const LazyLibrary<Pcre2Api>& pcre2();

} // namespace ik::agent::internal
