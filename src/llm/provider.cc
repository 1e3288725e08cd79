#include "llm/provider.h"

#include <cctype>
#include <ctime>

#include "llm/providers/anthropic.h"
#include "llm/providers/gemini.h"
#include "llm/providers/openai_chat.h"
#include "llm/providers/openai_responses.h"

namespace ik::llm {

std::string_view to_string(WireFormat format)
{
    switch (format) {
    case WireFormat::openai_chat:
        return "openai_chat";
    case WireFormat::openai_responses:
        return "openai_responses";
    case WireFormat::anthropic:
        return "anthropic";
    case WireFormat::gemini:
        return "gemini";
    }
    return "unknown";
}

const Provider& provider_for(WireFormat format)
{
    // Stateless singletons: constructed once, never destroyed order-sensitively.
    static const OpenAiChat chat;
    static const OpenAiResponses responses;
    static const Anthropic anthropic;
    static const Gemini gemini;
    switch (format) {
    case WireFormat::openai_chat:
        return chat;
    case WireFormat::openai_responses:
        return responses;
    case WireFormat::anthropic:
        return anthropic;
    case WireFormat::gemini:
        return gemini;
    }
    return chat;
}

bool is_retryable(ErrorCode code)
{
    return code == ErrorCode::rate_limit || code == ErrorCode::overloaded;
}

int64_t parse_retry_after_ms(std::string_view header, int64_t now_unix)
{
    while (!header.empty() && std::isspace(static_cast<unsigned char>(header.front())))
        header.remove_prefix(1);
    while (!header.empty() && std::isspace(static_cast<unsigned char>(header.back())))
        header.remove_suffix(1);
    if (header.empty())
        return -1;
    if (header.find_first_not_of("0123456789.") == std::string_view::npos) {
        double seconds = 0, scale = 0;
        for (char c : header) {
            if (c == '.') {
                if (scale != 0)
                    return -1;
                scale = 0.1;
            } else if (scale == 0) {
                seconds = seconds * 10 + (c - '0');
            } else {
                seconds += (c - '0') * scale;
                scale /= 10;
            }
        }
        return seconds > 86400.0 * 365 ? -1 : static_cast<int64_t>(seconds * 1000);
    }
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
    static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char wday[4], mon[4];
    int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
    std::string text(header);
    if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d GMT", wday, &day, mon, &year, &hh, &mm, &ss) != 7)
        return -1;
    size_t m = months.find(std::string_view(mon, 3));
    if (m == std::string_view::npos || m % 3 != 0)
        return -1;
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = static_cast<int>(m / 3);
    tm.tm_mday = day;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    int64_t when = static_cast<int64_t>(timegm(&tm));
    return when <= now_unix ? 0 : (when - now_unix) * 1000;
}

} // namespace ik::llm
