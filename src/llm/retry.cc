#include "llm/retry.h"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

namespace ik::llm {

namespace {

std::string_view trim(std::string_view s)
{
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && blank(s.back()))
        s.remove_suffix(1);
    return s;
}

// Digits with at most one '.', scaled by `unit_ms`, capped: no value can
// overflow, and "1e9", "-1", "inf" or "1.2.3" are unreadable (-1).
int64_t parse_decimal_ms(std::string_view text, double unit_ms)
{
    if (text.empty() || text == ".")
        return -1;
    double value = 0;
    double scale = 0; // 0 before the '.', then the weight of the next digit
    for (char c : text) {
        if (c == '.') {
            if (scale != 0)
                return -1;
            scale = 0.1;
        } else if (c < '0' || c > '9') {
            return -1;
        } else if (scale == 0) {
            value = std::min(value * 10 + (c - '0'), 1e18);
        } else {
            value += (c - '0') * scale;
            scale /= 10;
        }
    }
    double ms = value * unit_ms;
    return ms >= static_cast<double>(max_server_delay_ms) ? max_server_delay_ms : static_cast<int64_t>(ms);
}

// `n` digits at `text[at]`, or -1.
int digits(std::string_view text, size_t at, size_t n)
{
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        v = v * 10 + (text[i] - '0');
    }
    return v;
}

// IMF-fixdate, the only HTTP-date form a sender may generate (RFC 9110
// 5.6.7), read by position so that no locale or scanf overflow is involved:
// "Sun, 06 Nov 1994 08:49:37 GMT". -1 when it is anything else.
int64_t parse_http_date(std::string_view text)
{
    static constexpr std::string_view shape = "Www, DD Mmm YYYY HH:MM:SS GMT";
    static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (text.size() != shape.size() || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' || text[16] != ' '
        || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
        return -1;
    size_t month = months.find(text.substr(8, 3));
    int day = digits(text, 5, 2), year = digits(text, 12, 4);
    int hh = digits(text, 17, 2), mm = digits(text, 20, 2), ss = digits(text, 23, 2);
    if (month == std::string_view::npos || month % 3 != 0 || day < 1 || day > 31 || year < 1970 || hh > 23 || mm > 59
        || ss > 60 || hh < 0 || mm < 0 || ss < 0)
        return -1;
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = static_cast<int>(month / 3);
    tm.tm_mday = day;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    return static_cast<int64_t>(timegm(&tm));
}

} // namespace

int64_t parse_retry_after(std::string_view value, int64_t now_unix)
{
    value = trim(value);
    if (value.empty())
        return -1;
    if (value.find_first_not_of("0123456789.") == std::string_view::npos)
        return parse_decimal_ms(value, 1000.0);
    int64_t when = parse_http_date(value);
    if (when < 0)
        return -1;
    if (when <= now_unix)
        return 0;
    return std::min((when - now_unix) * 1000, max_server_delay_ms);
}

int64_t parse_retry_after_ms_header(std::string_view value)
{
    return parse_decimal_ms(trim(value), 1.0);
}

int64_t server_delay_ms(std::string_view retry_after, std::string_view retry_after_ms, int64_t now_unix)
{
    int64_t ms = parse_retry_after_ms_header(retry_after_ms);
    return ms >= 0 ? ms : parse_retry_after(retry_after, now_unix);
}

bool is_retryable(ErrorCode code)
{
    return code == ErrorCode::rate_limit || code == ErrorCode::overloaded || code == ErrorCode::network
        || code == ErrorCode::timeout;
}

Backoff::Backoff(RetryPolicy policy, uint64_t seed)
    : m_policy(policy)
    , m_rng(seed)
{
}

int64_t Backoff::delay_ms(int retry, int64_t server_ms)
{
    if (server_ms >= 0)
        return std::min(server_ms, m_policy.max_retry_after_ms);
    int shift = std::clamp(retry - 1, 0, 30);
    int64_t ceiling = std::min(m_policy.cap_ms, m_policy.base_ms << shift);
    std::uniform_int_distribution<int64_t> dist(0, std::max<int64_t>(ceiling, 0));
    return dist(m_rng);
}

std::string retry_notice(std::string_view what, int attempt, int attempts, int64_t delay_ms)
{
    return fmt::format(
        "{}, retrying in {:.1f} s (attempt {} of {})", what, static_cast<double>(delay_ms) / 1000.0, attempt, attempts);
}

} // namespace ik::llm
