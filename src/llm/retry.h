// When and how long to wait before trying a request again.
//
// Retried: HTTP 429, 5xx (529 included), overloaded/rate-limit error events
// that arrive before any content, and network failures or idle timeouts
// before any content. Never retried: anything after content reached the
// sink (the user already saw it), auth and bad-request errors.
//
// The wait is exponential backoff with full jitter (AWS architecture blog,
// "Exponential Backoff And Jitter"): uniform in [0, min(cap, base * 2^n)],
// except that a server's Retry-After / retry-after-ms wins when present.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "core/error.h"

namespace ik::llm {

struct RetryPolicy {
    int max_retries = 3; // retries after the first attempt
    int64_t base_ms = 500;
    int64_t cap_ms = 30'000;
    int64_t max_retry_after_ms = 120'000; // a longer Retry-After is not waited for
};

// The one home of the server's word on waiting, and of which failures are
// retried at all.
//
// A server's requested delay is capped here (a day) so that no header value,
// however large, overflows; Backoff then caps it again at max_retry_after_ms.
inline constexpr int64_t max_server_delay_ms = 86'400'000;

// Retry-After: delay-seconds ("7"; a fraction such as "1.5" is accepted) or an
// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", relative to `now_unix`, 0 when
// already past). Milliseconds, at most max_server_delay_ms; -1 when absent or
// unreadable.
int64_t parse_retry_after(std::string_view value, int64_t now_unix);
// retry-after-ms (OpenAI, Anthropic): milliseconds, capped the same way. -1
// when absent or unreadable.
int64_t parse_retry_after_ms_header(std::string_view value);
// Both headers of one reply: retry-after-ms wins (it is the more precise).
int64_t server_delay_ms(std::string_view retry_after, std::string_view retry_after_ms, int64_t now_unix);

// Whether a failure with this code is worth another attempt: rate_limit,
// overloaded (every 5xx and 529 is classified so), network and timeout (408
// too). The HTTP status decides only through the code classify_http_error()
// gives it, so a provider can mark a 429 as final (a spent quota).
bool is_retryable(ErrorCode code);

class Backoff {
public:
    explicit Backoff(RetryPolicy policy, uint64_t seed = std::random_device{}());
    // The delay before retry number `retry` (1-based); `server_ms` >= 0 wins.
    int64_t delay_ms(int retry, int64_t server_ms);
    const RetryPolicy& policy() const { return m_policy; }

private:
    RetryPolicy m_policy;
    std::mt19937_64 m_rng;
};

// "overloaded (529), retrying in 1.2 s (attempt 2 of 4)"
std::string retry_notice(std::string_view what, int attempt, int attempts, int64_t delay_ms);

} // namespace ik::llm
