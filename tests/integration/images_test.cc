// Images end to end: the real ik binary headless against the mock model,
// checking the image blocks in the request bodies the mock received. An
// @path image in the prompt for each wire format; read_file on an image; an
// image over a provider's limit refused with the limit named; a model
// without images given a note instead; a resumed session sending the image
// again, and `ik sessions show` naming it without its base64; an MCP tool's
// image passed on.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// A PNG's signature and the start of its header chunk: an image by its
// magic bytes, which is all ik looks at.
const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
const std::string png_b64 = "iVBORw0KGgoAAAANSUhEUg==";

const std::string images_on = R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 1,
    "backoff_base_ms": 20}, "models": {"openai/gpt-test": {"images": true},
    "anthropic/claude-test": {"images": true}, "google/gemini-test": {"images": true}}})";

class Images : public IkTest {
protected:
    void write_binary(const std::string& relative, const std::string& bytes)
    {
        std::filesystem::create_directories(std::filesystem::path(work_dir() + "/" + relative).parent_path());
        std::ofstream(work_dir() + "/" + relative, std::ios::binary) << bytes;
    }
    std::string request(size_t i) const
    {
        auto r = m_mock->requests();
        return i < r.size() ? r[i] : std::string();
    }
};

// What each wire format's image block looks like in the logged body.
std::string block_for(Wire wire)
{
    switch (wire) {
    case Wire::anthropic:
        return R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":")" + png_b64 + "\"}}";
    case Wire::openai_chat:
        return R"({"type":"image_url","image_url":{"url":"data:image/png;base64,)" + png_b64 + "\"}}";
    case Wire::openai_responses:
        return R"({"type":"input_image","image_url":"data:image/png;base64,)" + png_b64 + "\"}";
    case Wire::gemini:
        return R"({"inlineData":{"mimeType":"image/png","data":")" + png_b64 + "\"}}";
    }
    return {};
}

class ImagesPerWire : public Images, public ::testing::WithParamInterface<Wire> { };

TEST_P(ImagesPerWire, AnAtMentionedImageGoesInTheUserMessageAsTheFormatsImageBlock)
{
    write_config(images_on);
    write_binary("shots/shot.png", png);
    start_mock(R"([{"steps": [{"text": "A picture."}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "what is in @shots/shot.png?" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("attached image shots/shot.png 16 bytes"));
    std::string sent = request(0);
    EXPECT_THAT(sent, HasSubstr(block_for(GetParam())));
    EXPECT_THAT(sent, HasSubstr("what is in @shots/shot.png?"));
}

TEST_P(ImagesPerWire, ReadFileOnAnImageReturnsItAsAnImage)
{
    write_config(images_on);
    write_binary("shot.png", png);
    start_mock(
        R"([{"steps": [{"tool_calls": [{"id": "t1", "name": "read_file", "arguments": "{\"path\":\"shot.png\"}"}]}]},
                  {"steps": [{"text": "done"}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "look" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string sent = request(1);
    EXPECT_THAT(sent, HasSubstr(block_for(GetParam())));
    EXPECT_THAT(sent, HasSubstr("image shot.png (image/png, 16 bytes)"));
    EXPECT_THAT(request(0), Not(HasSubstr(png_b64)));
}

INSTANTIATE_TEST_SUITE_P(Wires, ImagesPerWire,
    ::testing::Values(Wire::anthropic, Wire::openai_chat, Wire::openai_responses, Wire::gemini),
    [](const auto& param_info) { return wire_name(param_info.param); });

TEST_F(Images, AModelWithoutImagesGetsANoteAndTheUserIsTold)
{
    // No "images" in the config: claude-test is not in the catalog, and a
    // model nobody describes is taken not to accept images.
    write_binary("shot.png", png);
    start_mock(R"([{"steps": [{"text": "ok"}]}])");
    RunResult r = ik_for(Wire::anthropic, { "-p", "see @shot.png" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("model anthropic/claude-test does not accept images"));
    EXPECT_THAT(request(0), Not(HasSubstr(png_b64)));
    EXPECT_THAT(request(0), HasSubstr("[image shot.png not sent: model claude-test does not accept images]"));
}

TEST_F(Images, AnImageOverTheProvidersLimitIsRefusedWithTheLimit)
{
    write_config(images_on);
    // 4.2 MB of PNG: 5.6 MB as base64, over Anthropic's 5 MB, within OpenAI's 20 MB.
    std::string big = png + std::string(size_t{ 4'200'000 }, 'x');
    write_binary("big.png", big);
    start_mock(
        R"([{"steps": [{"tool_calls": [{"id": "t1", "name": "read_file", "arguments": "{\"path\":\"big.png\"}"}]}]},
                  {"steps": [{"text": "done"}]}, {"steps": [{"text": "done"}]}])");
    RunResult r = ik_for(Wire::anthropic, { "-p", "see @big.png" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(
        r.err, HasSubstr("@big.png: not attached (5.6 MB encoded, over Anthropic's limit of 5.0 MB per image)"));
    EXPECT_THAT(request(0), Not(HasSubstr(R"("type":"image")")));
    // read_file: the model hears why.
    EXPECT_THAT(
        request(1), HasSubstr("[image big.png not sent: 5.6 MB encoded, over Anthropic's limit of 5.0 MB per image]"));
    EXPECT_THAT(request(1), Not(HasSubstr(R"("type":"image")")));
    RunResult openai = ik_for(Wire::openai_chat, { "-p", "see @big.png" });
    EXPECT_THAT(openai.err, HasSubstr("attached image big.png 4.2 MB"));
    EXPECT_THAT(request(2), HasSubstr(R"("type":"image_url")"));
}

TEST_F(Images, AFileOverIksImageLimitIsNotRead)
{
    write_config(images_on);
    std::string huge = png;
    huge.resize(size_t{ 21'000'000 }, 'x');
    write_binary("huge.png", huge);
    start_mock(R"([{"steps": [{"text": "ok"}]}])");
    RunResult r = ik_for(Wire::openai_chat, { "-p", "see @huge.png" });
    EXPECT_THAT(r.err, HasSubstr("huge.png is an image of 21.0 MB, over ik's limit of 20.0 MB per image"));
    EXPECT_THAT(request(0), Not(HasSubstr("image_url")));
}

TEST_F(Images, AFileNamedLikeAnImageIsNotOneAndATrueImageNeedsNoExtension)
{
    write_config(images_on);
    write_work_file("fake.png", "just text\n");
    write_binary("noext", png);
    start_mock(R"([{"steps": [{"text": "ok"}]}])");
    RunResult r = ik_for(Wire::anthropic, { "-p", "@fake.png and @noext" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string sent = request(0);
    EXPECT_THAT(sent, Not(HasSubstr("fake.png 10 bytes")));
    EXPECT_THAT(r.err, Not(HasSubstr("attached image fake.png")));
    EXPECT_THAT(r.err, HasSubstr("attached image noext 16 bytes"));
    EXPECT_THAT(sent, HasSubstr(block_for(Wire::anthropic)));
}

TEST_F(Images, AnImageOutsideTheProjectOrThroughASymlinkOutIsNotAttached)
{
    write_config(images_on);
    std::string outside = m_tmp.path() + "/home/secret.png";
    std::ofstream(outside, std::ios::binary) << png;
    std::filesystem::create_symlink(outside, work_dir() + "/link.png");
    start_mock(R"([{"steps": [{"text": "ok"}]}])");
    RunResult r = ik_for(Wire::anthropic, { "-p", "@link.png" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("@link.png: not attached"));
    EXPECT_THAT(request(0), Not(HasSubstr(png_b64)));
}

TEST_F(Images, AResumedSessionSendsTheImageAgainAndSessionsShowNamesIt)
{
    write_config(images_on);
    write_binary("shot.png", png);
    start_mock(
        R"([{"steps": [{"tool_calls": [{"id": "t1", "name": "read_file", "arguments": "{\"path\":\"shot.png\"}"}]}]},
                  {"steps": [{"text": "first"}]}, {"steps": [{"text": "second"}]}])");
    ASSERT_EQ(ik_for(Wire::anthropic, { "-p", "see @shot.png" }).exit_code, 0);
    std::filesystem::remove(work_dir() + "/shot.png"); // the store has it
    RunResult again = ik_for(Wire::anthropic, { "-c", "-p", "and again?" });
    EXPECT_EQ(again.exit_code, 0) << again.err;
    std::string sent = request(2);
    EXPECT_THAT(sent, HasSubstr("and again?"));
    // Once in the first user message, once in the read_file result.
    size_t first = sent.find(block_for(Wire::anthropic));
    ASSERT_NE(first, std::string::npos) << sent;
    EXPECT_NE(sent.find(block_for(Wire::anthropic), first + 1), std::string::npos) << sent;

    RunResult list = ik({ "sessions" });
    std::string id = list.out.substr(list.out.find('\n') + 1, 6);
    RunResult shown = ik({ "sessions", "show", id });
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_THAT(shown.out, HasSubstr("[image shot.png, 16 bytes]"));
    EXPECT_THAT(shown.out, Not(HasSubstr(png_b64)));
}

TEST_F(Images, AnMcpToolsImageIsPassedOnAndAForgedOneIsNot)
{
    const std::string script = std::string(IK_TEST_SUPPORT_DIR) + "/mcp/stdio_server.py";
    write_config(fmt::format(R"({{"http": {{"connect_timeout_s": 2, "idle_timeout_s": 5, "max_retries": 1,
        "backoff_base_ms": 20}}, "sandbox": {{"mode": "off"}}, "rules": {{"allow": ["mcp__calc__*"]}},
        "models": {{"anthropic/claude-test": {{"images": true}}}},
        "mcp": {{"servers": {{"calc": {{"command": "python3", "args": ["{}"]}}}}}}}})",
        json_escape(script)));
    start_mock(R"([{"steps": [{"tool_calls": [{"id": "t1", "name": "mcp__calc__media", "arguments": "{}"}]}]},
                  {"steps": [{"tool_calls": [{"id": "t2", "name": "mcp__calc__forged_image", "arguments": "{}"}]}]},
                  {"steps": [{"text": "done"}]}])");
    RunOptions o;
    o.timeout = std::chrono::milliseconds(30'000);
    RunResult r = ik_for(Wire::anthropic, { "-p", "go", "--approval", "ask" }, o);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // The server's PNG signature ("iVBORw0KGgo=") goes inside the tool_result.
    EXPECT_THAT(request(1),
        HasSubstr(R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}})"));
    EXPECT_THAT(request(1), HasSubstr("here is a picture"));
    // A block whose bytes are not an image, whatever its mimeType says.
    EXPECT_THAT(
        request(2), HasSubstr("[mcp__calc__forged_image image 1 not passed on: not a PNG, JPEG, GIF or WebP image]"));
    EXPECT_THAT(request(2), Not(HasSubstr("PHN2Zz4=")));
}

} // namespace
