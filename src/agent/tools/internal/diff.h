// A unified-diff-style view of one change, for the approval prompt and the
// UI. Edits made by the tools are local (one replacement, or several of the
// same string), so the diff is one hunk: the lines between the common prefix
// and the common suffix, with a little context. That is exact for a single
// edit and still readable for replace_all; it is not a general diff.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ik::agent::internal {

struct DiffStats {
    size_t added = 0;
    size_t removed = 0;
};

// "--- a/PATH\n+++ b/PATH\n@@ -3,4 +3,5 @@\n ...". Empty when equal.
std::string unified_diff(std::string_view path, std::string_view before, std::string_view after,
    DiffStats* stats = nullptr, size_t context = 3);

} // namespace ik::agent::internal
