// md4c, opened on the first Markdown render (core/lazy_library.h): headless
// runs never render Markdown, and the REPL needs it only once a reply shows.
#pragma once

#include <md4c.h>

#include "core/lazy_library.h"

namespace ik::tui::internal {

#define IK_MD4C_FUNCTIONS(X) X(md_parse)

IK_LAZY_API(Md4cApi, IK_MD4C_FUNCTIONS)

const LazyLibrary<Md4cApi>& md4c();

} // namespace ik::tui::internal
