#include <random>
#include <string>

#include <gtest/gtest.h>

#include "tui/markdown.h"
#include "tui/markdown_stream.h"
#include "tui/scrollback.h"

namespace ik::tui {
namespace {

// One line per logical line: prefix-free text, then "|" and the
// continuation prefix when there is one.
std::string dump(const StyledLines& lines)
{
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        LineView v = lines.line(i);
        out += v.text;
        if (!v.prefix_text.empty())
            out += "|" + std::string(v.prefix_text) + "|";
        out += "\n";
    }
    return out;
}

std::string md(std::string_view text)
{
    StyledLines lines;
    RenderState state;
    render_markdown(text, lines, state);
    return dump(lines);
}

Style style_of(const StyledLines& lines, size_t line, std::string_view word)
{
    LineView v = lines.line(line);
    size_t at = v.text.find(word);
    for (const Span& s : v.spans)
        if (at >= s.begin && at < s.end)
            return s.style;
    ADD_FAILURE() << "no span for " << word;
    return {};
}

TEST(Markdown, ParagraphsAreOneLogicalLineSeparatedByBlankLines)
{
    EXPECT_EQ(md("one\ntwo\n\nthree\n"), "one two\n\nthree\n");
}

TEST(Markdown, HeadingsAreBoldAndColored)
{
    StyledLines lines;
    RenderState state;
    render_markdown("# Title\n\n## Sub\n\n### Small\n", lines, state);
    EXPECT_EQ(dump(lines), "Title\n\nSub\n\nSmall\n");
    MarkdownTheme theme;
    EXPECT_EQ(style_of(lines, 0, "Title"), theme.heading1);
    EXPECT_EQ(style_of(lines, 2, "Sub"), theme.heading2);
    EXPECT_TRUE(style_of(lines, 4, "Small").has(attr_bold));
}

TEST(Markdown, EmphasisStrongCodeAndStrike)
{
    StyledLines lines;
    RenderState state;
    render_markdown("a *it* **bo** `co` ~~st~~", lines, state);
    EXPECT_EQ(dump(lines), "a it bo co st\n");
    EXPECT_TRUE(style_of(lines, 0, "it").has(attr_italic));
    EXPECT_TRUE(style_of(lines, 0, "bo").has(attr_bold));
    EXPECT_EQ(style_of(lines, 0, "co"), MarkdownTheme{}.inline_code);
    EXPECT_TRUE(style_of(lines, 0, "st").has(attr_strike));
    EXPECT_EQ(style_of(lines, 0, "a"), Style{});
}

TEST(Markdown, FencedCodeIsBoxedUnwrappedAndKeepsWhitespace)
{
    StyledLines lines;
    RenderState state;
    render_markdown("text\n\n```python\ndef f():\n    return 1\n```\n", lines, state);
    EXPECT_EQ(dump(lines), "text\n\n╭─ python\n│ def f():\n│     return 1\n╰─\n");
    EXPECT_EQ(lines.line(3).kind, LineKind::nowrap);
    EXPECT_EQ(lines.line(4).kind, LineKind::nowrap);
}

TEST(Markdown, NestedListsHangTheirIndent)
{
    EXPECT_EQ(md("- one\n- two\n  - inner\n- three\n"), "• one|  |\n• two|  |\n  ◦ inner|    |\n• three|  |\n");
    EXPECT_EQ(md("3. c\n4. d\n"), "3. c|   |\n4. d|   |\n");
    EXPECT_EQ(md("- [x] done\n- [ ] todo\n"), "☑ done|  |\n☐ todo|  |\n");
}

TEST(Markdown, LooseListsSeparateItems)
{
    EXPECT_EQ(md("- one\n\n- two\n"), "• one|  |\n\n• two|  |\n");
}

TEST(Markdown, QuotesCarryTheirBar)
{
    EXPECT_EQ(md("> quoted\n> text\n\n> again\n"), "│ quoted text|│ |\n\n│ again|│ |\n");
    EXPECT_EQ(md("> a\n>\n> b\n"), "│ a|│ |\n│|│ |\n│ b|│ |\n");
}

TEST(Markdown, LinksShowTextThenUrl)
{
    EXPECT_EQ(md("see [docs](https://x.org/d) and https://y.org\n"), "see docs (https://x.org/d) and https://y.org\n");
    StyledLines lines;
    RenderState state;
    render_markdown("[docs](https://x.org/d)", lines, state);
    EXPECT_TRUE(style_of(lines, 0, "docs").has(attr_underline));
    EXPECT_TRUE(style_of(lines, 0, "https").has(attr_dim));
}

// md4c 0.4.8 reads past the end of an unfinished link destination: given a
// text cut out of a larger buffer, it took the ")" after the cut as the
// link's end (or crashed). The renderer sees only the text it was given.
TEST(Markdown, AnUnfinishedLinkNeverReadsPastTheText)
{
    const std::string buffer = "see [a](b) and then some";
    EXPECT_EQ(md(std::string_view(buffer).substr(0, 9)), "see [a](b\n");
    const std::string reply = "x [link](htts)TAIL";
    EXPECT_EQ(md(std::string_view(reply).substr(0, 13)), "x [link](htts\n");
}

TEST(Markdown, RulesTablesEntitiesAndHtml)
{
    StyledLines lines;
    RenderState state;
    render_markdown("a\n\n---\n\nb &amp; c &#x263A; <b>x</b>\n", lines, state);
    EXPECT_EQ(dump(lines), "a\n\n─\n\nb & c ☺ <b>x</b>\n");
    EXPECT_EQ(lines.line(2).kind, LineKind::rule);
    EXPECT_EQ(md("| a | b |\n|---|---|\n| 1 | 2 |\n"), "a │ b\n──┼──\n1 │ 2\n");
}

// Issue 13: columns as wide as their widest cell, `--:` right, `:-:` centre.
TEST(Markdown, TablesAreAlignedByColumn)
{
    EXPECT_EQ(md("| name | n | mid |\n|:--|--:|:-:|\n| alpha | 5 | x |\n| b | 123 | 日本 |\n"),
        "name  │   n │ mid\n"
        "──────┼─────┼─────\n"
        "alpha │   5 │  x\n"
        "b     │ 123 │ 日本\n");
    StyledLines lines;
    RenderState state;
    render_markdown("| **h** |\n|---|\n| `c` |\n", lines, state);
    EXPECT_EQ(lines.line(0).kind, LineKind::nowrap);
    EXPECT_TRUE(lines.line(0).spans.front().style.has(attr_bold));
}

TEST(Markdown, ControlCharactersCannotReachTheTerminal)
{
    std::string out = md("evil \x1b[2J text\n");
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
}

// Incremental rendering must equal rendering the whole reply.
const char* const document = R"(# Plan

First paragraph with *emphasis*, **strong** and `code`,
continued on a second source line.

- item one
- item two
  - nested item

1. first

2. second

> a quote
> over two lines

```cpp
int main() {

    return 0;
}
```

Text after code with a [link](https://example.com).

---

| h1 | h2 |
|----|----|
| c1 | c2 |

Final words.
)";

std::string dump(Scrollback& sb)
{
    std::string out;
    for (size_t i = 0; i < sb.line_count(); ++i) {
        LineView v = sb.line(i);
        out += std::string(v.text) + "|" + std::string(v.prefix_text) + "|" + std::to_string(int(v.kind));
        for (const Span& s : v.spans)
            out += " " + std::to_string(s.begin) + "-" + std::to_string(s.end) + ":" + std::to_string(s.style.attrs)
                + "/" + std::to_string(int(s.style.fg.kind)) + std::to_string(s.style.fg.r);
        out += "\n";
    }
    return out;
}

TEST(MarkdownStream, DeltasGiveTheSameLinesAsTheWholeReply)
{
    mem::Arena arena("test");
    Scrollback whole(arena);
    {
        MarkdownStream s(whole);
        s.append(document);
        s.finish();
    }
    std::string expected = dump(whole);
    std::mt19937 rng(7);
    std::string_view doc = document;
    for (int trial = 0; trial < 40; ++trial) {
        Scrollback sb(arena);
        MarkdownStream s(sb);
        size_t pos = 0;
        while (pos < doc.size()) {
            size_t n = 1 + rng() % (trial < 20 ? 4 : 40);
            s.append(doc.substr(pos, n));
            pos += n;
        }
        s.finish();
        ASSERT_EQ(dump(sb), expected) << "trial " << trial;
    }
}

TEST(MarkdownStream, FinishedBlocksAreCommittedAndOnlyTheOpenOneIsRerendered)
{
    mem::Arena arena("test");
    Scrollback sb(arena);
    MarkdownStream s(sb);
    s.append("First paragraph.\n\nSecond ");
    EXPECT_EQ(sb.committed_lines(), 0u); // the next line is not complete yet
    s.append("para");
    s.append("graph\n");
    // "Second paragraph" started at column 0 after a blank line: the first
    // paragraph is final.
    EXPECT_EQ(sb.committed_lines(), 1u);
    EXPECT_EQ(s.committed_bytes(), std::string_view("First paragraph.\n\n").size());
    EXPECT_EQ(sb.line_count(), 3u); // + blank + open paragraph in the tail
    EXPECT_EQ(std::string(sb.line(2).text), "Second paragraph");
    s.append("\n```\ncode\n\nstill code\n");
    // Inside an open fence a blank line is not a boundary.
    size_t committed = s.committed_bytes();
    s.append("more\n");
    EXPECT_EQ(s.committed_bytes(), committed);
    s.finish();
    EXPECT_EQ(sb.tail_lines(), 0u);
}

} // namespace
} // namespace ik::tui
