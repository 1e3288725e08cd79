// libunibreak, opened the first time the scrollback wraps a line
// (core/lazy_library.h): headless runs never wrap.
#pragma once

#include <linebreak.h>

#include "core/lazy_library.h"

namespace ik::tui::internal {

#define IK_UNIBREAK_FUNCTIONS(X) X(init_linebreak) X(set_linebreaks_utf8)

IK_LAZY_API(UnibreakApi, IK_UNIBREAK_FUNCTIONS)

// Opened and initialised (init_linebreak) once per process.
const LazyLibrary<UnibreakApi>& unibreak();

} // namespace ik::tui::internal
