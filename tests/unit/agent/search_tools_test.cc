#include "agent/tools/internal/walk.h"
#include "tool_fixture.h"

using namespace ik;
using namespace ik::agent;
using namespace ik::agent::testing;
using ::testing::HasSubstr;
using ::testing::Not;

class SearchTools : public ToolTest {
protected:
    void SetUp() override
    {
        ToolTest::SetUp();
        std::filesystem::create_directory(dir() / ".git");
        write(".git/config", "needle in git\n");
        write(".gitignore", "# build output\nbuild/\n*.log\n!keep.log\n/top.txt\n");
        write("src/main.cc", "int main() { return needle(); }\n");
        write("src/util/util.h", "// NEEDLE here\nint needle();\n");
        write("src/util/.gitignore", "gen.h\n");
        write("src/util/gen.h", "int needle;\n");
        write("build/out.cc", "needle\n");
        write("debug.log", "needle\n");
        write("keep.log", "needle\n");
        write("top.txt", "needle\n");
        write("docs/top.txt", "needle\n");
        write("blob.bin", std::string("needle\0\1\2", 9));
    }
};

TEST_F(SearchTools, GlobMatchesAcrossDirectoriesAndRespectsGitignore)
{
    auto r = call("glob", R"({"pattern": "**/*.{cc,h}"})");
    EXPECT_FALSE(r.is_error) << r.content;
    EXPECT_EQ(r.content, "src/main.cc\nsrc/util/util.h\n");
    EXPECT_EQ(r.summary, "2 files");
}

TEST_F(SearchTools, GlobStarStaysInOneDirectory)
{
    EXPECT_EQ(call("glob", R"({"pattern": "*.log"})").content, "keep.log\n");
    EXPECT_EQ(call("glob", R"({"pattern": "*.txt"})").content, "no files match *.txt under .\n");
    EXPECT_EQ(call("glob", R"({"pattern": "**/top.txt"})").content, "docs/top.txt\n");
    EXPECT_EQ(call("glob", R"({"pattern": "*.h", "path": "src/util"})").content, "src/util/util.h\n");
}

TEST_F(SearchTools, GlobBadInputs)
{
    EXPECT_THAT(call("glob", R"({})").content, HasSubstr("glob: 'pattern' is required"));
    EXPECT_THAT(
        call("glob", R"({"pattern": "*", "path": "nope"})").content, HasSubstr("glob: no such directory: nope"));
    EXPECT_THAT(call("glob", R"({"pattern": "*", "sort": "size"})").content,
        HasSubstr("glob: sort must be \"name\" or \"mtime\""));
}

TEST_F(SearchTools, GlobSortsByMtime)
{
    using namespace std::chrono_literals;
    auto now = std::filesystem::file_time_type::clock::now();
    std::filesystem::last_write_time(dir() / "src/main.cc", now - 10s);
    std::filesystem::last_write_time(dir() / "src/util/util.h", now - 100s);
    write("src/new.cc", "x");
    EXPECT_EQ(call("glob", R"({"pattern": "src/**/*.{cc,h}", "sort": "mtime"})").content,
        "src/new.cc\nsrc/main.cc\nsrc/util/util.h\n");
}

TEST_F(SearchTools, GrepPrintsFileLineTextSkippingIgnoredAndBinaryFiles)
{
    auto r = call("grep", R"({"pattern": "needle"})");
    EXPECT_FALSE(r.is_error) << r.content;
    EXPECT_EQ(r.content,
        "docs/top.txt:1:needle\n"
        "keep.log:1:needle\n"
        "src/main.cc:1:int main() { return needle(); }\n"
        "src/util/util.h:2:int needle();\n");
    EXPECT_EQ(r.summary, "4 matches in 4 files");
}

TEST_F(SearchTools, GrepCaseInsensitiveGlobAndPath)
{
    EXPECT_EQ(call("grep", R"({"pattern": "needle", "case_insensitive": true, "glob": "*.h"})").content,
        "src/util/util.h:1:// NEEDLE here\nsrc/util/util.h:2:int needle();\n");
    EXPECT_EQ(call("grep", R"({"pattern": "ne+dle\\(", "path": "src/main.cc"})").content,
        "src/main.cc:1:int main() { return needle(); }\n");
    // An explicitly named file is searched even if ignored.
    EXPECT_EQ(call("grep", R"({"pattern": "needle", "path": "debug.log"})").content, "debug.log:1:needle\n");
}

TEST_F(SearchTools, GrepBadInputs)
{
    auto r = call("grep", R"({"pattern": "a(b"})");
    EXPECT_TRUE(r.is_error);
    EXPECT_THAT(r.content, HasSubstr("grep: invalid regular expression at offset 3: missing closing parenthesis"));
    EXPECT_THAT(call("grep", R"({"pattern": "x", "path": "missing"})").content,
        HasSubstr("grep: no such file or directory: missing"));
    EXPECT_THAT(
        call("grep", R"({"pattern": ["x"]})").content, HasSubstr("grep: 'pattern' must be a string, got array"));
    EXPECT_THAT(call("grep", R"({"pattern": "zzz-not-here"})").content, HasSubstr("no matches for /zzz-not-here/"));
}

TEST_F(SearchTools, GrepCapsItsOutput)
{
    std::string many;
    for (int i = 0; i < 1000; ++i)
        many += "match\n";
    write("many.txt", many);
    auto r = call("grep", R"({"pattern": "match", "path": "many.txt"})");
    EXPECT_THAT(r.content, HasSubstr("[stopped after 250 matches; narrow the pattern, path or glob]"));
    EXPECT_EQ(std::count(r.content.begin(), r.content.end(), '\n'), 251);
}

TEST_F(SearchTools, ListDirSortsAndMarksDirectories)
{
    auto r = call("list_dir", R"({"path": "src"})");
    EXPECT_EQ(r.content, "main.cc  (32 bytes)\nutil/\n");
    EXPECT_EQ(r.summary, "1 dirs, 1 files");
    auto root = call("list_dir", "{}");
    EXPECT_THAT(root.content, HasSubstr(".git/\n"));
    EXPECT_THAT(root.content, HasSubstr("build/\n"));
}

TEST_F(SearchTools, ListDirBadInputs)
{
    EXPECT_THAT(call("list_dir", R"({"path": "nope"})").content, HasSubstr("list_dir: no such directory: nope"));
    EXPECT_THAT(
        call("list_dir", R"({"path": "top.txt"})").content, HasSubstr("list_dir: top.txt is a file, not a directory"));
}

// grep and glob run on a worker thread (internal/off_loop.h): the call's
// own context copy keeps the confinement, and a cancel reaches the worker.
TEST_F(SearchTools, ACancelledSearchSaysSo)
{
    for (std::string_view tool : { "grep", "glob" }) {
        ToolContext ctx{ m_loop, dir() };
        std::optional<ToolResult> got;
        auto run = start_tool(ctx, tool, R"({"pattern": "needle"})", [&](ToolResult r) { got = std::move(r); });
        run->cancel();
        ASSERT_THAT(m_loop.run_until([&] { return got.has_value(); }), ik::testing::IsOk());
        EXPECT_EQ(got->state, ToolState::cancelled) << tool;
        EXPECT_THAT(got->content, HasSubstr("cancelled")) << tool;
    }
}

TEST_F(SearchTools, DestroyingARunningSearchJoinsItQuietly)
{
    for (int i = 0; i < 200; ++i)
        write(fmt::format("many/f{}.txt", i), "needle\n");
    ToolContext ctx{ m_loop, dir() };
    bool called = false;
    auto run = start_tool(ctx, "grep", R"({"pattern": "needle"})", [&](ToolResult) { called = true; });
    run.reset();
    ASSERT_THAT(m_loop.run_once(20), ik::testing::IsOk());
    EXPECT_FALSE(called);
}

TEST(GlobMatch, Patterns)
{
    using agent::internal::glob_match;
    EXPECT_TRUE(glob_match("*.cc", "a.cc"));
    EXPECT_FALSE(glob_match("*.cc", "src/a.cc"));
    EXPECT_TRUE(glob_match("**/*.cc", "a.cc"));
    EXPECT_TRUE(glob_match("**/*.cc", "src/x/a.cc"));
    EXPECT_TRUE(glob_match("src/**", "src/x/a.cc"));
    EXPECT_TRUE(glob_match("src/**/b/*.h", "src/b/c.h"));
    EXPECT_TRUE(glob_match("a?.[ch]", "ab.h"));
    EXPECT_TRUE(glob_match("{src,include}/*.h", "include/x.h"));
    EXPECT_FALSE(glob_match("{src,include}/*.h", "lib/x.h"));
}

TEST(IgnoreRules, NegationAnchoringAndDirectories)
{
    agent::internal::IgnoreRules rules;
    rules.add("", "*.o\n!keep.o\n/root-only\nout/\ndocs/*.tmp\n");
    rules.add("sub", "local\n");
    EXPECT_TRUE(rules.ignored("a/b/x.o", false));
    EXPECT_FALSE(rules.ignored("a/keep.o", false));
    EXPECT_TRUE(rules.ignored("root-only", false));
    EXPECT_FALSE(rules.ignored("a/root-only", false));
    EXPECT_TRUE(rules.ignored("x/out", true));
    EXPECT_FALSE(rules.ignored("x/out", false));
    EXPECT_TRUE(rules.ignored("docs/a.tmp", false));
    EXPECT_FALSE(rules.ignored("x/docs/a.tmp", false));
    EXPECT_TRUE(rules.ignored("sub/local", false));
    EXPECT_FALSE(rules.ignored("local", false));
}
