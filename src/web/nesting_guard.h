// A cheap pass over raw HTML that finds where its elements nest deeper than
// a limit, before the real parser sees it.
//
// The HTML5 tree builder checks "is there a <p> in button scope" and the like
// by walking the stack of open elements, so a page of a thousand nested
// <div>s followed by a flood of sibling <div>s costs depth × tags steps: a
// 2 MiB page could hold the loop for seconds. Cutting the page where the
// nesting passes the limit bounds that at limit × tags. The count is an
// estimate (void elements and elements closed implicitly, such as <p> and
// <li>, are not counted; comments and raw text are skipped), which is all a
// safety limit needs: ordinary pages nest a few dozen levels.
//
// Owns nothing.
#pragma once

#include <cstddef>
#include <string_view>

namespace ik::web {

inline constexpr size_t max_html_nesting = 512;

// The length of the longest prefix of `html` whose estimated nesting stays
// within `limit`; html.size() when all of it does.
size_t nesting_prefix(std::string_view html, size_t limit = max_html_nesting);

} // namespace ik::web
