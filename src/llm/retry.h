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

// Retry-After: delay-seconds (possibly fractional) or an HTTP date. -1 if
// absent or unparseable.
int64_t parse_retry_after(std::string_view value);
// retry-after-ms (OpenAI, Anthropic): milliseconds. -1 if absent.
int64_t parse_retry_after_ms_header(std::string_view value);

bool is_retryable_status(int status);
bool is_retryable_code(ErrorCode code);

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
