#include <gtest/gtest.h>

#include "tui/visible.h"

using namespace ik::tui;

namespace {

std::string visible(std::string_view text)
{
    std::string out;
    append_visible(out, text);
    return out;
}

// `text` streamed in pieces of `size` bytes.
std::string streamed(std::string_view text, size_t size)
{
    VisibleStream stream;
    std::string out;
    for (size_t i = 0; i < text.size(); i += size)
        stream.append(out, text.substr(i, size));
    stream.finish(out);
    return out;
}

TEST(Visible, PrintableAsciiTabsAndNewlinesPass)
{
    EXPECT_EQ(visible("plain text, tabs\tand\nnewlines\n"), "plain text, tabs\tand\nnewlines\n");
    EXPECT_EQ(visible(""), "");
}

TEST(Visible, EscapeIsTheEscapeSymbol)
{
    EXPECT_EQ(visible("\x1b"), "␛");
    EXPECT_EQ(visible("a\x1b[2Jb"), "a␛[2Jb");
}

TEST(Visible, Osc52WithBelTerminatorCannotReachTheClipboard)
{
    EXPECT_EQ(visible("\x1b]52;c;ZXZpbA==\x07"), "␛]52;c;ZXZpbA==^G");
    EXPECT_EQ(visible("\x1b]52;c;ZXZpbA==\x1b\\"), "␛]52;c;ZXZpbA==␛\\");
}

TEST(Visible, OtherC0ControlsAndDelUseCaretNotation)
{
    EXPECT_EQ(visible(std::string_view("\0", 1)), "^@");
    EXPECT_EQ(visible("\x01\x08\x0b\x0c\x1f"), "^A^H^K^L^_");
    EXPECT_EQ(visible("\x7f"), "^?");
}

TEST(Visible, LoneCarriageReturnIsShownButCrLfIsALineEnding)
{
    EXPECT_EQ(visible("safe\rEVIL"), "safe^MEVIL");
    EXPECT_EQ(visible("line\r\nnext\r"), "line\r\nnext^M");
    EXPECT_EQ(visible("\r\r\n"), "^M\r\n");
}

TEST(Visible, C1ControlsShowTheirSevenBitTwin)
{
    // CSI as U+009B (C2 9B) would clear the screen on a terminal that honours C1.
    EXPECT_EQ(visible("\xc2\x9b"
                      "2J"),
        "␛[2J");
    EXPECT_EQ(visible("\xc2\x9d"
                      "52;c;eA==\xc2\x9c"),
        "␛]52;c;eA==␛\\");
    EXPECT_EQ(visible("\xc2\x80\xc2\x9f"), "␛@␛_");
}

TEST(Visible, RawC1BytesAndOtherInvalidUtf8BecomeReplacementCharacters)
{
    EXPECT_EQ(visible("\x9b"
                      "2J"),
        "\xEF\xBF\xBD"
        "2J");
    EXPECT_EQ(visible("a\xff\xfe"), "a\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(visible("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong '/'
    EXPECT_EQ(visible("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // a surrogate
    EXPECT_EQ(visible("cut \xe2\x82"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Visible, ValidMultibyteTextPasses)
{
    const std::string text = "héllo — 日本語 👨‍👩‍👧 \u00a0nbsp \u00a9";
    EXPECT_EQ(visible(text), text);
}

TEST(VisibleStream, PiecesGiveTheSameTextAsTheWhole)
{
    const std::string text = "a\r\nb\rc 日本 👍 \x1b]52;c;eA==\x07 \xc2\x9b 2J \xff end\r";
    for (size_t size = 1; size <= text.size(); ++size)
        EXPECT_EQ(streamed(text, size), visible(text)) << "pieces of " << size;
}

TEST(VisibleStream, ACharacterSplitBetweenPiecesWaitsForItsEnd)
{
    VisibleStream stream;
    std::string out;
    stream.append(out, "x\xe6\x97");
    EXPECT_EQ(out, "x");
    stream.append(out, "\xa5y");
    EXPECT_EQ(out, "x日y");
    stream.append(out, "\r");
    EXPECT_EQ(out, "x日y");
    stream.append(out, "\n");
    EXPECT_EQ(out, "x日y\r\n");
    stream.append(out, "\xf0\x9f");
    stream.finish(out);
    EXPECT_EQ(out, "x日y\r\n\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(TextWriter, ExactWritesTheBytesAndVisibleRendersThem)
{
    for (Rendering r : { Rendering::exact, Rendering::visible }) {
        std::FILE* f = std::tmpfile();
        ASSERT_NE(f, nullptr);
        TextWriter w(f, r);
        w.print("[{}] {}\n", 1, "\x1b[2J");
        std::fflush(f);
        std::rewind(f);
        char buf[64] = {};
        size_t n = std::fread(buf, 1, sizeof buf, f);
        std::fclose(f);
        EXPECT_EQ(std::string(buf, n), r == Rendering::exact ? "[1] \x1b[2J\n" : "[1] ␛[2J\n");
    }
}

TEST(TextWriter, AFileIsNotATerminal)
{
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(rendering_for(f), Rendering::exact);
    std::fclose(f);
}

} // namespace
