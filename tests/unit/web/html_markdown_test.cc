// HTML to Markdown: the shapes the model reads, and hostile pages (deep
// nesting, escape sequences, huge attributes, endless text) that must not
// crash, hang or leak through.
#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "web/html_markdown.h"
#include "web/nesting_guard.h"

using namespace ik::web;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

constexpr std::string_view base = "https://example.com/docs/page.html";

std::string md(std::string_view html, size_t max = 100'000)
{
    return html_to_markdown(html, base, max).value().text;
}

TEST(HtmlMarkdown, TitleHeadingsAndParagraphs)
{
    Markdown m = html_to_markdown("<html><head><title>  The\n Title </title></head><body><h1>Top</h1><p>One "
                                  "<b>bold</b> and <em>soft</em>.</p><p>Two\n   lines</p><h3>Sub</h3></body></html>",
        base, 100'000)
                     .value();
    EXPECT_EQ(m.title, "The Title");
    EXPECT_EQ(m.text, "# Top\n\nOne **bold** and *soft*.\n\nTwo lines\n\n### Sub");
    EXPECT_FALSE(m.truncated);
}

TEST(HtmlMarkdown, LinksAndImagesBecomeAbsolute)
{
    EXPECT_EQ(md(R"x(<p>See <a href="../api/x.html">the API</a>, <a href="https://other.org/a b">b</a>,
                 <a href="#top">top</a>, <a href="javascript:alert(1)">js</a> and
                 <img src="/img/p.png" alt="a picture"></p>)x"),
        "See [the API](https://example.com/api/x.html), [b](https://other.org/a%20b), top, js and "
        "![a picture](https://example.com/img/p.png)");
}

TEST(HtmlMarkdown, BaseHrefChangesRelativeLinks)
{
    EXPECT_EQ(md(R"(<head><base href="https://cdn.example.net/v2/"></head><a href="x">x</a>)"),
        "[x](https://cdn.example.net/v2/x)");
}

TEST(HtmlMarkdown, ListsNestAndNumber)
{
    EXPECT_EQ(md("<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul><ol start=3><li>x</li><li>y</li></ol>"),
        "- a\n- b\n  - c\n\n3. x\n4. y");
}

TEST(HtmlMarkdown, CodeBlocksKeepTheirTextAndLanguage)
{
    EXPECT_EQ(md("<p>Run <code>make  all</code>:</p><pre><code class=\"language-cpp\">int main() {\n  return 0;\n}\n"
                 "</code></pre>"),
        "Run `make all`:\n\n```cpp\nint main() {\n  return 0;\n}\n```");
    EXPECT_EQ(md("<pre>a ``` b</pre>"), "````\na ``` b\n````");
    EXPECT_EQ(md("<code>a`b</code>"), "``a`b``");
}

TEST(HtmlMarkdown, TablesQuotesAndRules)
{
    EXPECT_EQ(md("<table><tr><th>k</th><th>v</th></tr><tr><td>a|b</td><td>2</td></tr></table>"),
        "| k | v |\n| --- | --- |\n| a\\|b | 2 |");
    EXPECT_EQ(md("<blockquote><p>one</p><p>two</p></blockquote><hr><p>after</p>"), "> one\n>\n> two\n\n---\n\nafter");
}

TEST(HtmlMarkdown, DropsScriptsStylesNavigationAndControls)
{
    std::string out = md("<nav><a href=/>Home</a></nav><script>var secret=1;</script><style>p{}</style>"
                         "<noscript>enable js</noscript><form><input value=v><button>Go</button>Label</form>"
                         "<p>Body</p><!-- comment -->");
    EXPECT_EQ(out, "Label\n\nBody");
}

TEST(HtmlMarkdown, StripsTerminalEscapesAndControls)
{
    std::string out = md("<p>red\x1b[31mtext\x1b]0;title\x07 &#27;[2J bell\x07 c1\xc2\x9b"
                         "31m &#x202E;rtl &#8238;x del\x7f</p>");
    EXPECT_THAT(out, Not(HasSubstr("\x1b")));
    EXPECT_THAT(out, Not(HasSubstr("\x07")));
    EXPECT_THAT(out, Not(HasSubstr("\x7f")));
    EXPECT_THAT(out, Not(HasSubstr("\xc2\x9b")));
    EXPECT_THAT(out, Not(HasSubstr("\xe2\x80\xae")));
    EXPECT_THAT(out, HasSubstr("[31mtext")); // the parser made the ESC a U+FFFD; nothing is left to act on
    Markdown m = html_to_markdown("<title>\x1b[2Jhi\x1b</title>", base, 1000).value();
    EXPECT_THAT(m.title, HasSubstr("[2Jhi"));
    EXPECT_THAT(m.title, Not(HasSubstr("\x1b")));
}

TEST(HtmlMarkdown, InvalidUtf8IsRepaired)
{
    std::string out = md("<p>ok \xff\xfe bad \xe2\x82</p>");
    EXPECT_THAT(out, HasSubstr("ok "));
    EXPECT_THAT(out, HasSubstr("\xef\xbf\xbd"));
}

TEST(HtmlMarkdown, NestingPastTheWalkDepthIsFlattenedToText)
{
    std::string html;
    for (int i = 0; i < 200; ++i) // past max_html_depth, within max_html_nesting
        html += "<div><blockquote>";
    html += "deep <b>text</b>";
    Markdown m = html_to_markdown(html, base, 100'000).value();
    EXPECT_THAT(m.text, HasSubstr("deep text"));
    EXPECT_FALSE(m.truncated);
}

TEST(HtmlMarkdown, AbsurdNestingIsCutQuickly)
{
    std::string html = "<p>before</p>";
    for (int i = 0; i < 200'000; ++i)
        html += "<div>";
    html += "deep text";
    for (int i = 0; i < 100'000; ++i)
        html += "<div></div>"; // each one walks the open elements in the parser
    auto start = std::chrono::steady_clock::now();
    Markdown m = html_to_markdown(html, base, 100'000).value();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_TRUE(m.truncated);
    EXPECT_THAT(m.text, HasSubstr("before"));
}

TEST(NestingGuard, CountsOnlyWhatNests)
{
    EXPECT_EQ(nesting_prefix("<div><div><div>x", 2), 10u);
    EXPECT_EQ(nesting_prefix("<div></div><div></div><div>", 2), 27u);
    EXPECT_EQ(nesting_prefix("<br><br><img><p><p><li><li>", 2), 27u);
    EXPECT_EQ(nesting_prefix("<!-- <div><div><div> --><div>", 2), 29u);
    EXPECT_EQ(nesting_prefix("<script><div><div><div></SCRIPT><div>", 2), 37u);
    EXPECT_EQ(nesting_prefix("<style><div><div><div>", 2), 22u);
    EXPECT_EQ(nesting_prefix("a < b <3 </> <", 0), 14u);
}

TEST(HtmlMarkdown, HugeAttributesAreNotCopiedIntoLinks)
{
    std::string href(1 << 20, 'a');
    std::string out
        = md("<a href=\"/" + href + "\">text</a><img alt=\"" + std::string(1 << 20, 'b') + "\" src=x>", 1 << 22);
    EXPECT_THAT(out, HasSubstr("text"));
    EXPECT_THAT(out, Not(HasSubstr("](https://example.com/aaaa")));
}

TEST(HtmlMarkdown, OutputIsCappedAndSaysSo)
{
    std::string html;
    for (int i = 0; i < 20'000; ++i)
        html += "<p>paragraph number " + std::to_string(i) + " <a href=\"/p/" + std::to_string(i) + "\">link</a></p>";
    Markdown m = html_to_markdown(html, base, 5'000).value();
    EXPECT_TRUE(m.truncated);
    EXPECT_LE(m.text.size(), 5'000u);
    EXPECT_THAT(m.text, HasSubstr("paragraph number 0"));
    Markdown whole = html_to_markdown("<p>short</p>", base, 5'000).value();
    EXPECT_FALSE(whole.truncated);
}

TEST(HtmlMarkdown, ByteSoupAndEmptyInputDoNotBreak)
{
    EXPECT_EQ(md(""), "");
    EXPECT_EQ(md("<<<>>><a <p <table><td>x"), md("<<<>>><a <p <table><td>x")); // deterministic, no crash
    EXPECT_THAT(md(std::string("a\0b", 3)), HasSubstr("a"));
    EXPECT_EQ(md("plain words"), "plain words");
}

} // namespace
