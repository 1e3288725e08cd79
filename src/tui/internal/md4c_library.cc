#include "tui/internal/md4c_library.h"

namespace ik::tui::internal {

const LazyLibrary<Md4cApi>& md4c()
{
    static const LazyLibrary<Md4cApi> library(IK_MD4C_SONAME, "Markdown rendering");
    return library;
}

} // namespace ik::tui::internal
