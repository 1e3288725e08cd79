#include <string>

#include <gtest/gtest.h>

#include "tui/scrollback.h"

namespace ik::tui {
namespace {

std::string text_of(const Scrollback& sb, size_t i)
{
    return std::string(sb.line(i).text);
}

void add_lines(Scrollback& sb, int n, const std::string& stem = "line ")
{
    StyledLines lines;
    for (int i = 0; i < n; ++i) {
        lines.begin_line();
        lines.add(stem + std::to_string(i));
    }
    sb.append(lines);
}

std::string render(Scrollback& sb, Size size)
{
    Frame f;
    f.reset(size);
    sb.render(f, 0, size.rows);
    return f.to_text();
}

TEST(Scrollback, WrapsAtWordsWithContinuationPrefix)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    StyledLines lines;
    lines.begin_line();
    lines.add("• ");
    lines.add("alpha beta gamma delta epsilon");
    lines.add_prefix("  ");
    sb.append(lines);
    EXPECT_EQ(sb.rows_of(0, 12), 4u);
    EXPECT_EQ(render(sb, { 4, 12 }), "• alpha beta\n  gamma\n  delta\n  epsilon");
    // Reflow at another width: same line, new rows.
    EXPECT_EQ(render(sb, { 2, 40 }), "• alpha beta gamma delta epsilon\n");
}

TEST(Scrollback, WideCharactersWrapWithoutSplitting)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    StyledLines lines;
    lines.begin_line();
    lines.add("日本語日本語日本語"); // 18 columns, no spaces
    sb.append(lines);
    EXPECT_EQ(render(sb, { 3, 7 }), "日本語\n日本語\n日本語");
}

// Issue 13: CJK text breaks between ideographs (UAX #14), not as one
// unspaced word, and never puts "，" or "。" at the start of a row.
TEST(Scrollback, CjkBreaksBetweenIdeographsButNotBeforeClosingPunctuation)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    StyledLines lines;
    lines.begin_line();
    lines.add("hello 我们今天，明天。后天");
    sb.append(lines);
    // "hello 我们今天" would fit 14 columns, but "，" may not start a row:
    // the break moves back one ideograph. The old rule (break at spaces,
    // else anywhere) gave "hello" / "我们今天，明天" / "。后天".
    EXPECT_EQ(render(sb, { 3, 14 }), "hello 我们今\n天，明天。后天\n");
}

TEST(Scrollback, NowrapLinesAreClippedAndRulesSpanTheWidth)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    StyledLines lines;
    lines.begin_line(LineKind::nowrap);
    lines.add("code that is far too long");
    lines.begin_line(LineKind::rule);
    lines.add("─");
    sb.append(lines);
    // The clipped line says so with a marker in its last column.
    EXPECT_EQ(render(sb, { 2, 8 }), "code th→\n────────");
}

TEST(Scrollback, FollowsNewOutputByDefault)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    add_lines(sb, 10);
    EXPECT_EQ(render(sb, { 3, 20 }), "line 7\nline 8\nline 9");
    add_lines(sb, 1, "new ");
    EXPECT_EQ(render(sb, { 3, 20 }), "line 8\nline 9\nnew 0");
    EXPECT_TRUE(sb.following());
}

TEST(Scrollback, CtrlOSwitchesBetweenCollapsedAndExpandedLines)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    StyledLines lines;
    lines.begin_line();
    lines.add("head");
    for (int i = 0; i < 3; ++i) {
        lines.begin_line();
        lines.set_fold(Fold::expanded);
        lines.add("more " + std::to_string(i));
    }
    lines.begin_line();
    lines.set_fold(Fold::collapsed);
    lines.add("… 3 more lines");
    lines.begin_line();
    lines.add("tail");
    sb.append(lines);
    EXPECT_EQ(render(sb, { 4, 20 }), "head\n… 3 more lines\ntail\n");
    sb.set_expanded(true);
    EXPECT_EQ(render(sb, { 4, 20 }), "more 0\nmore 1\nmore 2\ntail");
    EXPECT_EQ(render(sb, { 6, 20 }), "head\nmore 0\nmore 1\nmore 2\ntail\n");
    // Scrolled up into the expanded lines, collapsing keeps a valid view.
    render(sb, { 2, 20 });
    sb.scroll_up(2);
    EXPECT_EQ(render(sb, { 2, 20 }), "more 0\nmore 1");
    sb.set_expanded(false);
    EXPECT_EQ(render(sb, { 2, 20 }), "… 3 more lines\ntail");
    sb.home();
    EXPECT_EQ(render(sb, { 2, 20 }), "head\n… 3 more lines");
    sb.scroll_down(1);
    EXPECT_EQ(render(sb, { 2, 20 }), "… 3 more lines\ntail");
}

TEST(Scrollback, ScrolledUpViewStaysAndCountsNewLines)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    add_lines(sb, 10);
    render(sb, { 3, 20 });
    sb.scroll_up(2);
    EXPECT_FALSE(sb.following());
    EXPECT_EQ(render(sb, { 3, 20 }), "line 5\nline 6\nline 7");
    add_lines(sb, 4, "new ");
    EXPECT_EQ(sb.unseen_lines(), 4u);
    EXPECT_EQ(render(sb, { 3, 20 }), "line 5\nline 6\n ↓ 4 new lines");
    sb.end();
    EXPECT_TRUE(sb.following());
    EXPECT_EQ(sb.unseen_lines(), 0u);
    EXPECT_EQ(render(sb, { 3, 20 }), "new 1\nnew 2\nnew 3");
}

TEST(Scrollback, PageKeysHomeEndAndWheel)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    add_lines(sb, 20);
    render(sb, { 5, 20 });
    sb.page_up(); // 4 rows
    EXPECT_EQ(render(sb, { 5, 20 }), "line 11\nline 12\nline 13\nline 14\nline 15");
    sb.home();
    EXPECT_EQ(render(sb, { 5, 20 }), "line 0\nline 1\nline 2\nline 3\nline 4");
    sb.scroll_up(3); // already at the top: stays
    EXPECT_EQ(render(sb, { 5, 20 }), "line 0\nline 1\nline 2\nline 3\nline 4");
    sb.wheel(-1); // three rows towards newer lines
    EXPECT_EQ(render(sb, { 5, 20 }), "line 3\nline 4\nline 5\nline 6\nline 7");
    sb.page_down();
    sb.page_down();
    sb.page_down();
    EXPECT_TRUE(sb.following()); // reaching the bottom follows again
    EXPECT_EQ(render(sb, { 5, 20 }), "line 15\nline 16\nline 17\nline 18\nline 19");
}

TEST(Scrollback, ScrollingThroughWrappedLinesCountsRows)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    StyledLines lines;
    lines.begin_line();
    lines.add("aaaa bbbb cccc"); // 3 rows at width 5
    lines.begin_line();
    lines.add("tail");
    sb.append(lines);
    EXPECT_EQ(render(sb, { 2, 5 }), "cccc\ntail");
    sb.scroll_up(1);
    EXPECT_EQ(render(sb, { 2, 5 }), "bbbb\ncccc");
    sb.scroll_up(1);
    EXPECT_EQ(render(sb, { 2, 5 }), "aaaa\nbbbb");
    // A resize while scrolled keeps the anchor line.
    EXPECT_EQ(render(sb, { 2, 20 }), "aaaa bbbb cccc\ntail");
}

TEST(Scrollback, TailIsReplacedThenCommitted)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    add_lines(sb, 2);
    StyledLines tail;
    tail.begin_line();
    tail.add("partial");
    sb.set_tail(tail);
    EXPECT_EQ(sb.line_count(), 3u);
    tail.clear();
    tail.begin_line();
    tail.add("partial text");
    tail.begin_line();
    tail.add("more");
    sb.set_tail(tail);
    EXPECT_EQ(sb.line_count(), 4u);
    EXPECT_EQ(text_of(sb, 2), "partial text");
    size_t arena_before = sb.arena_bytes();
    sb.set_tail(tail);
    EXPECT_EQ(sb.arena_bytes(), arena_before); // re-rendering the tail leaves no garbage
    sb.commit_tail();
    EXPECT_EQ(sb.committed_lines(), 4u);
    EXPECT_EQ(sb.tail_lines(), 0u);
    EXPECT_EQ(text_of(sb, 3), "more");
}

TEST(Scrollback, LinesLiveInTheArenaAndClearFreesThem)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    add_lines(sb, 5000);
    EXPECT_EQ(sb.committed_lines(), 5000u);
    EXPECT_EQ(text_of(sb, 4321), "line 4321");
    EXPECT_GT(arena.subtree_stats().bytes, 5000u * 8);
    sb.clear();
    EXPECT_EQ(sb.line_count(), 0u);
    EXPECT_LT(sb.arena_bytes(), 1024u);
}

TEST(Scrollback, LinesAreBumpAllocatedNotOneBlockEach)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    size_t calls_before = mem::upstream_calls();
    add_lines(sb, 20000);
    // 20k lines, each text + spans + record: a few hundred upstream blocks at most.
    EXPECT_LT(mem::upstream_calls() - calls_before, 200u);
    EXPECT_GE(arena.subtree_stats().allocs, 40000u);
}

TEST(Scrollback, RenderTouchesOnlyVisibleLines)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    add_lines(sb, 100000);
    render(sb, { 10, 80 });
    // Lines far above the viewport were never wrapped (no cached rows).
    EXPECT_EQ(render(sb, { 10, 40 }).substr(0, 10), "line 99990");
}

} // namespace
} // namespace ik::tui
