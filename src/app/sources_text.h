// How a reply's web search shows: the progress line while the provider
// searches, and the numbered sources under the reply, in the REPL, in
// `ik -p` text output, on resume and in `ik sessions show`.
//
//   [1] Rust 1.80 released — https://blog.rust-lang.org/…
//   [2] https://example.com/untitled
//
// Titles and queries come from web pages through the provider: every control
// character (C0, DEL, C1, so every escape sequence's introducer) becomes a
// space and a title is one line. URLs were checked to be printable ASCII
// http(s) by the decoder (llm/internal/search_wire.h), and are checked again
// here, since a store can hold anything.
//
// Returns plain std::string values; owns nothing else.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "llm/event.h"
#include "store/records.h"

namespace ik::app {

// `text` on one line with every control character replaced by a space.
std::string one_line(std::string_view text);

// "searching: <query>", "searching the web", "web search failed: <code>".
std::string search_progress(const llm::Event& search);

// "Sources:" and one "[n] title — url" line per source, each ending in '\n';
// "" when there are none.
std::string sources_text(std::span<const store::SourceRecord> sources);

} // namespace ik::app
