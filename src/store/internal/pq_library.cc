#include "store/internal/pq_library.h"

namespace ik::store::internal {

const LazyLibrary<PqApi>& libpq()
{
    static const LazyLibrary<PqApi> library(IK_PQ_SONAME, "a PostgreSQL store");
    return library;
}

} // namespace ik::store::internal
