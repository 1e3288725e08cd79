#include "app/sources_text.h"

#include <fmt/format.h>

namespace ik::app {

std::string one_line(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F) {
            out += ' ';
        } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80
            && static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            out += ' '; // a C1 control (U+0080–U+009F), CSI among them
            ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string search_progress(const llm::Event& search)
{
    if (!search.raw_reason.empty())
        return fmt::format("web search failed: {}", one_line(search.raw_reason));
    if (search.text.empty())
        return "searching the web";
    return fmt::format("searching: {}", one_line(search.text));
}

std::string sources_text(std::span<const store::SourceRecord> sources)
{
    if (sources.empty())
        return {};
    std::string out = "Sources:\n";
    int n = 0;
    for (const store::SourceRecord& s : sources) {
        std::string url = one_line(s.url);
        if (url.find(' ') != std::string::npos)
            continue; // not a URL a person should follow
        std::string title = one_line(s.title);
        if (title.empty())
            out += fmt::format("[{}] {}\n", ++n, url);
        else
            out += fmt::format("[{}] {} — {}\n", ++n, title, url);
    }
    return out;
}

} // namespace ik::app
