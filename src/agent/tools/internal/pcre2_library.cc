#include "agent/tools/internal/pcre2_library.h"

namespace ik::agent::internal {

const LazyLibrary<Pcre2Api>& pcre2()
{
    static const LazyLibrary<Pcre2Api> library(IK_PCRE2_SONAME, "grep");
    return library;
}

} // namespace ik::agent::internal
