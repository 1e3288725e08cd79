// Syntax highlighting of fenced code: the Source-highlight wrapper, the cache,
// and the Markdown renderer's use of them (finished blocks only, once each).
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tui/code_highlight.h"
#include "tui/markdown.h"
#include "tui/markdown_stream.h"
#include "tui/scrollback.h"

namespace ik::tui {
namespace {

// "text=style" for each run, with the style's fg index and attributes.
std::string runs_of(std::string_view code, const std::vector<Span>& runs)
{
    std::string out;
    for (const Span& s : runs)
        out += "[" + std::string(code.substr(s.begin, s.end - s.begin)) + "]";
    return out;
}

// The module from the build tree: this binary is not next to ik, where
// make_source_highlighter looks by default.
std::unique_ptr<CodeHighlighter> source_highlighter(HighlightDebug debug)
{
    return make_source_highlighter(std::move(debug), IK_HIGHLIGHT_MODULE);
}

const Span* run_at(std::string_view code, const std::vector<Span>& runs, std::string_view word)
{
    size_t at = code.find(word);
    for (const Span& s : runs)
        if (at >= s.begin && at < s.end)
            return &s;
    return nullptr;
}

TEST(SourceHighlight, CppKeywordsNumbersStringsAndComments)
{
    auto hl = source_highlighter({});
    std::string code = "int main() {\n    return 42; // the answer\n}\nconst char* s = \"hi\";\n";
    std::vector<Span> runs;
    ASSERT_TRUE(hl->highlight("cpp", code, runs));
    ASSERT_NE(run_at(code, runs, "int"), nullptr) << runs_of(code, runs);
    EXPECT_TRUE(run_at(code, runs, "return")->style.has(attr_bold));
    EXPECT_EQ(run_at(code, runs, "42")->style.fg, color::yellow);
    EXPECT_TRUE(run_at(code, runs, "// the answer")->style.has(attr_dim));
    EXPECT_EQ(run_at(code, runs, "\"hi\"")->style.fg, color::green);
    // Runs are in order, inside the code, and never overlap.
    uint32_t end = 0;
    for (const Span& s : runs) {
        EXPECT_LE(end, s.begin);
        EXPECT_LT(s.begin, s.end);
        EXPECT_LE(s.end, code.size());
        end = s.end;
    }
}

TEST(SourceHighlight, StateCarriesAcrossLinesAndAliasesAreKnown)
{
    auto hl = source_highlighter({});
    std::string code = "/* one\n   two */ int x;\n";
    std::vector<Span> runs;
    ASSERT_TRUE(hl->highlight("c++", code, runs));
    ASSERT_NE(run_at(code, runs, "two"), nullptr) << runs_of(code, runs);
    EXPECT_TRUE(run_at(code, runs, "two")->style.has(attr_dim));
    EXPECT_FALSE(run_at(code, runs, "int")->style.has(attr_dim));
    for (std::string_view lang : { "python", "py", "rust", "sh", "bash", "json", "diff", "go", "javascript", "ts" }) {
        std::string sample = "x = \"s\"  # 1\n";
        EXPECT_TRUE(hl->highlight(lang, sample, runs)) << lang;
    }
}

TEST(SourceHighlight, UnknownLanguagesStayPlainAndSayWhyOnlyWhenDebugging)
{
    std::vector<std::string> notes;
    auto hl = source_highlighter([&](std::string_view why) { notes.emplace_back(why); });
    std::vector<Span> runs{ Span{} };
    EXPECT_FALSE(hl->highlight("no-such-language", "x\n", runs));
    EXPECT_TRUE(runs.empty());
    EXPECT_FALSE(hl->highlight("../../etc/passwd", "x\n", runs));
    EXPECT_FALSE(hl->highlight("no-such-language", "y\n", runs));
    ASSERT_EQ(notes.size(), 2u); // once per language
    EXPECT_NE(notes[0].find("no-such-language"), std::string::npos);
    auto quiet = source_highlighter({});
    EXPECT_FALSE(quiet->highlight("no-such-language", "x\n", runs));
}

TEST(SourceHighlight, AMissingModuleLeavesBlocksPlainAndSaysWhyOnce)
{
    std::vector<std::string> notes;
    HighlightDebug debug = [&](std::string_view why) { notes.emplace_back(why); };
    auto hl = make_source_highlighter(debug, "/nonexistent/ik_highlight.so");
    std::vector<Span> runs{ Span{} };
    EXPECT_FALSE(hl->highlight("cpp", "int x = 1;\n", runs));
    EXPECT_TRUE(runs.empty());
    EXPECT_FALSE(hl->highlight("python", "x = 1\n", runs));
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("left plain"), std::string::npos) << notes[0];
    EXPECT_NE(notes[0].find("/nonexistent/ik_highlight.so"), std::string::npos) << notes[0];
    // The Markdown renderer shows the block, plain.
    StyledLines lines;
    RenderState state;
    HighlightCache cache(make_source_highlighter({}, "/nonexistent/ik_highlight.so"));
    render_markdown("```cpp\nint x = 1;\n```\n", lines, state, MarkdownTheme{}, &cache);
    bool shown = false;
    for (size_t i = 0; i < lines.size(); ++i)
        shown = shown || lines.line(i).text.find("int x = 1;") != std::string_view::npos;
    EXPECT_TRUE(shown);
    // Without IK_HIGHLIGHT_MODULE's path this binary finds no module next to itself either.
    auto beside_exe = make_source_highlighter(debug);
    EXPECT_FALSE(beside_exe->highlight("cpp", "int y;\n", runs));
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_NE(notes[1].find("no ik_highlight.so in"), std::string::npos) << notes[1];
}

TEST(SourceHighlight, HostileCodeKeepsItsBytesAndControlsNeverReachALine)
{
    auto hl = source_highlighter({});
    std::string code = "int a = 1; \x1b[2J\x07 \"\xff\xfe\" /* \x1b]52;c;eA==\x07 */\n\tint b;\n";
    std::vector<Span> runs;
    (void)hl->highlight("cpp", code, runs);
    for (const Span& s : runs)
        EXPECT_LE(s.end, code.size());
    StyledLines lines;
    RenderState state;
    HighlightCache cache(source_highlighter({}));
    render_markdown("```cpp\n" + code + "```\n", lines, state, MarkdownTheme{}, &cache);
    for (size_t i = 0; i < lines.size(); ++i)
        EXPECT_EQ(lines.line(i).text.find('\x1b'), std::string_view::npos);
}

class CountingHighlighter final : public CodeHighlighter {
public:
    bool highlight(std::string_view lang, std::string_view code, std::vector<Span>& out) override
    {
        ++calls;
        last_lang = lang;
        last_code = code;
        out.clear();
        // The first word of each block, bold.
        size_t end = code.find_first_of(" \n");
        out.push_back(Span{ 0, static_cast<uint32_t>(end), Style{}.with(attr_bold) });
        return true;
    }
    int calls = 0;
    std::string last_lang, last_code;
};

TEST(HighlightCache, OneCallPerBlockWhateverTheRerenders)
{
    auto counting = std::make_unique<CountingHighlighter>();
    CountingHighlighter* inner = counting.get();
    HighlightCache cache(std::move(counting));
    std::vector<Span> runs;
    for (int i = 0; i < 5; ++i)
        EXPECT_TRUE(cache.highlight("cpp", "int x;\n", runs));
    EXPECT_EQ(inner->calls, 1);
    EXPECT_EQ(runs.size(), 1u);
    EXPECT_TRUE(cache.highlight("cpp", "int y;\n", runs));
    EXPECT_TRUE(cache.highlight("py", "int x;\n", runs));
    EXPECT_EQ(inner->calls, 3);
    // No language, or a block past the cap: plain, and the library is not asked.
    EXPECT_FALSE(cache.highlight("", "int x;\n", runs));
    EXPECT_FALSE(cache.highlight("cpp", std::string(HighlightCache::max_code_bytes + 1, 'x'), runs));
    EXPECT_EQ(inner->calls, 3);
    EXPECT_EQ(cache.misses(), 3u);
}

TEST(MarkdownHighlight, FinishedBlocksAreHighlightedOpenOnesStayPlain)
{
    CountingHighlighter hl;
    StyledLines lines;
    RenderState state;
    render_markdown("```cpp\nint x;\nint y;\n```\n", lines, state, MarkdownTheme{}, &hl);
    EXPECT_EQ(hl.calls, 1);
    EXPECT_EQ(hl.last_lang, "cpp");
    EXPECT_EQ(hl.last_code, "int x;\nint y;\n");
    // "╭─ cpp", "│ int x;", "│ int y;", "╰─"
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines.line(1).text, "│ int x;");
    bool bold = false;
    for (const Span& s : lines.line(1).spans)
        bold = bold || (s.style.has(attr_bold) && lines.line(1).text.substr(s.begin, s.end - s.begin) == "int");
    EXPECT_TRUE(bold);
    // Still streaming (no closing fence), no language, or an indented block: not asked.
    for (std::string_view doc : { "```cpp\nint x;\n", "```cpp\nint x;\n``", "```\nint x;\n```\n", "    int x;\n" }) {
        lines.clear();
        state = {};
        hl.calls = 0;
        render_markdown(doc, lines, state, MarkdownTheme{}, &hl);
        EXPECT_EQ(hl.calls, 0) << doc;
        EXPECT_NE(lines.line(lines.size() > 1 ? 1 : 0).text.find("int x;"), std::string_view::npos) << doc;
    }
}

TEST(MarkdownHighlight, AStreamedReplyHighlightsEachBlockOnceAndEndsAsTheWholeReply)
{
    std::string_view doc = "Here:\n\n```cpp\nint main() { return 0; }\n```\n\nand\n\n```python\ndef f():\n"
                           "    return 'x'\n```\n\nDone.\n";
    mem::Arena arena("test");
    auto dump = [](const Scrollback& sb) {
        std::string out;
        for (size_t i = 0; i < sb.line_count(); ++i) {
            LineView v = sb.line(i);
            out += std::string(v.text);
            for (const Span& s : v.spans)
                out += " " + std::to_string(s.begin) + "-" + std::to_string(s.end) + ":" + std::to_string(s.style.attrs)
                    + "/" + std::to_string(s.style.fg.r);
            out += "\n";
        }
        return out;
    };
    Scrollback whole(arena);
    HighlightCache whole_cache(source_highlighter({}));
    {
        MarkdownStream s(whole, MarkdownTheme{}, &whole_cache);
        s.append(doc);
        s.finish();
    }
    std::string expected = dump(whole);
    EXPECT_NE(expected.find("return"), std::string::npos);
    std::mt19937 rng(11);
    for (int trial = 0; trial < 10; ++trial) {
        Scrollback sb(arena);
        HighlightCache cache(source_highlighter({}));
        MarkdownStream s(sb, MarkdownTheme{}, &cache);
        size_t pos = 0;
        while (pos < doc.size()) {
            size_t n = 1 + rng() % 6;
            s.append(doc.substr(pos, n));
            pos += n;
        }
        s.finish();
        ASSERT_EQ(dump(sb), expected) << "trial " << trial;
        EXPECT_EQ(cache.misses(), 2u) << "trial " << trial;
    }
}

} // namespace
} // namespace ik::tui
