#include <gtest/gtest.h>

#include "tui/editor.h"

using namespace ik::tui;
using ik::utf8::Bytes;
using ik::utf8::Columns;

namespace {

Editor with(std::string_view text)
{
    Editor e;
    e.set_text(text);
    return e;
}

size_t cursor(const Editor& e)
{
    return e.cursor().value;
}

} // namespace

TEST(Editor, InsertAndGraphemeMotionOverEmojiCjkCombiningAndZwj)
{
    const std::string family = "👨‍👩‍👧";
    const std::string e_acute = "e\xCC\x81";
    const std::string flag = "🇫🇷";
    Editor e;
    e.insert("a");
    e.insert(family);
    e.insert("日");
    e.insert(e_acute);
    e.insert(flag);
    EXPECT_EQ(e.text(), "a" + family + "日" + e_acute + flag);
    std::vector<size_t> stops
        = { 0, 1, 1 + family.size(), 4 + family.size(), 7 + family.size(), 7 + family.size() + flag.size() };
    for (size_t i = stops.size() - 1; i > 0; --i) {
        EXPECT_EQ(cursor(e), stops[i]);
        EXPECT_TRUE(e.move_left());
    }
    EXPECT_EQ(cursor(e), 0u);
    EXPECT_FALSE(e.move_left());
    for (size_t i = 1; i < stops.size(); ++i) {
        EXPECT_TRUE(e.move_right());
        EXPECT_EQ(cursor(e), stops[i]);
    }
    EXPECT_FALSE(e.move_right());
}

TEST(Editor, BackspaceAndDeleteRemoveWholeGraphemes)
{
    Editor e = with("x👨‍👩‍👧e\xCC\x81y");
    e.move_left();
    EXPECT_TRUE(e.delete_backward()); // the e + combining acute
    EXPECT_EQ(e.text(), "x👨‍👩‍👧y");
    EXPECT_TRUE(e.delete_backward()); // the whole ZWJ family
    EXPECT_EQ(e.text(), "xy");
    EXPECT_TRUE(e.delete_forward());
    EXPECT_EQ(e.text(), "x");
    EXPECT_FALSE(e.delete_forward());
    e.move_line_start();
    EXPECT_FALSE(e.delete_backward());
}

TEST(Editor, SetCursorSnapsToGraphemeStart)
{
    Editor e = with("a😀b");
    e.set_cursor(Bytes(3)); // inside the emoji
    EXPECT_EQ(cursor(e), 1u);
    e.set_cursor(Bytes(100));
    EXPECT_EQ(cursor(e), 6u);
}

TEST(Editor, LineStartEndOnMultiLineText)
{
    Editor e = with("first\nsecond line\nthird");
    e.set_cursor(Bytes(9)); // inside "second"
    e.move_line_start();
    EXPECT_EQ(cursor(e), 6u);
    e.move_line_end();
    EXPECT_EQ(cursor(e), 17u);
}

TEST(Editor, WordMotions)
{
    Editor e = with("foo_bar  baz.qux 日本 end");
    e.move_line_start();
    e.move_word_right();
    EXPECT_EQ(cursor(e), 7u); // after foo_bar
    e.move_word_right();
    EXPECT_EQ(cursor(e), 12u); // after baz
    e.move_word_right();
    EXPECT_EQ(cursor(e), 16u); // after qux
    e.move_word_right();
    EXPECT_EQ(cursor(e), 23u); // after 日本
    e.move_word_left();
    EXPECT_EQ(cursor(e), 17u);
    e.move_word_left();
    EXPECT_EQ(cursor(e), 13u);
    e.move_line_start();
    e.move_word_left();
    EXPECT_EQ(cursor(e), 0u);
}

TEST(Editor, KillAndYank)
{
    Editor e = with("hello big world");
    e.kill_previous_word();
    EXPECT_EQ(e.text(), "hello big ");
    EXPECT_EQ(e.kill_ring(), "world");
    e.kill_previous_word(); // consecutive backward kills accumulate
    EXPECT_EQ(e.text(), "hello ");
    EXPECT_EQ(e.kill_ring(), "big world");
    e.yank();
    EXPECT_EQ(e.text(), "hello big world");
    e.move_line_start();
    e.move_word_right();
    e.kill_to_line_end();
    EXPECT_EQ(e.text(), "hello");
    EXPECT_EQ(e.kill_ring(), " big world");
    e.kill_to_line_start(); // follows a kill: prepended, as in readline
    EXPECT_EQ(e.text(), "");
    EXPECT_EQ(e.kill_ring(), "hello big world");
    e.insert("<");
    e.kill_previous_word(); // after a non-kill command: a fresh kill
    EXPECT_EQ(e.kill_ring(), "<");
    e.yank();
    e.yank();
    EXPECT_EQ(e.text(), "<<");
}

TEST(Editor, KillsJoinLinesAtLineEdges)
{
    Editor e = with("one\ntwo");
    e.kill_to_line_start();
    EXPECT_EQ(e.text(), "one\n");
    e.kill_to_line_start(); // at a line start: joins with the previous line
    EXPECT_EQ(e.text(), "one");
    e.set_text("one\ntwo");
    e.set_cursor(Bytes(3));
    e.kill_to_line_end(); // at a line end: joins the next line
    EXPECT_EQ(e.text(), "onetwo");
}

TEST(Editor, UpDownKeepGoalColumnAndReportEdges)
{
    Editor e = with("long first line\nab\n日本語テキスト");
    EXPECT_TRUE(e.on_last_line());
    e.move_line_start();
    e.move_right();
    e.move_right(); // column 4 in the CJK line
    EXPECT_TRUE(e.move_up());
    EXPECT_EQ(cursor(e), 18u); // end of "ab" (column 2)
    EXPECT_TRUE(e.move_up());
    EXPECT_EQ(cursor(e), 4u); // goal column 4 is kept
    EXPECT_TRUE(e.on_first_line());
    EXPECT_FALSE(e.move_up());
    EXPECT_TRUE(e.move_down());
    EXPECT_TRUE(e.move_down());
    EXPECT_EQ(cursor(e), 19u + 6u); // column 4 = after two wide glyphs
    EXPECT_FALSE(e.move_down());
}

TEST(Editor, PasteKeepsNewlinesAndNormalizesCarriageReturns)
{
    Editor e = with("<>");
    e.move_left();
    e.insert_paste("a\r\nb\rc\n\td");
    EXPECT_EQ(e.text(), "<a\nb\nc\n\td>");
    EXPECT_EQ(cursor(e), 9u);
}

TEST(Editor, MegabytePasteIsOneSplice)
{
    std::string big(1 << 20, 'x');
    for (size_t i = 0; i < big.size(); i += 100)
        big[i] = '\n';
    Editor e = with("head tail");
    e.set_cursor(Bytes(5));
    e.insert_paste(big);
    EXPECT_EQ(e.text().size(), 9 + big.size());
    EXPECT_EQ(cursor(e), 5 + big.size());
    EXPECT_EQ(e.text().substr(cursor(e)), "tail");
    // Backspace deep in a mostly-ASCII buffer scans only nearby bytes.
    EXPECT_TRUE(e.delete_backward());
    EXPECT_EQ(e.text().size(), 8 + big.size());
}

TEST(Editor, ClearAndEmpty)
{
    Editor e = with("x");
    EXPECT_FALSE(e.empty());
    e.clear();
    EXPECT_TRUE(e.empty());
    EXPECT_EQ(cursor(e), 0u);
}

TEST(EditorLayout, SoftWrapsByColumnsAndPlacesCursor)
{
    Editor e = with("abcdefghij");
    auto l = e.layout(Columns(4));
    ASSERT_EQ(l.rows.size(), 3u);
    EXPECT_EQ(e.row_text(l.rows[0]), "abcd");
    EXPECT_EQ(e.row_text(l.rows[2]), "ij");
    EXPECT_EQ(l.cursor_row, 2u);
    EXPECT_EQ(l.cursor_column.value, 2u);
    e.set_cursor(Bytes(4));
    l = e.layout(Columns(4));
    EXPECT_EQ(l.cursor_row, 1u);
    EXPECT_EQ(l.cursor_column.value, 0u);
}

TEST(EditorLayout, WideGlyphsAreNeverSplit)
{
    Editor e = with("a日本語");
    auto l = e.layout(Columns(4));
    ASSERT_EQ(l.rows.size(), 3u);
    EXPECT_EQ(e.row_text(l.rows[0]), "a日"); // 3 columns; 本 would need 5
    EXPECT_EQ(l.rows[0].width.value, 3u);
    EXPECT_EQ(e.row_text(l.rows[1]), "本語");
    EXPECT_EQ(l.cursor_row, 2u); // the full last row pushes the cursor to a new row
    EXPECT_EQ(l.cursor_column.value, 0u);
    e.move_left();
    l = e.layout(Columns(4));
    ASSERT_EQ(l.rows.size(), 2u);
    EXPECT_EQ(l.cursor_row, 1u);
    EXPECT_EQ(l.cursor_column.value, 2u);
}

TEST(EditorLayout, FullLastRowGetsACursorRow)
{
    Editor e = with("abcd");
    auto l = e.layout(Columns(4));
    ASSERT_EQ(l.rows.size(), 2u);
    EXPECT_EQ(l.cursor_row, 1u);
    EXPECT_EQ(l.cursor_column.value, 0u);
    EXPECT_EQ(e.row_text(l.rows[1]), "");
}

TEST(EditorLayout, EmojiCombiningAndZwjColumns)
{
    Editor e = with("e\xCC\x81👨‍👩‍👧x");
    auto l = e.layout(Columns(80));
    ASSERT_EQ(l.rows.size(), 1u);
    EXPECT_EQ(l.rows[0].width.value, 4u); // 1 + 2 + 1
    EXPECT_EQ(l.cursor_column.value, 4u);
    e.move_left();
    EXPECT_EQ(e.layout(Columns(80)).cursor_column.value, 3u);
    e.move_left();
    EXPECT_EQ(e.layout(Columns(80)).cursor_column.value, 1u);
}

TEST(EditorLayout, MultiLineInputAndCursorOnLaterLine)
{
    Editor e = with("first\n\nthird line here");
    auto l = e.layout(Columns(10));
    ASSERT_EQ(l.rows.size(), 4u);
    EXPECT_EQ(e.row_text(l.rows[1]), "");
    EXPECT_EQ(e.row_text(l.rows[2]), "third line");
    EXPECT_EQ(e.row_text(l.rows[3]), " here");
    EXPECT_EQ(l.cursor_row, 3u);
    EXPECT_EQ(l.cursor_column.value, 5u);
    e.set_cursor(Bytes(6)); // the empty line
    l = e.layout(Columns(10));
    EXPECT_EQ(l.cursor_row, 1u);
    EXPECT_EQ(l.cursor_column.value, 0u);
}

TEST(EditorLayout, TabsExpandAndControlsAreMadeVisible)
{
    Editor e = with("a\tb\x1b[2J");
    auto l = e.layout(Columns(80));
    ASSERT_EQ(l.rows.size(), 1u);
    EXPECT_EQ(e.row_text(l.rows[0]), "a       b^[[2J");
    EXPECT_EQ(l.rows[0].width.value, 14u);
    EXPECT_EQ(l.cursor_column.value, 14u);
    Editor bad = with("a\xFF");
    EXPECT_EQ(bad.row_text(bad.layout(Columns(80)).rows[0]), "a\xEF\xBF\xBD");
}

TEST(EditorLayout, TabAtTheEdgeFillsTheRow)
{
    Editor e = with("abcdef\tg");
    auto l = e.layout(Columns(8));
    ASSERT_EQ(l.rows.size(), 2u);
    EXPECT_EQ(e.row_text(l.rows[0]), "abcdef  ");
    EXPECT_EQ(e.row_text(l.rows[1]), "g");
}

TEST(EditorLayout, TabAfterAFullRowWraps)
{
    Editor e = with("abcd\tx");
    auto l = e.layout(Columns(4));
    ASSERT_EQ(l.rows.size(), 3u);
    EXPECT_EQ(e.row_text(l.rows[0]), "abcd");
    EXPECT_EQ(e.row_text(l.rows[1]), "    "); // the tab, clamped to the width
    EXPECT_EQ(e.row_text(l.rows[2]), "x");
}

TEST(Editor, RandomEditsKeepTheCursorOnGraphemeBoundaries)
{
    const std::vector<std::string> pieces
        = { "a", " ", "日", "😀", "👨‍👩‍👧", "e\xCC\x81", "🇫🇷", "\n", "\t", "x y" };
    uint32_t seed = 7;
    auto next = [&] {
        seed = seed * 1664525u + 1013904223u;
        return seed >> 8;
    };
    Editor e;
    for (int step = 0; step < 3000; ++step) {
        switch (next() % 12) {
        case 0:
        case 1:
        case 2:
            e.insert(pieces[next() % pieces.size()]);
            break;
        case 3:
            e.move_left();
            break;
        case 4:
            e.move_right();
            break;
        case 5:
            e.move_word_left();
            break;
        case 6:
            e.move_word_right();
            break;
        case 7:
            e.move_up();
            break;
        case 8:
            e.move_down();
            break;
        case 9:
            e.delete_backward();
            break;
        case 10:
            e.kill_previous_word();
            break;
        default:
            e.yank();
            break;
        }
        size_t c = e.cursor().value;
        ASSERT_LE(c, e.text().size());
        if (c > 0 && c < e.text().size()) {
            size_t start = ik::utf8::previous_grapheme(e.text(), e.cursor()).value;
            ASSERT_EQ(start + ik::utf8::next_grapheme(e.text(), Bytes(start)).value, c) << "step " << step;
        }
        auto l = e.layout(Columns(7));
        ASSERT_LT(l.cursor_row, l.rows.size());
        ASSERT_LT(l.cursor_column.value, 7u);
    }
}
