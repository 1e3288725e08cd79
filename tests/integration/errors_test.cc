// Failure handling end to end: HTTP error categories, retries, the idle
// watchdog, dropped connections, malformed streams and Ctrl-C.
#include <csignal>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

class Errors : public IkTest, public ::testing::WithParamInterface<Wire> { };

TEST_P(Errors, UnauthorizedIsAnAuthErrorWithExit3)
{
    start_mock(R"([{"status": 401}])");
    RunResult r = ik_for(GetParam(), { "-p", "x" });
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_THAT(r.err, HasSubstr("auth"));
    EXPECT_THAT(r.err, HasSubstr("check the API key"));
    EXPECT_EQ(m_mock->requests().size(), 1u); // never retried
}

TEST_P(Errors, RateLimitHonorsRetryAfterThenSucceeds)
{
    start_mock(R"([{"status": 429, "headers": {"retry-after-ms": "300"}},
                   {"steps": [{"text": "after the wait"}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "x" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "after the wait\n");
    EXPECT_THAT(r.err, HasSubstr("rate limited (429), retrying in 0.3 s (attempt 2 of 4)"));
    EXPECT_GE(r.seconds, 0.3);
    EXPECT_EQ(m_mock->requests().size(), 2u);
}

TEST_P(Errors, OverloadedRetriesAreBoundedThenExit4)
{
    start_mock(
        R"([{"status": 529}, {"status": 529}, {"status": 529}, {"status": 529}, {"steps": [{"text": "never"}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "x" });
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_THAT(r.err, HasSubstr("(attempt 4 of 4)"));
    EXPECT_THAT(r.err, HasSubstr("gave up after 4 attempts"));
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(m_mock->requests().size(), 4u);
}

TEST_P(Errors, ContextTooLongIsNamed)
{
    std::string body;
    switch (GetParam()) {
    case Wire::anthropic:
        body
            = R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 250000 tokens > 200000 maximum"}})";
        break;
    case Wire::gemini:
        body
            = R"({"error":{"code":400,"message":"The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}})";
        break;
    default:
        body
            = R"({"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 250000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})";
    }
    start_mock(R"([{"status": 400, "body": )" + std::string("\"") + [&] {
        std::string escaped;
        for (char c : body) {
            if (c == '"' || c == '\\')
                escaped += '\\';
            escaped += c;
        }
        return escaped;
    }() + "\"}]");
    RunResult r = ik_for(GetParam(), { "-p", "x" });
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_THAT(r.err, HasSubstr("context too long"));
    EXPECT_THAT(r.err, HasSubstr("context window"));
    EXPECT_EQ(m_mock->requests().size(), 1u);
}

TEST_P(Errors, OverloadedEventBeforeContentIsRetried)
{
    start_mock(R"([{"steps": [{"error": {"type": "overloaded_error", "message": "Overloaded"}}]},
                   {"steps": [{"text": "second try"}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "x" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "second try\n");
    EXPECT_THAT(r.err, HasSubstr("retrying in"));
}

TEST_P(Errors, StallIsCaughtByTheIdleWatchdog)
{
    write_config(R"({"http": {"idle_timeout_s": 1, "max_retries": 0}})");
    start_mock(R"([{"steps": [{"text": "partial "}, {"stall": true, "stall_ms": 10000}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "x" });
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_EQ(r.out, "partial \n");
    EXPECT_THAT(r.err, HasSubstr("timeout"));
    EXPECT_THAT(r.err, HasSubstr("idle_timeout_s"));
    EXPECT_LT(r.seconds, 5.0);
}

TEST_P(Errors, DroppedConnectionPrintsPartialTextAndExits130)
{
    start_mock(R"([{"steps": [{"text": "half an ans", "chunk": 4}, {"drop": true}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "x" });
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_THAT(r.out, HasSubstr("half an ans"));
    EXPECT_THAT(r.err, HasSubstr("interrupted"));
    EXPECT_EQ(m_mock->requests().size(), 1u); // content was shown: no retry
}

TEST_P(Errors, MalformedJsonIsAClearError)
{
    start_mock(R"([{"steps": [{"text": "before "}, {"malformed": true}, {"text": "after"}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "x" });
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_THAT(r.out, HasSubstr("before"));
    EXPECT_THAT(r.err, HasSubstr("parse"));
    EXPECT_EQ(r.term_signal, 0);
}

TEST_P(Errors, CtrlCMidStreamExits130WithPartialText)
{
    start_mock(R"([{"steps": [{"text": "first words|"}, {"delay_ms": 5000}, {"text": "never shown"}]}])");
    RunOptions o;
    o.signal = SIGINT;
    o.signal_when_stdout_has = "|";
    RunResult r = ik_for(GetParam(), { "-p", "x" }, o);
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_THAT(r.out, HasSubstr("first words|"));
    EXPECT_THAT(r.out, Not(HasSubstr("never shown")));
    EXPECT_THAT(r.err, HasSubstr("Ctrl-C"));
    EXPECT_LT(r.seconds, 4.0);
}

INSTANTIATE_TEST_SUITE_P(AllWireFormats, Errors,
    ::testing::Values(Wire::openai_chat, Wire::openai_responses, Wire::anthropic, Wire::gemini),
    [](const auto& p) { return wire_name(p.param); });

TEST_F(IkTest, SigtermAlsoInterrupts)
{
    start_mock(R"([{"steps": [{"text": "go|"}, {"delay_ms": 5000}]}])");
    RunOptions o;
    o.signal = SIGTERM;
    o.signal_when_stdout_has = "|";
    RunResult r = ik_for(Wire::anthropic, { "-p", "x" }, o);
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_THAT(r.err, HasSubstr("SIGTERM"));
}

TEST_F(IkTest, ServerDownIsANetworkError)
{
    write_config(R"({"http": {"max_retries": 1, "backoff_base_ms": 10}})");
    RunResult r = ik({ "-p", "x", "--model", "anthropic/claude-test" },
        { { "ANTHROPIC_BASE_URL", "http://127.0.0.1:9/v1" }, { "ANTHROPIC_API_KEY", "k" } });
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_THAT(r.err, HasSubstr("network"));
    EXPECT_THAT(r.err, HasSubstr("127.0.0.1:9"));
}
