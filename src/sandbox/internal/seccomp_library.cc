#include "sandbox/internal/seccomp_library.h"

namespace ik::sandbox::internal {

const LazyLibrary<SeccompApi>& seccomp()
{
    static const LazyLibrary<SeccompApi> library(IK_SECCOMP_SONAME, "the sandbox's seccomp filter");
    return library;
}

} // namespace ik::sandbox::internal
