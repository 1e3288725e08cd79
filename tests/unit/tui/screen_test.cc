#include <random>

#include <gtest/gtest.h>

#include "support/matchers.h"
#include "tui/escape.h"
#include "tui/screen.h"
#include "vt_model.h"

namespace ik::tui {
namespace {

using ik::testing::IsOk;
using test::RecordingSink;
using test::VtModel;
using namespace std::chrono_literals;

const Screen::Clock::time_point t0 = Screen::Clock::time_point{} + 1h;

void draw(Frame& f, const std::vector<std::string>& rows)
{
    for (size_t i = 0; i < rows.size(); ++i)
        f.put(static_cast<int>(i), rows[i]);
}

struct Fixture {
    Size size{ 6, 20 };
    VtModel vt{ 6, 20 };
    RecordingSink sink{ &vt };
    Screen screen{ ColorMode::truecolor };

    size_t present(const std::vector<std::string>& rows, Screen::Clock::time_point at = t0)
    {
        Frame& f = screen.begin_frame(size);
        draw(f, rows);
        auto r = screen.present(sink, at);
        EXPECT_TRUE(r.has_value());
        std::string why;
        EXPECT_TRUE(vt.matches(f, &why)) << why;
        return r.value_or(0);
    }
};

TEST(Screen, FirstFrameDrawsEverythingInOneSynchronizedWrite)
{
    Fixture x;
    x.present({ "hello", "", "world" });
    EXPECT_EQ(x.sink.writes, 1);
    std::string begin, end;
    esc::sync_begin(begin);
    esc::sync_end(end);
    EXPECT_TRUE(x.sink.last.starts_with(begin));
    EXPECT_TRUE(x.sink.last.ends_with(end));
    EXPECT_EQ(x.vt.row_text(0), "hello");
    EXPECT_EQ(x.vt.row_text(2), "world");
    EXPECT_FALSE(x.vt.in_sync());
}

TEST(Screen, IdenticalFrameWritesNothing)
{
    Fixture x;
    x.present({ "a", "b", "c" });
    int writes = x.sink.writes;
    EXPECT_EQ(x.present({ "a", "b", "c" }), 0u);
    EXPECT_EQ(x.sink.writes, writes);
}

TEST(Screen, OnlyChangedLinesAreSent)
{
    Fixture x;
    x.present({ "first line", "second line", "third line", "fourth line" });
    x.present({ "first line", "second line", "THIRD", "fourth line" });
    EXPECT_EQ(x.sink.writes, 2);
    EXPECT_EQ(x.sink.last.find("first"), std::string::npos);
    EXPECT_EQ(x.sink.last.find("second"), std::string::npos);
    EXPECT_EQ(x.sink.last.find("fourth"), std::string::npos);
    EXPECT_NE(x.sink.last.find("THIRD"), std::string::npos);
}

TEST(Screen, AppendedTextSendsOnlyTheNewBytes)
{
    Fixture x;
    x.present({ "The quick" });
    x.present({ "The quick brown" });
    std::string begin, end;
    esc::sync_begin(begin);
    esc::sync_end(end);
    // The cursor is known to sit after "quick": not even a move is needed.
    EXPECT_EQ(x.sink.last, begin + " brown" + end);
}

TEST(Screen, ShorterLineIsErased)
{
    Fixture x;
    x.present({ "a long line here" });
    x.present({ "a long" });
    EXPECT_NE(x.sink.last.find("\x1b[K"), std::string::npos);
    EXPECT_EQ(x.vt.row_text(0), "a long");
}

TEST(Screen, NeverRepeatsAnAttributeAlreadySet)
{
    Fixture x;
    Frame& f = x.screen.begin_frame(x.size);
    Style red = Style{}.with_fg(color::red);
    f.put(0, "red", red);
    f.put(1, "also red", red);
    f.put(2, "red again", red);
    ASSERT_THAT(x.screen.present(x.sink, t0), IsOk());
    size_t first = x.sink.last.find("31m");
    ASSERT_NE(first, std::string::npos);
    EXPECT_EQ(x.sink.last.find("31m", first + 3), std::string::npos);
    std::string why;
    EXPECT_TRUE(x.vt.matches(f, &why)) << why;
}

TEST(Screen, CursorIsPlacedAndShownOnlyWhenItChanges)
{
    Fixture x;
    Frame& f = x.screen.begin_frame(x.size);
    f.put(5, "> ab");
    f.set_cursor(5, 4);
    ASSERT_THAT(x.screen.present(x.sink, t0), IsOk());
    EXPECT_EQ(x.vt.cursor_row(), 5);
    EXPECT_EQ(x.vt.cursor_col(), 4);
    EXPECT_TRUE(x.vt.cursor_visible());
    Frame& g = x.screen.begin_frame(x.size);
    g.put(5, "> ab");
    g.set_cursor(5, 4);
    EXPECT_EQ(x.screen.present(x.sink, t0).value_or(99), 0u);
}

TEST(Screen, ResizeAndInvalidateRedrawEverything)
{
    Fixture x;
    x.present({ "one", "two" });
    x.size = Size{ 4, 10 };
    x.vt.resize(4, 10);
    x.present({ "one", "two" });
    EXPECT_NE(x.sink.last.find("one"), std::string::npos);
    EXPECT_NE(x.sink.last.find("\x1b[2J"), std::string::npos);
    x.screen.invalidate();
    x.present({ "one", "two" });
    EXPECT_NE(x.sink.last.find("two"), std::string::npos);
}

TEST(Screen, NoColorModeEmitsNoColorButKeepsBoldAndReverse)
{
    VtModel vt(2, 20);
    RecordingSink sink(&vt);
    Screen screen(ColorMode::none);
    Frame& f = screen.begin_frame({ 2, 20 });
    f.put(0, "x", Style{}.with_fg(color::red).with(attr_bold));
    f.put(1, "y", Style{}.with_bg(Color::rgb(9, 9, 9)).with(attr_reverse));
    ASSERT_THAT(screen.present(sink, t0), IsOk());
    EXPECT_EQ(sink.all.find("31"), std::string::npos);
    EXPECT_EQ(sink.all.find("48;"), std::string::npos);
    EXPECT_TRUE(vt.cell(0, 0).style.has(attr_bold));
    EXPECT_TRUE(vt.cell(1, 0).style.has(attr_reverse));
}

TEST(Screen, WideAndCombiningCharactersStayAligned)
{
    Fixture x;
    x.present({ "日本語 text", "e" });
    x.present({ "日本語 text!", "e\xCC\x81" }); // e + combining acute: the cell is rewritten
    EXPECT_EQ(x.vt.row_text(0), "日本語 text!");
    EXPECT_EQ(x.vt.row_text(1), "e\xCC\x81");
}

// Random frames: after every present the model terminal shows exactly the
// frame, text and styles, whatever the diff decided to send.
TEST(Screen, RandomFrameSequencesConverge)
{
    std::mt19937 rng(1234);
    const char* words[] = { "a", "bb", "日本", "é", "ccc ", "  ", "→", "x", "😀", "long-word" };
    Style styles[] = { Style{}, Style{}.with(attr_bold), Style{}.with_fg(color::red),
        Style{}.with_bg(Color::indexed(22)), Style{}.with(attr_dim | attr_italic) };
    Fixture x;
    for (int frame = 0; frame < 300; ++frame) {
        Frame& f = x.screen.begin_frame(x.size);
        for (int r = 0; r < x.size.rows; ++r) {
            if (rng() % 3 == 0)
                continue;
            int n = static_cast<int>(rng() % 8);
            for (int k = 0; k < n; ++k)
                f.put(r, words[rng() % std::size(words)], styles[rng() % std::size(styles)]);
        }
        if (rng() % 2)
            f.set_cursor(static_cast<int>(rng() % 6), static_cast<int>(rng() % 20));
        ASSERT_TRUE(x.screen.present(x.sink, t0).has_value());
        std::string why;
        ASSERT_TRUE(x.vt.matches(f, &why)) << "frame " << frame << ": " << why;
        if (f.cursor_visible()) {
            ASSERT_EQ(x.vt.cursor_row(), f.cursor_row());
            ASSERT_EQ(x.vt.cursor_col(), f.cursor_col());
        }
    }
}

TEST(Screen, ShiftedRowsAreScrolledNotRewritten)
{
    Fixture x;
    x.present({ "line one", "line two", "line three", "line four", "", "> input" });
    x.present({ "line two", "line three", "line four", "line five", "", "> input" });
    EXPECT_EQ(x.vt.scrolls, 1);
    EXPECT_EQ(x.sink.last.find("line two"), std::string::npos);
    EXPECT_EQ(x.sink.last.find("line three"), std::string::npos);
    EXPECT_NE(x.sink.last.find("line five"), std::string::npos);
    EXPECT_EQ(x.sink.last.find("input"), std::string::npos);
}

TEST(Screen, ACounterInTheMiddleRewritesOnlyTheCounter)
{
    Fixture x;
    x.present({ "tokens 12 of 100 used" });
    x.present({ "tokens 13 of 100 used" });
    std::string begin, end;
    esc::sync_begin(begin);
    esc::sync_end(end);
    std::string body = x.sink.last.substr(begin.size(), x.sink.last.size() - begin.size() - end.size());
    EXPECT_EQ(body.substr(body.size() - 1), "3");
    EXPECT_EQ(body.find("of 100"), std::string::npos);
}

// A scrolling log with a fixed footer, shifted by random amounts, with
// random edits: scroll detection must never leave a wrong row behind.
TEST(Screen, RandomScrollingConverges)
{
    std::mt19937 rng(99);
    std::vector<std::string> log;
    for (int i = 0; i < 400; ++i)
        log.push_back("entry " + std::to_string(i) + std::string(rng() % 12, '.') + (i % 5 ? "" : " 日本"));
    Fixture x;
    size_t top = 0;
    for (int frame = 0; frame < 200 && top + 5 < log.size(); ++frame) {
        top += rng() % 4;
        if (rng() % 5 == 0)
            log[top + rng() % 5] += "!";
        Frame& f = x.screen.begin_frame(x.size);
        for (int r = 0; r < 5; ++r)
            f.put(r, log[top + size_t(r)], r % 2 ? Style{} : Style{}.with_bg(color::blue));
        f.put(5, "footer " + std::to_string(frame % 3));
        f.set_cursor(5, 3);
        ASSERT_TRUE(x.screen.present(x.sink, t0).has_value());
        std::string why;
        ASSERT_TRUE(x.vt.matches(f, &why)) << "frame " << frame << ": " << why;
    }
    EXPECT_GT(x.vt.scrolls, 20);
}

TEST(Screen, AFailedWriteForcesAFullRedraw)
{
    struct FailingSink : ByteSink {
        Result<void> write(std::string_view) override { return fail(ErrorCode::io, "broken tty"); }
    } failing;
    Fixture x;
    x.present({ "one" });
    Frame& f = x.screen.begin_frame(x.size);
    f.put(0, "two");
    EXPECT_FALSE(x.screen.present(failing, t0).has_value());
    x.vt.resize(6, 20); // whatever the terminal shows now is unknown
    x.present({ "two" });
    EXPECT_NE(x.sink.last.find("\x1b[2J"), std::string::npos);
}

TEST(Screen, RateCapSpacesFrames)
{
    Fixture x;
    EXPECT_TRUE(x.screen.frame_due(t0));
    x.present({ "a" }, t0);
    EXPECT_FALSE(x.screen.frame_due(t0 + 20ms)); // nothing requested
    x.screen.request_redraw();
    EXPECT_FALSE(x.screen.frame_due(t0 + 5ms));
    EXPECT_EQ(x.screen.until_due(t0 + 5ms), 11ms);
    EXPECT_TRUE(x.screen.frame_due(t0 + 16ms));
    x.present({ "b" }, t0 + 16ms);
    // Streamed output alone waits for the longer output interval...
    x.screen.request_redraw(Screen::Redraw::output);
    EXPECT_FALSE(x.screen.frame_due(t0 + 50ms));
    EXPECT_TRUE(x.screen.frame_due(t0 + 66ms));
    // ...but a key press makes the frame due at the input interval.
    x.screen.request_redraw(Screen::Redraw::input);
    EXPECT_TRUE(x.screen.frame_due(t0 + 32ms));
}

TEST(Screen, AKeyIsDueAtOnceAfterAnOutputFrame)
{
    Fixture x;
    x.present({ "a" }, t0); // the first frame counts as drawn for input
    x.screen.request_redraw(Screen::Redraw::output);
    ASSERT_TRUE(x.screen.frame_due(t0 + 50ms));
    x.present({ "ab" }, t0 + 50ms); // an output frame
    // A key 1 ms later does not wait for a 16 ms slot after that frame.
    x.screen.request_redraw(Screen::Redraw::input);
    EXPECT_TRUE(x.screen.frame_due(t0 + 51ms));
    EXPECT_EQ(x.screen.until_due(t0 + 51ms), 0ms);
    x.present({ "ab", "k" }, t0 + 51ms);
    // Output after the key's frame waits its full interval from that frame.
    x.screen.request_redraw(Screen::Redraw::output);
    EXPECT_FALSE(x.screen.frame_due(t0 + 100ms));
    EXPECT_TRUE(x.screen.frame_due(t0 + 101ms));
}

TEST(Screen, KeyFramesAreSpacedByTheMinInterval)
{
    // A burst of keys (repeat, an unbracketed paste) is one frame per 16 ms.
    Fixture x;
    x.present({ "a" }, t0);
    x.screen.request_redraw(Screen::Redraw::input);
    EXPECT_FALSE(x.screen.frame_due(t0 + 4ms));
    EXPECT_EQ(x.screen.until_due(t0 + 4ms), 12ms);
    // Output pending as well does not make the key wait longer.
    x.screen.request_redraw(Screen::Redraw::output);
    EXPECT_TRUE(x.screen.frame_due(t0 + 16ms));
    x.present({ "ab" }, t0 + 16ms);
    x.screen.request_redraw(Screen::Redraw::input);
    EXPECT_FALSE(x.screen.frame_due(t0 + 31ms));
    EXPECT_TRUE(x.screen.frame_due(t0 + 32ms));
}

} // namespace
} // namespace ik::tui
