// Image blocks of a session/prompt (app/acp/acp_prompt.h): the type comes
// from the bytes, never the mimeType; bad base64, non-images, oversized
// images, too many images and a model without images are refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/acp/acp_prompt.h"
#include "llm/image.h"

using namespace ik;
using namespace ik::app::acp;
using ::testing::HasSubstr;

namespace {

const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(16, '\0');

Result<PromptContent> content_of(mem::Arena& a, const std::string& blocks, bool images = true)
{
    auto parsed = json::parse(a, blocks);
    EXPECT_TRUE(parsed);
    return prompt_content(json::Field(*parsed), "/proj", { images, "some-model" });
}

std::string image_block(const std::string& data, const std::string& mime = "image/png")
{
    return R"({"type":"image","data":")" + data + R"(","mimeType":")" + mime + R"("})";
}

TEST(AcpPrompt, AnImageBlockIsAnImageTypedByItsBytes)
{
    mem::Arena a(mem::root(), "test");
    std::string data = llm::base64_encode(png);
    // The mimeType says JPEG; the bytes say PNG, and the bytes win.
    auto out = content_of(a, R"([{"type":"text","text":"what is this"},)" + image_block(data, "image/jpeg") + "]");
    ASSERT_TRUE(out) << out.error().to_string();
    EXPECT_EQ(out->text, "what is this");
    ASSERT_EQ(out->images.size(), 1u);
    EXPECT_EQ(out->images[0].media_type, "image/png");
    EXPECT_EQ(out->images[0].data, data);
    EXPECT_EQ(out->images[0].bytes, png.size());
    EXPECT_EQ(out->images[0].name, "image 1");
    // An image alone is a prompt.
    EXPECT_TRUE(content_of(a, "[" + image_block(data) + "]"));
}

TEST(AcpPrompt, AnEmbeddedBlobIsAnImageToo)
{
    mem::Arena a(mem::root(), "test");
    auto out = content_of(a,
        R"([{"type":"resource","resource":{"uri":"file:///proj/shot.png","blob":")" + llm::base64_encode(png)
            + R"(","mimeType":"image/png"}}])");
    ASSERT_TRUE(out) << out.error().to_string();
    ASSERT_EQ(out->images.size(), 1u);
    EXPECT_EQ(out->images[0].name, "file:///proj/shot.png");
    auto binary = content_of(a,
        R"([{"type":"resource","resource":{"uri":"file:///proj/a.bin","blob":")"
            + llm::base64_encode("\x7f"
                                 "ELF....")
            + R"("}}])");
    ASSERT_FALSE(binary);
    EXPECT_THAT(binary.error().message(), HasSubstr("not a PNG, JPEG, GIF or WebP"));
}

TEST(AcpPrompt, BadImagesAreRefusedWithAReason)
{
    mem::Arena a(mem::root(), "test");
    auto bad64 = content_of(a, "[" + image_block("not base64!") + "]");
    ASSERT_FALSE(bad64);
    EXPECT_THAT(bad64.error().message(), HasSubstr("not padded base64"));
    auto text = content_of(a, "[" + image_block(llm::base64_encode("just some text, called a png")) + "]");
    ASSERT_FALSE(text);
    EXPECT_THAT(text.error().message(), HasSubstr("not a PNG"));
    // Over the cap: refused on its encoded length, never decoded.
    auto big = editor_image(std::string((llm::max_image_file_bytes + 3) / 3 * 4 + 4, 'A'), "big");
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code(), ErrorCode::cap_exceeded);
    // An escape sequence in a blob's uri is not shown raw.
    auto named = content_of(
        a, R"([{"type":"resource","resource":{"uri":"\u001b[2Jx","blob":")" + llm::base64_encode(png) + R"("}}])");
    ASSERT_TRUE(named);
    EXPECT_EQ(named->images[0].name, "_[2Jx");
    std::string many = "[";
    for (size_t i = 0; i <= llm::max_images_per_message; ++i)
        many += (i ? "," : "") + image_block(llm::base64_encode(png));
    auto too_many = content_of(a, many + "]");
    ASSERT_FALSE(too_many);
    EXPECT_THAT(too_many.error().message(), HasSubstr("at most"));
}

TEST(AcpPrompt, AModelWithoutImagesRefusesTheBlock)
{
    mem::Arena a(mem::root(), "test");
    auto out = content_of(a, "[" + image_block(llm::base64_encode(png)) + "]", false);
    ASSERT_FALSE(out);
    EXPECT_THAT(out.error().message(), HasSubstr("model some-model does not accept images"));
}

} // namespace
