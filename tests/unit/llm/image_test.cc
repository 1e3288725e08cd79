// Images: type by magic bytes, base64 both ways, each wire format's image
// blocks (user content and tool results), and fit_images()'s notes for a
// model without images and for images over a provider's limits.
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/json.h"
#include "llm/image.h"
#include "llm/image_fit.h"
#include "llm/provider.h"

namespace ik::llm {
namespace {

using namespace std::string_view_literals;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(SniffImage, KnowsTheFourTypesByTheirMagicBytes)
{
    EXPECT_EQ(sniff_image("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"sv), "image/png");
    EXPECT_EQ(sniff_image("\xff\xd8\xff\xe0\0\x10JFIF"sv), "image/jpeg");
    EXPECT_EQ(sniff_image("GIF89a\x01\0\x01\0"sv), "image/gif");
    EXPECT_EQ(sniff_image("GIF87a"sv), "image/gif");
    EXPECT_EQ(sniff_image("RIFF\x10\0\0\0WEBPVP8 "sv), "image/webp");
}

TEST(SniffImage, RefusesEverythingElseWhateverItIsCalled)
{
    EXPECT_FALSE(sniff_image(""));
    EXPECT_FALSE(sniff_image("\x89PNG"sv)); // cut short
    EXPECT_FALSE(sniff_image("RIFF\x10\0\0\0WAVEfmt "sv)); // a RIFF that is not WebP
    EXPECT_FALSE(sniff_image("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
    EXPECT_FALSE(sniff_image("just text named shot.png"));
}

TEST(Base64, RoundTripsEveryPaddingAndAllByteValues)
{
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    std::string all;
    for (int i = 0; i < 256; ++i)
        all += static_cast<char>(i);
    std::string encoded = base64_encode(all);
    EXPECT_EQ(base64_decode(encoded), all);
    Image image{ .media_type = "", .data = encoded, .name = "" };
    EXPECT_EQ(image.bytes(), all.size());
    image.data = "Zg==";
    EXPECT_EQ(image.bytes(), 1U);
}

TEST(Base64, RefusesMalformedText)
{
    EXPECT_FALSE(base64_decode("Zg="));
    EXPECT_FALSE(base64_decode("Z\x1b[A"));
    EXPECT_FALSE(base64_decode("Zg==Zg=="));
    EXPECT_FALSE(base64_decode("Z=g="));
    EXPECT_FALSE(base64_decode("Zm9v\nYmFy"));
}

struct Conversation {
    Image images[1] = { { .media_type = "image/png", .data = "iVBORw0KGgo=", .name = "shot.png" } };
    ToolCall calls[1] = { { "call_1", "read_file", R"({"path":"shot.png"})" } };
    Message messages[4];
    Request request;
    Conversation()
    {
        messages[0].text = "What is this?";
        messages[0].images = images;
        messages[1].role = Role::assistant;
        messages[1].tool_calls = calls;
        messages[2].role = Role::tool;
        messages[2].text = "image shot.png";
        messages[2].tool_call_id = "call_1";
        messages[2].tool_name = "read_file";
        messages[2].images = images;
        messages[3].text = "And now?";
        request.model = "m-1";
        request.messages = messages;
        request.accepts_images = true;
    }
};

struct Built {
    mem::Arena arena{ mem::root(), "image-test" };
    json::value body;
    std::string text;
};

std::unique_ptr<Built> build(WireFormat f, const Request& r)
{
    auto b = std::make_unique<Built>();
    Request fitted = fit_images(b->arena, r, f);
    auto http = provider_for(f).build_request(b->arena, Endpoint{ "https://h/v1", "KEY" }, fitted);
    EXPECT_TRUE(http.has_value()) << http.error().to_string();
    b->text = std::string(http->body);
    b->body = *json::parse(b->arena, http->body, "body");
    return b;
}

std::string dump(const json::value& v)
{
    return boost::json::serialize(v);
}

TEST(ImageBlocks, AnthropicSendsBase64SourcesInUserContentAndInsideToolResults)
{
    Conversation c;
    auto b = build(WireFormat::anthropic, c.request);
    const auto& messages = b->body.as_object().at("messages").as_array();
    EXPECT_EQ(dump(messages[0].as_object().at("content").as_array()[0]),
        R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}})");
    const auto& result = messages[2].as_object().at("content").as_array()[0].as_object();
    EXPECT_EQ(result.at("type").as_string(), "tool_result");
    EXPECT_EQ(dump(result.at("content")),
        R"([{"type":"text","text":"image shot.png"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}])");
}

TEST(ImageBlocks, OpenAiChatSendsDataUrlsAndTheToolImagesInAUserMessageAfterTheResults)
{
    Conversation c;
    auto b = build(WireFormat::openai_chat, c.request);
    const auto& messages = b->body.as_object().at("messages").as_array();
    ASSERT_EQ(messages.size(), 5U);
    EXPECT_EQ(dump(messages[0].as_object().at("content")),
        R"([{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}])");
    EXPECT_EQ(messages[2].as_object().at("role").as_string(), "tool");
    EXPECT_EQ(messages[2].as_object().at("content").as_string(), "image shot.png");
    EXPECT_EQ(messages[3].as_object().at("role").as_string(), "user");
    EXPECT_THAT(dump(messages[3]), HasSubstr(R"("url":"data:image/png;base64,iVBORw0KGgo=")"));
    EXPECT_EQ(dump(messages[4].as_object().at("content")), R"("And now?")");
}

TEST(ImageBlocks, OpenAiResponsesSendsInputImagesInUserContentAndFunctionOutput)
{
    Conversation c;
    auto b = build(WireFormat::openai_responses, c.request);
    const auto& input = b->body.as_object().at("input").as_array();
    EXPECT_EQ(dump(input[0].as_object().at("content")),
        R"([{"type":"input_text","text":"What is this?"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}])");
    const auto& output = input[2].as_object();
    EXPECT_EQ(output.at("type").as_string(), "function_call_output");
    EXPECT_EQ(dump(output.at("output")),
        R"([{"type":"input_text","text":"image shot.png"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}])");
}

TEST(ImageBlocks, GeminiSendsInlineDataBesideTextAndBesideTheFunctionResponse)
{
    Conversation c;
    auto b = build(WireFormat::gemini, c.request);
    const auto& contents = b->body.as_object().at("contents").as_array();
    EXPECT_EQ(dump(contents[0].as_object().at("parts")),
        R"([{"text":"What is this?"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}])");
    const auto& parts = contents[2].as_object().at("parts").as_array();
    ASSERT_EQ(parts.size(), 2U);
    EXPECT_TRUE(parts[0].as_object().contains("functionResponse"));
    EXPECT_EQ(dump(parts[1]), R"({"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}})");
}

TEST(FitImages, AModelWithoutImagesGetsANoteInsteadInEveryFormat)
{
    Conversation c;
    c.request.accepts_images = false;
    for (WireFormat f :
        { WireFormat::anthropic, WireFormat::openai_chat, WireFormat::openai_responses, WireFormat::gemini }) {
        auto b = build(f, c.request);
        EXPECT_THAT(b->text, Not(HasSubstr("iVBORw0KGgo="))) << to_string(f);
        EXPECT_THAT(b->text, HasSubstr("[image shot.png not sent: model m-1 does not accept images]")) << to_string(f);
    }
}

TEST(FitImages, LeavesARequestWithoutImagesAsItIs)
{
    mem::Arena a(mem::root(), "fit");
    Message m[1];
    m[0].text = "hi";
    Request r;
    r.messages = m;
    EXPECT_EQ(fit_images(a, r, WireFormat::anthropic).messages.data(), m);
}

TEST(FitImages, AnImageOverTheProvidersLimitIsReplacedByANoteSayingTheLimit)
{
    std::string big(size_t{ 5'200'000 }, 'A'); // 5.2 MB of base64
    Image images[2] = { { .media_type = "image/png", .data = big, .name = "big.png" },
        { .media_type = "image/png", .data = "iVBORw0KGgo=", .name = "small.png" } };
    Message m[1];
    m[0].text = "look";
    m[0].images = images;
    Request r;
    r.model = "m";
    r.messages = m;
    r.accepts_images = true;
    mem::Arena a(mem::root(), "fit");
    Request anthropic = fit_images(a, r, WireFormat::anthropic);
    ASSERT_EQ(anthropic.messages[0].images.size(), 1U);
    EXPECT_EQ(anthropic.messages[0].images[0].name, "small.png");
    EXPECT_EQ(anthropic.messages[0].text,
        "look\n[image big.png not sent: 5.2 MB encoded, over Anthropic's limit of 5.0 MB per image]");
    EXPECT_EQ(images[0].name, "big.png"); // the window's messages are untouched
    EXPECT_EQ(m[0].text, "look");
    // OpenAI takes 20 MB per image.
    EXPECT_EQ(fit_images(a, r, WireFormat::openai_chat).messages[0].images.size(), 2U);
}

TEST(FitImages, TheGeminiRequestBudgetKeepsTheNewestImages)
{
    std::string half(size_t{ 12'000'000 }, 'A');
    Image old_image[1] = { { .media_type = "image/png", .data = half, .name = "old.png" } };
    Image new_image[1] = { { .media_type = "image/png", .data = half, .name = "new.png" } };
    Message m[2];
    m[0].text = "first";
    m[0].images = old_image;
    m[1].text = "second";
    m[1].images = new_image;
    Request r;
    r.messages = m;
    r.accepts_images = true;
    mem::Arena a(mem::root(), "fit");
    Request g = fit_images(a, r, WireFormat::gemini);
    EXPECT_EQ(g.messages[1].images.size(), 1U);
    EXPECT_TRUE(g.messages[0].images.empty());
    EXPECT_THAT(std::string(g.messages[0].text), HasSubstr("would pass Gemini's limit of 20.0 MB per request"));
}

} // namespace
} // namespace ik::llm
