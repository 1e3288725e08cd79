// Failure paths shared by every decoder: malformed JSON, truncated bodies,
// unknown events, and a sink that fails.
#include <gtest/gtest.h>

#include "event_recorder.h"
#include "support/matchers.h"

namespace ik::llm {
namespace {

using ::ik::testing::HasError;
using ::ik::testing::HasErrorMessage;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr WireFormat all[]
    = { WireFormat::openai_chat, WireFormat::openai_responses, WireFormat::anthropic, WireFormat::gemini };

TEST(DecoderErrors, MalformedJsonIsParseErrorWithPreciseMessage)
{
    for (WireFormat f : all) {
        auto r = testing::replay(f, "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", oops}\n\n");
        EXPECT_THAT(r, HasError(ErrorCode::parse)) << to_string(f);
        EXPECT_THAT(r,
            HasErrorMessage(AllOf(HasSubstr(to_string(f)), HasSubstr("malformed JSON"),
                HasSubstr(":1:33: syntax error"), HasSubstr("oops"))))
            << to_string(f);
    }
}

TEST(DecoderErrors, NonObjectDataIsParseError)
{
    for (WireFormat f : all)
        EXPECT_THAT(testing::replay(f, "data: [1,2]\n\n"), HasError(ErrorCode::parse)) << to_string(f);
}

TEST(DecoderErrors, TruncatedBodyEndsInInterruptedErrorEvent)
{
    auto chat = testing::replay(WireFormat::openai_chat,
        "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
        "\"finish_reason\":null}]}\n\n");
    ASSERT_THAT(chat, ::ik::testing::IsOk());
    EXPECT_THAT(*chat,
        ElementsAre(
            "start model=m id=c", "text Hi", "error interrupted the stream ended before the response finished"));
    auto anthropic = testing::replay(WireFormat::anthropic, "event: ping\ndata: {\"type\":\"ping\"}\n\n");
    EXPECT_THAT(*anthropic, ElementsAre("error interrupted the stream ended before message_stop"));
    auto gemini = testing::replay(WireFormat::gemini, "");
    EXPECT_THAT(*gemini, ElementsAre("error interrupted the stream ended without a finishReason"));
    auto responses = testing::replay(WireFormat::openai_responses, "");
    EXPECT_THAT(*responses, ElementsAre("error interrupted the stream ended before response.completed"));
}

TEST(DecoderErrors, UnknownEventsAndBlocksAreSkipped)
{
    auto r = testing::replay(WireFormat::anthropic,
        "event: brand_new\ndata: {\"type\":\"brand_new\",\"x\":[1]}\n\n"
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    ASSERT_THAT(r, ::ik::testing::IsOk());
    EXPECT_THAT(*r, ElementsAre("finish stop "));
}

TEST(DecoderErrors, ArgumentsForUnknownToolIsParseError)
{
    EXPECT_THAT(testing::replay(WireFormat::anthropic,
                    "data: {\"type\":\"content_block_delta\",\"index\":5,\"delta\":{\"type\":"
                    "\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n"),
        HasErrorMessage(HasSubstr("content block 5")));
}

class FailingSink final : public StreamSink {
public:
    Result<void> on_event(const Event&) override { return fail(ErrorCode::store, "disk full"); }
};

TEST(DecoderErrors, SinkErrorStopsDecoding)
{
    mem::Arena turn(mem::root(), "turn");
    mem::Arena scratch(turn, "event");
    auto d = provider_for(WireFormat::openai_chat).make_decoder(turn);
    FailingSink sink;
    net::SseEvent e{ .type = "message", .data = R"({"id":"x","model":"m","choices":[]})", .id = "" };
    EXPECT_THAT(d->on_sse(e, scratch, sink), HasError(ErrorCode::store));
}

TEST(DecoderErrors, NothingAfterFinish)
{
    std::string body = testing::read_stream("openai_chat/text_usage.sse") + "data: {\"garbage\n\n";
    auto r = testing::replay(WireFormat::openai_chat, body);
    ASSERT_THAT(r, ::ik::testing::IsOk());
    EXPECT_EQ(r->back(), "finish stop stop");
}

TEST(EventNames, ToString)
{
    EXPECT_EQ(to_string(StreamEventKind::tool_call_delta), "tool_call_delta");
    EXPECT_EQ(to_string(FinishReason::content_filter), "content_filter");
    EXPECT_EQ(to_string(WireFormat::openai_responses), "openai_responses");
    EXPECT_EQ(provider_for(WireFormat::gemini).format(), WireFormat::gemini);
    EXPECT_EQ(provider_for(WireFormat::anthropic).default_base_url(), "https://api.anthropic.com/v1");
}

// The usual text and thinking deltas are read without the JSON parser
// (anthropic.cc's plain_delta); every variation of them must still decode
// as the parser reads it, and a bad one must still fail the same way.
TEST(DecoderErrors, AnthropicDeltasReadWithoutTheParserDecodeAsTheParserWould)
{
    auto delta = [](std::string_view index, std::string_view body) {
        return fmt::format(
            "event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":{},\"delta\":{}}}\n\n",
            index, body);
    };
    std::string stream = delta("0", R"({"type":"text_delta","text":"plain"})")
        + delta("12", R"({"type":"text_delta","text":"esc\"aped\n"})")
        + delta("0", R"({"type":"thinking_delta","thinking":"hmm"})")
        + delta("0", R"({"text":"keys in another order","type":"text_delta"})")
        + delta("0", "{\"type\":\"text_delta\",\"text\":\"w\xC3\xB6rld\"}")
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    auto r = testing::replay(WireFormat::anthropic, stream);
    ASSERT_THAT(r, ::ik::testing::IsOk());
    EXPECT_THAT(*r,
        ElementsAre("text plain", "text esc\"aped\n", "thinking hmm", "text keys in another order", "text w\xC3\xB6rld",
            "finish stop "));

    // Invalid UTF-8 and an index with a leading zero are not JSON.
    EXPECT_THAT(testing::replay(WireFormat::anthropic, delta("0", "{\"type\":\"text_delta\",\"text\":\"\xFF\"}")),
        HasError(ErrorCode::parse));
    EXPECT_THAT(testing::replay(WireFormat::anthropic, delta("01", R"({"type":"text_delta","text":"x"})")),
        HasError(ErrorCode::parse));
}

} // namespace
} // namespace ik::llm
