#include <gtest/gtest.h>

#include "tui/escape.h"
#include "tui/style.h"

namespace ik::tui {
namespace {

std::string run(void (*fn)(std::string&))
{
    std::string out;
    fn(out);
    return out;
}

TEST(Escape, CursorMovesAreOneBasedAndShort)
{
    std::string out;
    esc::cursor_to(out, 0, 0);
    EXPECT_EQ(out, "\x1b[H");
    out.clear();
    esc::cursor_to(out, 4, 0);
    EXPECT_EQ(out, "\x1b[5H");
    out.clear();
    esc::cursor_to(out, 9, 19);
    EXPECT_EQ(out, "\x1b[10;20H");
    out.clear();
    esc::cursor_forward(out, 1);
    esc::cursor_back(out, 3);
    esc::cursor_up(out, 2);
    esc::cursor_down(out, 1);
    EXPECT_EQ(out, "\x1b[C\x1b[3D\x1b[2A\x1b[B");
}

TEST(Escape, ModesAndErase)
{
    EXPECT_EQ(run(esc::alt_screen_enter), "\x1b[?1049h");
    EXPECT_EQ(run(esc::alt_screen_leave), "\x1b[?1049l");
    EXPECT_EQ(run(esc::bracketed_paste_on), "\x1b[?2004h");
    EXPECT_EQ(run(esc::bracketed_paste_off), "\x1b[?2004l");
    EXPECT_EQ(run(esc::mouse_on), "\x1b[?1000h\x1b[?1006h");
    EXPECT_EQ(run(esc::mouse_off), "\x1b[?1006l\x1b[?1000l");
    EXPECT_EQ(run(esc::sync_begin), "\x1b[?2026h");
    EXPECT_EQ(run(esc::sync_end), "\x1b[?2026l");
    EXPECT_EQ(run(esc::cursor_show), "\x1b[?25h");
    EXPECT_EQ(run(esc::cursor_hide), "\x1b[?25l");
    EXPECT_EQ(run(esc::erase_line), "\x1b[2K");
    EXPECT_EQ(run(esc::erase_to_line_end), "\x1b[K");
    EXPECT_EQ(run(esc::erase_screen), "\x1b[2J");
    EXPECT_EQ(run(esc::erase_below), "\x1b[J");
    EXPECT_EQ(run(esc::sgr_reset), "\x1b[m");
}

TEST(Escape, SgrColorsInEachDepth)
{
    std::string out;
    esc::sgr(out, Style{}.with(attr_bold).with_fg(color::red), ColorMode::truecolor);
    EXPECT_EQ(out, "\x1b[0;1;31m");
    out.clear();
    esc::sgr(out, Style{}.with_fg(color::bright_blue).with_bg(color::black), ColorMode::basic16);
    EXPECT_EQ(out, "\x1b[0;94;40m");
    out.clear();
    esc::sgr(out, Style{}.with_fg(Color::indexed(208)), ColorMode::indexed256);
    EXPECT_EQ(out, "\x1b[0;38;5;208m");
    out.clear();
    esc::sgr(out, Style{}.with_bg(Color::rgb(1, 2, 3)), ColorMode::truecolor);
    EXPECT_EQ(out, "\x1b[0;48;2;1;2;3m");
}

TEST(Escape, ColorsDowngradeToTheTerminal)
{
    std::string out;
    esc::sgr(out, Style{}.with_fg(Color::rgb(255, 0, 0)), ColorMode::indexed256);
    EXPECT_EQ(out, "\x1b[0;38;5;196m");
    out.clear();
    esc::sgr(out, Style{}.with_fg(Color::rgb(250, 5, 5)), ColorMode::basic16);
    EXPECT_EQ(out, "\x1b[0;91m");
}

TEST(Escape, NoColorKeepsAttributesDropsColors)
{
    std::string out;
    esc::sgr(out, Style{}.with(attr_bold | attr_reverse).with_fg(color::red).with_bg(color::blue), ColorMode::none);
    EXPECT_EQ(out, "\x1b[0;1;7m");
    EXPECT_EQ(detect_color_mode("1", "xterm-256color", "truecolor"), ColorMode::none);
    EXPECT_EQ(detect_color_mode("", "xterm-256color", nullptr), ColorMode::indexed256);
    EXPECT_EQ(detect_color_mode(nullptr, "dumb", nullptr), ColorMode::none);
    EXPECT_EQ(detect_color_mode(nullptr, nullptr, nullptr), ColorMode::none);
    EXPECT_EQ(detect_color_mode(nullptr, "xterm", "24bit"), ColorMode::truecolor);
    EXPECT_EQ(detect_color_mode(nullptr, "vt100", nullptr), ColorMode::basic16);
}

TEST(Escape, SgrTransitionEmitsOnlyTheChange)
{
    std::string out;
    Style bold = Style{}.with(attr_bold);
    esc::sgr_transition(out, bold, bold, ColorMode::truecolor);
    EXPECT_EQ(out, "");
    esc::sgr_transition(out, bold, bold.with_fg(color::green), ColorMode::truecolor);
    EXPECT_EQ(out, "\x1b[32m");
    out.clear();
    esc::sgr_transition(out, bold.with_fg(color::green), bold, ColorMode::truecolor);
    EXPECT_EQ(out, "\x1b[39m");
    out.clear();
    esc::sgr_transition(out, bold, Style{}, ColorMode::truecolor);
    EXPECT_EQ(out, "\x1b[m");
    out.clear();
    // Under NO_COLOR a colour-only change is no change at all.
    esc::sgr_transition(out, Style{}, Style{}.with_fg(color::red), ColorMode::none);
    EXPECT_EQ(out, "");
}

TEST(Escape, TitleDropsControlCharacters)
{
    std::string out;
    esc::set_title(out, "ik\x1b]0;evil\x07 ok");
    EXPECT_EQ(out, "\x1b]2;ik]0;evil ok\x1b\\");
}

TEST(Escape, ClipboardIsBase64InOsc52WhateverTheBytes)
{
    std::string out;
    esc::clipboard_copy(out, "Man");
    EXPECT_EQ(out, "\x1b]52;c;TWFu\x1b\\");
    out.clear();
    esc::clipboard_copy(out, "Ma");
    EXPECT_EQ(out, "\x1b]52;c;TWE=\x1b\\");
    out.clear();
    esc::clipboard_copy(out, "M");
    EXPECT_EQ(out, "\x1b]52;c;TQ==\x1b\\");
    out.clear();
    // An escape in the text cannot end the sequence early: it is encoded.
    esc::clipboard_copy(out, std::string_view("\x1b\\\xff\n", 4));
    EXPECT_EQ(out, "\x1b]52;c;G1z/Cg==\x1b\\");
    out.clear();
    esc::clipboard_copy(out, "");
    EXPECT_EQ(out, "\x1b]52;c;\x1b\\");
}

} // namespace
} // namespace ik::tui
