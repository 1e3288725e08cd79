#include "llm/retry.h"

#include <algorithm>
#include <charconv>
#include <ctime>

#include <fmt/format.h>

namespace ik::llm {

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

} // namespace

int64_t parse_retry_after(std::string_view value)
{
    value = trim(value);
    if (value.empty())
        return -1;
    double seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && end == value.data() + value.size())
        return seconds < 0 ? -1 : static_cast<int64_t>(seconds * 1000);
    // HTTP-date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    std::tm tm{};
    std::string copy(value);
    if (!strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm))
        return -1;
    time_t at = timegm(&tm);
    time_t now = std::time(nullptr);
    return at <= now ? 0 : static_cast<int64_t>(at - now) * 1000;
}

int64_t parse_retry_after_ms_header(std::string_view value)
{
    value = trim(value);
    double ms = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() || ms < 0)
        return -1;
    return static_cast<int64_t>(ms);
}

bool is_retryable_status(int status)
{
    return status == 429 || status == 408 || (status >= 500 && status <= 599);
}

bool is_retryable_code(ErrorCode code)
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
