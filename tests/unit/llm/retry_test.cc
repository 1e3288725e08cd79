#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "llm/retry.h"

using namespace ik;
using namespace ik::llm;

// 784111777 is Sun, 06 Nov 1994 08:49:37 GMT.
constexpr int64_t nov_1994 = 784111777;

TEST(RetryAfter, DelaySeconds)
{
    EXPECT_EQ(parse_retry_after("2", 0), 2000);
    EXPECT_EQ(parse_retry_after(" 12 ", 0), 12000);
    EXPECT_EQ(parse_retry_after(" 1.5\r\n", 0), 1500);
    EXPECT_EQ(parse_retry_after("0", 0), 0);
}

TEST(RetryAfter, HttpDateIsRelativeToNow)
{
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", nov_1994 - 30), 30000);
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", nov_1994 + 30), 0); // already past
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", nov_1994 - 86'400 * 30), max_server_delay_ms);
}

TEST(RetryAfter, GarbageIsUnreadable)
{
    for (std::string_view bad : { "", "   ", "soon", "-1", "1e3", "inf", "nan", "1.2.3", ".", "+5", "0x10",
             "Sun, 06 Nov 1994 08:49:37", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
             "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 19x4 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
             "Sun, 06 Nov 1994 08:49:37 GMT trailing", "Sun, 06 Nov 1994 08:49:37 GMT\x1b[2J" })
        EXPECT_EQ(parse_retry_after(bad, 0), -1) << bad;
    for (std::string_view bad : { "", "x", "-250", "1e3", "250ms" })
        EXPECT_EQ(parse_retry_after_ms_header(bad), -1) << bad;
}

TEST(RetryAfter, HugeValuesAreCappedNotOverflowed)
{
    EXPECT_EQ(parse_retry_after("99999999999999999999999999999999999999", 0), max_server_delay_ms);
    EXPECT_EQ(parse_retry_after(std::string(5000, '9'), 0), max_server_delay_ms);
    EXPECT_EQ(parse_retry_after("86401", 0), max_server_delay_ms);
    EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", 0), max_server_delay_ms);
    EXPECT_EQ(parse_retry_after_ms_header("99999999999999999999999"), max_server_delay_ms);
    EXPECT_EQ(parse_retry_after_ms_header("250"), 250);
    EXPECT_EQ(parse_retry_after_ms_header(" 2.5 "), 2);
}

TEST(RetryAfter, TheMillisecondHeaderWins)
{
    EXPECT_EQ(server_delay_ms("7", "250", 0), 250);
    EXPECT_EQ(server_delay_ms("7", "", 0), 7000);
    EXPECT_EQ(server_delay_ms("7", "junk", 0), 7000);
    EXPECT_EQ(server_delay_ms("", "", 0), -1);
}

TEST(Retry, WhichFailuresAreRetried)
{
    EXPECT_TRUE(is_retryable(ErrorCode::overloaded));
    EXPECT_TRUE(is_retryable(ErrorCode::rate_limit));
    EXPECT_TRUE(is_retryable(ErrorCode::network));
    EXPECT_TRUE(is_retryable(ErrorCode::timeout));
    EXPECT_FALSE(is_retryable(ErrorCode::auth));
    EXPECT_FALSE(is_retryable(ErrorCode::bad_request));
    EXPECT_FALSE(is_retryable(ErrorCode::context_too_long));
    EXPECT_FALSE(is_retryable(ErrorCode::provider));
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
