#include "llm/internal/search_wire.h"

namespace ik::llm::wire {

std::string_view cut_utf8(std::string_view text, size_t max)
{
    if (text.size() <= max)
        return text;
    size_t end = max;
    // Back up over continuation bytes (10xxxxxx) to the start of a sequence.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    return text.substr(0, end);
}

bool acceptable_url(std::string_view url)
{
    if (url.size() > max_url_bytes)
        return false;
    if (!url.starts_with("https://") && !url.starts_with("http://"))
        return false;
    size_t scheme = url.find("://") + 3;
    if (url.size() == scheme)
        return false;
    for (char c : url)
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F)
            return false;
    return true;
}

Result<void> SearchEvents::search(StreamSink& sink, std::string_view query, std::string_view error_code)
{
    if (m_searches >= max_searches)
        return {};
    ++m_searches;
    Event e;
    e.kind = StreamEventKind::search;
    e.text = cut_utf8(query, max_query_bytes);
    e.raw_reason = cut_utf8(error_code, 64);
    return sink.on_event(e);
}

Result<void> SearchEvents::source(StreamSink& sink, std::string_view url, std::string_view title, bool cited)
{
    if (m_sources >= max_sources || !acceptable_url(url))
        return {};
    ++m_sources;
    Event e;
    e.kind = StreamEventKind::source;
    e.text = url;
    e.name = cut_utf8(title, max_title_bytes);
    e.index = cited ? 1 : 0;
    return sink.on_event(e);
}

} // namespace ik::llm::wire
