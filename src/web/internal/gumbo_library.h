// gumbo, opened the first time web_fetch turns an HTML page into Markdown
// (core/lazy_library.h).
#pragma once

#include <gumbo.h>

#include "core/lazy_library.h"

namespace ik::web::internal {

#define IK_GUMBO_FUNCTIONS(X) X(gumbo_parse_with_options) X(gumbo_get_attribute) X(kGumboDefaultOptions)

IK_LAZY_API(GumboApi, IK_GUMBO_FUNCTIONS)

const LazyLibrary<GumboApi>& gumbo();

} // namespace ik::web::internal
