#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "llm/provider.h"
#include "llm/retry.h"

namespace ik::llm {
namespace {

using ::testing::HasSubstr;

Error classify(WireFormat f, int status, std::string_view body, std::string_view retry_after = "")
{
    return provider_for(f).classify_http_error(status, body, retry_after);
}

TEST(ClassifyHttpError, AuthNamesTheKeyVariable)
{
    Error e = classify(WireFormat::openai_chat, 401,
        R"({"error":{"message":"Incorrect API key provided: sk-abc.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})");
    EXPECT_EQ(e.code(), ErrorCode::auth);
    EXPECT_THAT(e.message(), HasSubstr("Incorrect API key provided"));
    EXPECT_THAT(e.message(), HasSubstr("OPENAI_API_KEY"));
    EXPECT_THAT(classify(WireFormat::anthropic, 403, "{}").message(), HasSubstr("ANTHROPIC_API_KEY"));
    EXPECT_THAT(classify(WireFormat::gemini, 403, "").message(), HasSubstr("GEMINI_API_KEY"));
}

TEST(ClassifyHttpError, RateLimitWithRetryAfter)
{
    Error e = classify(WireFormat::anthropic, 429,
        R"({"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}})",
        "7");
    EXPECT_EQ(e.code(), ErrorCode::rate_limit);
    EXPECT_THAT(e.message(), HasSubstr("retry after 7 s"));
    EXPECT_THAT(e.message(), HasSubstr("per-minute rate limit"));
    EXPECT_TRUE(is_retryable(e.code()));
}

TEST(ClassifyHttpError, Overloaded)
{
    for (int status : { 500, 502, 503, 504, 529 })
        EXPECT_EQ(classify(WireFormat::anthropic, status, "").code(), ErrorCode::overloaded) << status;
    Error e = classify(
        WireFormat::anthropic, 400, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
    EXPECT_EQ(e.code(), ErrorCode::overloaded);
    EXPECT_TRUE(is_retryable(ErrorCode::overloaded));
    EXPECT_FALSE(is_retryable(ErrorCode::bad_request));
}

TEST(ClassifyHttpError, EveryServerErrorAndRequestTimeoutIsRetried)
{
    for (int status : { 408, 500, 501, 505, 599 })
        EXPECT_TRUE(is_retryable(classify(WireFormat::openai_chat, status, "").code())) << status;
    for (int status : { 400, 401, 403, 404, 413, 422 })
        EXPECT_FALSE(is_retryable(classify(WireFormat::openai_chat, status, "").code())) << status;
}

TEST(ClassifyHttpError, ContextTooLong)
{
    EXPECT_EQ(
        classify(WireFormat::openai_chat, 400,
            R"({"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})")
            .code(),
        ErrorCode::context_too_long);
    EXPECT_EQ(
        classify(WireFormat::anthropic, 400,
            R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}})")
            .code(),
        ErrorCode::context_too_long);
    EXPECT_EQ(
        classify(WireFormat::gemini, 400,
            R"([{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}])")
            .code(),
        ErrorCode::context_too_long);
}

TEST(ClassifyHttpError, BadRequestCarriesProviderMessage)
{
    Error e = classify(WireFormat::gemini, 400,
        R"({"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"foo\"","status":"INVALID_ARGUMENT"}})");
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
    EXPECT_THAT(e.message(), HasSubstr("Unknown name \"foo\""));
    EXPECT_EQ(classify(WireFormat::openai_chat, 404, "model not found\n").code(), ErrorCode::bad_request);
    EXPECT_THAT(classify(WireFormat::openai_chat, 404, "model not found\n").message(), HasSubstr("model not found"));
}

} // namespace
} // namespace ik::llm
