#include "web/internal/gumbo_library.h"

namespace ik::web::internal {

const LazyLibrary<GumboApi>& gumbo()
{
    static const LazyLibrary<GumboApi> library(IK_GUMBO_SONAME, "reading HTML");
    return library;
}

} // namespace ik::web::internal
