// Each provider's mapping of its recorded streams (tests/data/streams/) onto
// normalized events, as a golden list of event lines (see event_recorder.h).
#include <gtest/gtest.h>

#include "event_recorder.h"
#include "support/matchers.h"

namespace ik::llm {
namespace {

void expect_stream(WireFormat format, std::string_view name, const std::vector<std::string>& expected)
{
    testing::expect_stream(format, name, expected, 5);
}

TEST(ProviderDecode, OpenaiChatRefusal)
{
    expect_stream(WireFormat::openai_chat, "openai_chat/refusal.sse",
        { R"~(start model=gpt-4o-2024-08-06 id=chatcmpl-ref1)~", R"~(text I'm sorry, I can't)~",
            R"~(text  help with that.)~", R"~(finish refusal stop)~" });
}

TEST(ProviderDecode, OpenaiChatCompatReasoningNoDone)
{
    expect_stream(WireFormat::openai_chat, "openai_chat/compat_reasoning_no_done.sse",
        { R"~(start model=qwen3:8b id=chatcmpl-r1)~", R"~(thinking Let me think.)~", R"~(text 42)~",
            R"~(usage in=12 out=30 cached=0 reasoning=0)~", R"~(finish length length)~" });
}

TEST(ProviderDecode, OpenaiChatTwoToolCallsInOneReply)
{
    expect_stream(WireFormat::openai_chat, "openai_chat/parallel_tools.sse",
        { R"~(start model=gpt-4.1-mini id=chatcmpl-tools1)~",
            R"~(tool_start 0 call_DdmO9pD3xa9XTPNJ32zg2hcA get_weather)~", R"~(tool_delta 0 {"lo)~",
            R"~(tool_delta 0 cation": "Paris"})~", R"~(tool_start 1 call_9fHc2kLmQ1 get_time)~",
            R"~(tool_delta 1 {"tz":"Europe/Paris"})~", R"~(tool_end 0)~", R"~(tool_end 1)~",
            R"~(usage in=85 out=41 cached=0 reasoning=0)~", R"~(finish tool_calls tool_calls)~" });
}

TEST(ProviderDecode, OpenaiChatTextUsage)
{
    expect_stream(WireFormat::openai_chat, "openai_chat/text_usage.sse",
        { R"~(start model=gpt-4o-2024-08-06 id=chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT)~", R"~(text Hello)~",
            R"~(text , wörld ✓)~", R"~(usage in=2006 out=300 cached=1920 reasoning=0)~", R"~(finish stop stop)~" });
}

TEST(ProviderDecode, OpenaiChatErrorMidstream)
{
    expect_stream(WireFormat::openai_chat, "openai_chat/error_midstream.sse",
        { R"~(start model=gpt-4o-mini id=chatcmpl-err1)~", R"~(text Partial)~",
            R"~(error overloaded The server had an error while processing your request. Sorry about that!)~" });
}

TEST(ProviderDecode, OpenaiResponsesIncompleteRefusal)
{
    expect_stream(WireFormat::openai_responses, "openai_responses/incomplete_refusal.sse",
        { R"~(start model=gpt-4o id=resp_inc1)~", R"~(text I can't help)~",
            R"~(usage in=10 out=16 cached=0 reasoning=0)~", R"~(finish length max_output_tokens)~" });
}

TEST(ProviderDecode, OpenaiResponsesTwoToolCallsInOneReply)
{
    expect_stream(WireFormat::openai_responses, "openai_responses/parallel_tools.sse",
        { R"~(start model=gpt-4.1-2025-04-14 id=resp_tools01)~", R"~(tool_start 0 call_12345xyz get_weather)~",
            R"~(tool_delta 0 {"location":)~", R"~(tool_start 1 call_67890abc get_time)~",
            R"~(tool_delta 0  "Paris, France"})~", R"~(tool_delta 1 {})~", R"~(tool_end 0)~", R"~(tool_end 1)~",
            R"~(usage in=291 out=23 cached=0 reasoning=0)~", R"~(finish tool_calls completed)~" });
}

TEST(ProviderDecode, OpenaiResponsesTextReasoning)
{
    expect_stream(WireFormat::openai_responses, "openai_responses/text_reasoning.sse",
        { R"~(start model=o4-mini-2025-04-16 id=resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654)~",
            R"~(thinking **Answering a simple question**)~", R"~(text Hi)~", R"~(text  there!)~",
            R"~(usage in=1200 out=150 cached=1024 reasoning=128)~", R"~(finish stop completed)~" });
}

TEST(ProviderDecode, OpenaiResponsesErrorEvent)
{
    expect_stream(WireFormat::openai_responses, "openai_responses/error_event.sse",
        { R"~(error rate limited Rate limit reached for gpt-4.1 in organization org-x on tokens per min (TPM).)~" });
}

TEST(ProviderDecode, OpenaiResponsesFailed)
{
    expect_stream(WireFormat::openai_responses, "openai_responses/failed.sse",
        { R"~(start model=gpt-4.1 id=resp_fail1)~", R"~(error overloaded The model failed to generate a response.)~" });
}

TEST(ProviderDecode, AnthropicOverloaded)
{
    expect_stream(WireFormat::anthropic, "anthropic/overloaded.sse",
        { R"~(start model=claude-opus-4-1 id=msg_ovl)~", R"~(text Par)~", R"~(error overloaded Overloaded)~" });
}

TEST(ProviderDecode, AnthropicRefusalTruncated)
{
    expect_stream(WireFormat::anthropic, "anthropic/refusal_truncated.sse",
        { R"~(start model=claude-sonnet-4-5 id=msg_ref)~", R"~(usage in=30 out=3 cached=0 reasoning=0)~",
            R"~(finish refusal refusal)~" });
}

TEST(ProviderDecode, AnthropicTextUsage)
{
    expect_stream(WireFormat::anthropic, "anthropic/text_usage.sse",
        { R"~(start model=claude-sonnet-4-5-20250929 id=msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY)~", R"~(text Hello)~",
            R"~(text !)~", R"~(usage in=2125 out=15 cached=2000 reasoning=0)~", R"~(finish stop end_turn)~" });
}

TEST(ProviderDecode, AnthropicThinkingTools)
{
    expect_stream(WireFormat::anthropic, "anthropic/thinking_tools.sse",
        { R"~(start model=claude-sonnet-4-5 id=msg_014p7gG3wDgGV9EUtLvnow3U)~", R"~(thinking I need the weather)~",
            R"~(thinking  in two cities.)~", R"~(signature EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds)~",
            R"~(text Checking both.)~", R"~(tool_start 0 toolu_01T1x1fJ34qAmk2tNTrN7Up6 get_weather)~",
            R"~(tool_delta 0 {"location": "San Fra)~", R"~(tool_start 1 toolu_02ABCdef get_weather)~",
            R"~(tool_delta 0 ncisco, CA"})~", R"~(tool_delta 1 {"location": "Tokyo"})~", R"~(tool_end 0)~",
            R"~(usage in=472 out=89 cached=0 reasoning=0)~", R"~(tool_end 1)~", R"~(finish tool_calls tool_use)~" });
}

TEST(ProviderDecode, GeminiSafety)
{
    expect_stream(WireFormat::gemini, "gemini/safety.sse",
        { R"~(start model=gemini-2.5-flash id=r-gem-4)~", R"~(text I)~", R"~(usage in=8 out=1 cached=0 reasoning=0)~",
            R"~(finish content_filter SAFETY)~" });
}

TEST(ProviderDecode, GeminiTextUsage)
{
    expect_stream(WireFormat::gemini, "gemini/text_usage.sse",
        { R"~(start model=gemini-2.5-flash id=mWzXaMnNFe2hz7IPy9ybkQU)~", R"~(text The)~",
            R"~(usage in=9 out=0 cached=0 reasoning=0)~", R"~(text  sky is blue.)~",
            R"~(usage in=9 out=25 cached=4 reasoning=20)~", R"~(finish stop STOP)~" });
}

TEST(ProviderDecode, GeminiThinkingTools)
{
    expect_stream(WireFormat::gemini, "gemini/thinking_tools.sse",
        { R"~(start model=gemini-2.5-pro id=r-gem-2)~",
            R"~(thinking **Planning the lookup**

I'll call the weather tool twice.)~",
            R"~(usage in=120 out=20 cached=0 reasoning=20)~", R"~(tool_start 0 call_0 get_weather sig=CiIBVKhc7oF)~",
            R"~(tool_delta 0 {"location":"Paris"})~", R"~(tool_end 0)~", R"~(tool_start 1 call_1 get_weather)~",
            R"~(tool_delta 1 {"location":"Tokyo","unit":"celsius"})~", R"~(tool_end 1)~",
            R"~(usage in=120 out=50 cached=0 reasoning=20)~", R"~(finish tool_calls STOP)~" });
}

TEST(ProviderDecode, GeminiErrorMidstream)
{
    expect_stream(WireFormat::gemini, "gemini/error_midstream.sse",
        { R"~(start model=gemini-2.5-flash id=r-gem-3)~", R"~(text Partial)~",
            R"~(error overloaded The model is overloaded. Please try again later.)~" });
}

// Quirks of real streams (docs/providers.md, "Quirks").

TEST(ProviderDecode, GeminiBlockedPromptIsARefusalError)
{
    expect_stream(WireFormat::gemini, "gemini/prompt_blocked.sse",
        { R"~(start model=gemini-2.5-flash id=r-gem-blk)~",
            R"~(error provider error Gemini refused the prompt (promptFeedback.blockReason PROHIBITED_CONTENT))~" });
}

TEST(ProviderDecode, OpenaiChatSeveralChoicesUsesChoiceZeroOnly)
{
    expect_stream(WireFormat::openai_chat, "openai_chat/multiple_choices.sse",
        { R"~(start model=gpt-4o-mini id=chatcmpl-n2)~", R"~(text Hello)~", R"~(text  world)~",
            R"~(finish stop stop)~" });
}

TEST(ProviderDecode, OpenaiChatToolCallsWithoutIndexAreNotMerged)
{
    expect_stream(WireFormat::openai_chat, "openai_chat/tools_without_index.sse",
        { R"~(start model=local-model id=chatcmpl-noidx)~", R"~(tool_start 0 call_a read_file)~",
            R"~(tool_delta 0 {"path":)~", R"~(tool_delta 0 "a.txt"})~", R"~(tool_start 1 call_b read_file)~",
            R"~(tool_delta 1 {"path":"b.txt"})~", R"~(tool_end 0)~", R"~(tool_end 1)~",
            R"~(finish tool_calls tool_calls)~" });
}

TEST(ProviderDecode, LoneSurrogateEscapeBecomesReplacementCharacter)
{
    expect_stream(WireFormat::openai_chat, "openai_chat/lone_surrogate.sse",
        { R"~(start model=gpt-4o-mini id=chatcmpl-sur)~", "text smile \xEF\xBF\xBD",
            "text \xEF\xBF\xBD ok \xF0\x9F\x98\x80", R"~(finish stop stop)~" });
}

TEST(ProviderDecode, AnthropicMaxTokensInsideAToolCallFlagsTheCut)
{
    expect_stream(WireFormat::anthropic, "anthropic/max_tokens_in_tool.sse",
        { R"~(start model=claude-sonnet-4-5 id=msg_cut)~", R"~(text Writing the file.)~",
            R"~(tool_start 0 toolu_cut1 write_file)~", R"~(tool_delta 0 {"path": "a.txt", "content": "lorem ip)~",
            R"~(tool_end 0)~", R"~(usage in=50 out=64 cached=0 reasoning=0)~",
            R"~(finish length max_tokens cut_tool_call)~" });
}

TEST(ProviderDecode, AnthropicCumulativeUsageInMessageDelta)
{
    auto r = testing::replay(WireFormat::anthropic,
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"c\","
        "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},"
        "\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":90,\"output_tokens\":7}}\n\n"
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r,
        (std::vector<std::string>{
            "start model=c id=m", "usage in=100 out=7 cached=90 reasoning=0", "finish length max_tokens" }));
}

} // namespace
} // namespace ik::llm
