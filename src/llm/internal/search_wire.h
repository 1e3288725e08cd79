// Server-side web search on the stream: the caps and checks every provider's
// decoder applies before a search or a source reaches the sink.
//
// The queries, URLs and titles come from the provider (and, through it, from
// any web page), so they are untrusted: a URL must be http(s) and at most
// max_url_bytes (longer or other schemes are dropped, not cut: a cut URL
// leads elsewhere); a title or query is cut at a UTF-8 boundary. A response
// emits at most max_searches searches and max_sources sources; the rest are
// counted and dropped, so a hostile stream cannot grow the reply's record.
// Escape sequences are stripped where the text is shown (tui/visible.h).
//
// Owns nothing; the views it emits borrow from the caller's event.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.h"
#include "llm/event.h"

namespace ik::llm::wire {

inline constexpr size_t max_url_bytes = 2048;
inline constexpr size_t max_title_bytes = 300;
inline constexpr size_t max_query_bytes = 500;
inline constexpr int max_searches = 32;
inline constexpr int max_sources = 200;

// `text` cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view text, size_t max);
// An http:// or https:// URL of printable ASCII, at most max_url_bytes.
bool acceptable_url(std::string_view url);

// Per response (one per decoder).
class SearchEvents {
public:
    // A search the provider ran; `error_code` is set when it failed.
    Result<void> search(StreamSink& sink, std::string_view query, std::string_view error_code = {});
    // A page the reply drew on; unacceptable URLs are dropped.
    Result<void> source(StreamSink& sink, std::string_view url, std::string_view title, bool cited);

private:
    int m_searches = 0;
    int m_sources = 0;
};

} // namespace ik::llm::wire
