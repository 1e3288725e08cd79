#include "tui/internal/unibreak_library.h"

namespace ik::tui::internal {

const LazyLibrary<UnibreakApi>& unibreak()
{
    static const LazyLibrary<UnibreakApi> library = [] {
        LazyLibrary<UnibreakApi> l(IK_UNIBREAK_SONAME, "line wrapping");
        if (l.loaded())
            l.api().init_linebreak();
        return l;
    }();
    return library;
}

} // namespace ik::tui::internal
