#include <gtest/gtest.h>

#include "core/json.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::testing;
using ::testing::HasSubstr;

TEST(Json, ParsesIntoTheArena)
{
    mem::Arena a("json");
    auto v = json::parse(a, R"({"choices":[{"delta":{"content":"hello"}}]})");
    ASSERT_THAT(v, IsOk());
    EXPECT_GT(a.stats().allocs, 0u);
    EXPECT_EQ(v->storage().get(), static_cast<boost::container::pmr::memory_resource*>(&a));
    json::Field f(*v);
    EXPECT_EQ(*f["choices"][0]["delta"]["content"].string(), "hello");
}

TEST(Json, FreeingTheArenaFreesTheDocumentWithoutAWalk)
{
    size_t base = mem::upstream_bytes();
    {
        mem::Arena a("json");
        // A deep, wide document; LSan/valgrind prove nothing survives the arena.
        std::string text = "[";
        for (int i = 0; i < 2000; ++i)
            text += R"({"k":"a long enough string to need its own allocation","n":[1,2,3]},)";
        text += "{}]";
        auto v = json::parse(a, text);
        ASSERT_THAT(v, IsOk());
        EXPECT_EQ(v->as_array().size(), 2001u);
        EXPECT_TRUE(v->storage().is_deallocate_trivial());
    }
    EXPECT_EQ(mem::upstream_bytes(), base);
}

TEST(Json, SyntaxErrorsNameSourceLineAndColumn)
{
    mem::Arena a("json");
    auto v = json::parse(a, "{\n  \"a\": 1,\n  \"b\" 2\n}", "config.json");
    ASSERT_THAT(v, HasError(ErrorCode::parse));
    EXPECT_THAT(v, HasErrorMessage(HasSubstr("config.json:3:7")));
}

TEST(Json, TrailingGarbageIsAnError)
{
    mem::Arena a("json");
    EXPECT_THAT(json::parse(a, "{} x"), HasError(ErrorCode::parse));
    EXPECT_THAT(json::parse(a, ""), HasError(ErrorCode::parse));
}

TEST(Json, FieldMismatchSaysWhereAndWhat)
{
    mem::Arena a("json");
    auto v = json::parse(a, R"({"choices":[{"delta":{"content":42}}]})");
    ASSERT_THAT(v, IsOk());
    json::Field f(*v);
    auto s = f["choices"][0]["delta"]["content"].string();
    EXPECT_THAT(s, HasErrorMessage(std::string("choices[0].delta.content: expected string, got number")));
    auto missing = f["choices"][1]["delta"].as_object();
    EXPECT_THAT(missing, HasErrorMessage(std::string("choices[1].delta: expected object, but it is missing")));
}

TEST(Json, TypedReaders)
{
    mem::Arena a("json");
    auto v = json::parse(a, R"({"i":7,"d":1.5,"b":true,"n":null,"s":"x","big":3.0})");
    ASSERT_THAT(v, IsOk());
    json::Field f(*v);
    EXPECT_EQ(*f["i"].integer(), 7);
    EXPECT_EQ(*f["big"].integer(), 3);
    EXPECT_THAT(f["d"].integer(), HasError(ErrorCode::parse));
    EXPECT_DOUBLE_EQ(*f["d"].number(), 1.5);
    // Boost.JSON 1.81 reads 0e+335 as NaN and 1e400 as infinity: neither is a number to use.
    auto odd = json::parse(a, R"({"nan":0e+335,"inf":1e400,"zero":0e-400})");
    ASSERT_THAT(odd, IsOk());
    EXPECT_THAT(json::Field(*odd)["nan"].number(), HasError(ErrorCode::parse));
    EXPECT_THAT(json::Field(*odd)["inf"].number(), HasError(ErrorCode::parse));
    EXPECT_THAT(json::Field(*odd)["nan"].integer(), HasError(ErrorCode::parse));
    EXPECT_THAT(json::Field(*odd)["zero"].number(), IsOk());
    EXPECT_TRUE(*f["b"].boolean());
    EXPECT_TRUE(f["n"].is_null());
    EXPECT_TRUE(f["nope"].is_null());
    EXPECT_FALSE(f["nope"].exists());
    EXPECT_EQ(f["s"].string_or("y"), "x");
    EXPECT_EQ(f["i"].string_or("y"), "y");
    EXPECT_EQ(f["nope"].integer_or(9), 9);
    EXPECT_EQ(f.size(), 6u);
}

TEST(Json, ReusableParserDoesNotTouchTheHeapInSteadyState)
{
    mem::Arena turn("turn");
    mem::Arena scratch(turn, "event", { .block_size = 16 * 1024 });
    json::Parser parser(turn);
    const std::string chunk
        = R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"content":"Hello there, friend"},"finish_reason":null}]})";
    for (int i = 0; i < 3; ++i) {
        ASSERT_THAT(parser.parse(chunk, scratch), IsOk());
        scratch.reset();
    }
    size_t calls = mem::upstream_calls();
    for (int i = 0; i < 1000; ++i) {
        auto v = parser.parse(chunk, scratch);
        ASSERT_THAT(v, IsOk());
        ASSERT_EQ(json::Field(*v)["choices"][0]["delta"]["content"].string_or(""), "Hello there, friend");
        scratch.reset();
    }
    EXPECT_EQ(mem::upstream_calls(), calls);
}

TEST(Json, TopLevelScalarsAndTruncatedDocuments)
{
    // write_some() alone leaves a top-level number unfinished and an
    // unterminated document pending; release() would then throw.
    mem::Arena a("json");
    json::Parser parser(a);
    for (std::string_view text : { "123", " -7 ", "1.5e3", "true", "null" }) {
        auto v = json::parse(a, text);
        ASSERT_THAT(v, IsOk()) << text;
        auto w = parser.parse(text, a);
        ASSERT_THAT(w, IsOk()) << text;
        EXPECT_EQ(*v, *w);
    }
    EXPECT_EQ(json::parse(a, "123")->as_int64(), 123);
    for (std::string_view text : { "{", "[1,", R"({"a":)", R"("abc)", "", "   ", "12e" }) {
        auto v = json::parse(a, text, "chunk");
        EXPECT_THAT(v, HasError(ErrorCode::parse)) << text;
        EXPECT_THAT(parser.parse(text, a, "chunk"), HasError(ErrorCode::parse)) << text;
    }
    EXPECT_THAT(json::parse(a, "[1,", "chunk"), HasErrorMessage(HasSubstr("chunk:1:4:")));
}

TEST(Json, LoneSurrogateEscapesBecomeReplacementCharacters)
{
    mem::Arena arena(mem::root(), "json-test");
    auto v = json::parse(arena, R"({"a": "x\ud800y", "b": "\udc00", "c": "\ud83d\ude00", "d": "\\ud800"})");
    ASSERT_THAT(v, IsOk());
    json::Field f(*v);
    EXPECT_EQ(*f["a"].string(), "x\xEF\xBF\xBDy");
    EXPECT_EQ(*f["b"].string(), "\xEF\xBF\xBD");
    EXPECT_EQ(*f["c"].string(), "\xF0\x9F\x98\x80"); // a valid pair is untouched
    EXPECT_EQ(*f["d"].string(), "\\ud800"); // an escaped backslash, not an escape
    json::Parser parser(arena);
    auto w = parser.parse(R"({"t": "\ud83d"})", arena);
    ASSERT_THAT(w, IsOk());
    EXPECT_EQ(*json::Field(*w)["t"].string(), "\xEF\xBF\xBD");
}

TEST(Json, DuplicateKeysAreFoundWithTheirLine)
{
    EXPECT_FALSE(json::find_duplicate_key(R"({"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]})"));
    auto dup = json::find_duplicate_key("{\n  \"a\": 1,\n  \"b\": {\"x\": 1,\n    \"x\": 2}\n}");
    ASSERT_TRUE(dup.has_value());
    EXPECT_EQ(dup->key, "x");
    EXPECT_EQ(dup->position.line, 4u);
}

TEST(Json, ValidateObjectBuildsNothing)
{
    EXPECT_THAT(json::validate_object(R"({"text": "hi", "n": [1, 2, {"x": null}]})"), IsOk());
    EXPECT_THAT(json::validate_object("[1]"), HasError(ErrorCode::invalid_argument));
    EXPECT_THAT(json::validate_object(R"({"text": )", "event"), HasError(ErrorCode::parse));
    EXPECT_THAT(json::validate_object(R"({} x)"), HasError(ErrorCode::parse));
}

// plain_string_in() must agree with the parser on everything it accepts, and
// leave to the parser everything that needs decoding or is not JSON.
TEST(Json, APlainStringIsReadWithoutTheParserOnlyWhenTheParserWouldReadTheSame)
{
    constexpr std::string_view prefix = R"({"k":")";
    constexpr std::string_view suffix = R"("})";
    const std::string_view accepted[] = {
        R"({"k":"hello"})", R"({"k":""})", "{\"k\":\"w\xC3\xB6rld \xE2\x9C\x93 \xF0\x9F\x98\x80\"}", "{\"k\":\"x\"}\n",
        "{\"k\":\"\xEF\xBF\xBE\"}", // a noncharacter is still valid UTF-8
    };
    for (std::string_view text : accepted) {
        auto got = json::plain_string_in(text, prefix, suffix);
        ASSERT_TRUE(got.has_value()) << text;
        mem::Arena a("json");
        auto v = json::parse(a, text);
        ASSERT_THAT(v, IsOk()) << text;
        EXPECT_EQ(*got, std::string_view(v->at("k").as_string())) << text;
    }
    const std::string_view refused[] = {
        R"({"k":"a\"b"})", // an escape: the parser decodes it
        R"({"k":"a\nb"})",
        "{\"k\":\"a\tb\"}", // a raw control character is not JSON
        "{\"k\":\"\xFF\"}", // invalid UTF-8
        "{\"k\":\"\xC0\xAF\"}", // overlong
        "{\"k\":\"\xED\xA0\x80\"}", // a UTF-16 surrogate encoded
        "{\"k\":\"\xE2\x9C\"}", // cut code point
        R"({"k":"x"} trailing)",
        R"({"k":"x"}})",
        R"({"k":"x")",
        R"({"k":"x)",
        R"({"j":"x"})",
        R"({"k":"x","k":"y"})",
    };
    for (std::string_view text : refused)
        EXPECT_FALSE(json::plain_string_in(text, prefix, suffix).has_value()) << text;
}
