#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/utf8.h"

using namespace ik::utf8;

TEST(Utf8, AsciiIsOneColumnPerByte)
{
    EXPECT_EQ(display_width("hello").value, 5u);
    EXPECT_EQ(next_grapheme("hello", Bytes(0)).value, 1u);
}

TEST(Utf8, CjkAndEmojiAreTwoColumns)
{
    EXPECT_EQ(display_width("日本語").value, 6u);
    EXPECT_EQ(display_width("😀").value, 2u);
    EXPECT_EQ(display_width("a😀b").value, 4u);
}

TEST(Utf8, CombiningMarksJoinTheirBase)
{
    std::string_view e_acute = "e\xCC\x81x"; // e + COMBINING ACUTE, then x
    EXPECT_EQ(next_grapheme(e_acute, Bytes(0)).value, 3u);
    EXPECT_EQ(display_width(e_acute).value, 2u);
    EXPECT_EQ(previous_grapheme(e_acute, Bytes(3)).value, 0u);
}

TEST(Utf8, ZwjFamilyIsOneGraphemeTwoColumns)
{
    std::string_view family = "👨‍👩‍👧";
    EXPECT_EQ(next_grapheme(family, Bytes(0)).value, family.size());
    EXPECT_EQ(display_width(family).value, 2u);
}

TEST(Utf8, FlagsAreOneGrapheme)
{
    std::string_view flag = "🇫🇷";
    EXPECT_EQ(next_grapheme(flag, Bytes(0)).value, flag.size());
    EXPECT_EQ(display_width(flag).value, 2u);
}

TEST(Utf8, InvalidBytesAreOneColumnEach)
{
    std::string_view bad = "a\xFF\xFE"
                           "b";
    EXPECT_FALSE(is_valid(bad));
    EXPECT_EQ(display_width(bad).value, 4u);
    EXPECT_EQ(next_grapheme(bad, Bytes(1)).value, 1u);
}

TEST(Utf8, ValidityIsCheckedAtEveryOffsetOfALongText)
{
    // ASCII is skipped eight bytes at a time: a bad byte or a split
    // sequence must be found wherever it falls in or after a word.
    std::string ascii(40, 'x');
    EXPECT_TRUE(is_valid(ascii));
    for (size_t at = 0; at < ascii.size(); ++at) {
        std::string bad = ascii;
        bad[at] = '\xFF';
        EXPECT_FALSE(is_valid(bad)) << "bad byte at " << at;
        std::string cut = ascii.substr(0, at) + "\xC3"; // a lead byte without its continuation
        EXPECT_FALSE(is_valid(cut)) << "cut sequence at " << at;
        std::string wide = ascii.substr(0, at) + "é" + ascii.substr(at);
        EXPECT_TRUE(is_valid(wide)) << "two-byte letter at " << at;
    }
}

TEST(Utf8, PrefixFittingNeverSplitsAWideGlyph)
{
    EXPECT_EQ(prefix_fitting("日本語", Columns(3)).value, 3u);
    EXPECT_EQ(prefix_fitting("日本語", Columns(4)).value, 6u);
    EXPECT_EQ(prefix_fitting("abc", Columns(10)).value, 3u);
}

TEST(Utf8, AsciiFastPathKeepsCombiningMarksAndCrLf)
{
    // An ASCII letter followed by a combining mark is still one cluster.
    EXPECT_EQ(next_grapheme("ae\xCC\x81", Bytes(1)).value, 3u);
    EXPECT_EQ(next_grapheme("a\r\nb", Bytes(1)).value, 2u);
    EXPECT_EQ(previous_grapheme("a\r\nb", Bytes(3)).value, 1u);
}

TEST(Utf8, PreviousGraphemeRestartsFromANearbySafePoint)
{
    // Deep in long text, the answer matches a scan from the very start.
    std::string text;
    for (int i = 0; i < 200; ++i)
        text += "ab e\xCC\x81 👨‍👩‍👧 日本 🇫🇷x\r\n";
    size_t pos = 0;
    std::vector<size_t> starts;
    while (pos < text.size()) {
        starts.push_back(pos);
        pos += next_grapheme(text, Bytes(pos)).value;
    }
    for (size_t i = 1; i < starts.size(); ++i)
        ASSERT_EQ(previous_grapheme(text, Bytes(starts[i])).value, starts[i - 1]) << "at " << starts[i];
    EXPECT_EQ(previous_grapheme(text, Bytes(text.size())).value, starts.back());
}

TEST(Utf8, RepairedReplacesEachInvalidByte)
{
    size_t n = 0;
    EXPECT_EQ(ik::utf8::repaired("ok \xff\xfe ✓", &n), "ok \xEF\xBF\xBD\xEF\xBF\xBD ✓");
    EXPECT_EQ(n, 2u);
    EXPECT_EQ(ik::utf8::repaired("fine", &n), "fine");
    EXPECT_EQ(n, 0u);
    EXPECT_TRUE(ik::utf8::is_valid(ik::utf8::repaired("\xC3")));
}
