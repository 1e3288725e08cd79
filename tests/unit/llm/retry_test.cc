#include <gtest/gtest.h>

#include "llm/retry.h"

using namespace ik;
using namespace ik::llm;

TEST(Retry, ParsesRetryAfterSecondsAndDates)
{
    EXPECT_EQ(parse_retry_after("2"), 2000);
    EXPECT_EQ(parse_retry_after(" 1.5\r\n"), 1500);
    EXPECT_EQ(parse_retry_after(""), -1);
    EXPECT_EQ(parse_retry_after("soon"), -1);
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), 0); // in the past
    EXPECT_EQ(parse_retry_after_ms_header("250"), 250);
    EXPECT_EQ(parse_retry_after_ms_header("x"), -1);
}

TEST(Retry, WhichFailuresAreRetried)
{
    for (int s : { 429, 500, 502, 503, 529 })
        EXPECT_TRUE(is_retryable_status(s)) << s;
    for (int s : { 400, 401, 403, 404, 413 })
        EXPECT_FALSE(is_retryable_status(s)) << s;
    EXPECT_TRUE(is_retryable_code(ErrorCode::overloaded));
    EXPECT_TRUE(is_retryable_code(ErrorCode::rate_limit));
    EXPECT_FALSE(is_retryable_code(ErrorCode::auth));
    EXPECT_FALSE(is_retryable_code(ErrorCode::context_too_long));
}

TEST(Retry, FullJitterStaysUnderTheExponentialCeiling)
{
    Backoff b({ .max_retries = 5, .base_ms = 100, .cap_ms = 1000, .max_retry_after_ms = 5000 }, 42);
    for (int retry = 1; retry <= 6; ++retry) {
        int64_t ceiling = std::min<int64_t>(1000, 100 << (retry - 1));
        for (int i = 0; i < 50; ++i) {
            int64_t d = b.delay_ms(retry, -1);
            EXPECT_GE(d, 0);
            EXPECT_LE(d, ceiling);
        }
    }
    EXPECT_EQ(b.delay_ms(1, 1234), 1234); // the server's word wins
    EXPECT_EQ(b.delay_ms(1, 999999), 5000);
}

TEST(Retry, NoticeWording)
{
    EXPECT_EQ(retry_notice("overloaded (529)", 2, 4, 1200), "overloaded (529), retrying in 1.2 s (attempt 2 of 4)");
}
