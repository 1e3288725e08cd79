// HTML to Markdown for web_fetch: the page's text in the shape the model
// reads best (headings, paragraphs, links as [text](absolute url), lists,
// code blocks, rough tables), without scripts, styles, navigation and form
// controls.
//
// The HTML is parsed by gumbo (Google's HTML5 parser, from Debian), which
// builds the tree a browser would from any byte soup, opened on the first
// call (web/internal/gumbo_library.h); this file's .cc is the only one that
// uses it. The page is hostile: the tree lives
// in an arena freed in one step (no recursive free of a deep tree), a page
// nesting deeper than max_html_nesting is cut there (nesting_guard.h: the
// parser's cost grows with depth × tags), the walk
// descends at most max_html_depth levels (deeper content is flattened to text
// without recursion), the output stops growing past `max_bytes`, and control
// characters and escape sequences are removed from the result
// (text_clean.h).
//
//   Markdown md = TRY(html_to_markdown(body, "https://example.com/a/", 100'000));
//   // md.title, md.text, md.truncated
//
// Owns its strings.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace ik::web {

inline constexpr int max_html_depth = 100;

struct Markdown {
    std::string title; // the <title>, whitespace collapsed; may be empty
    std::string text; // the body as Markdown, at most max_bytes
    bool truncated = false; // more than max_bytes of text, or cut where it nested too deep
};

// `base_url` resolves relative links and images (the page's final URL, or
// its <base href>). Links that are not http(s) keep only their text. Fails
// only when gumbo, opened on the first call, cannot be.
Result<Markdown> html_to_markdown(std::string_view html, std::string_view base_url, size_t max_bytes);

} // namespace ik::web
