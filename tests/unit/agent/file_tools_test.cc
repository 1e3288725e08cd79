#include "tool_fixture.h"

using namespace ik;
using namespace ik::agent;
using namespace ik::agent::testing;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using ReadFile = ToolTest;
using WriteFile = ToolTest;
using EditFile = ToolTest;

TEST_F(ReadFile, NumbersLines)
{
    write("a.txt", "one\ntwo\nthree\n");
    auto r = call("read_file", R"({"path": "a.txt"})");
    EXPECT_FALSE(r.is_error);
    EXPECT_EQ(r.content, "     1\tone\n     2\ttwo\n     3\tthree\n");
    EXPECT_EQ(r.summary, "lines 1-3 of 3");
}

TEST_F(ReadFile, ReadsARangeAndSaysHowToReadOn)
{
    std::string text;
    for (int i = 1; i <= 10; ++i)
        text += "line " + std::to_string(i) + "\n";
    write("a.txt", text);
    auto r = call("read_file", R"({"path": "a.txt", "offset": 4, "limit": 2})");
    EXPECT_EQ(r.content,
        "     4\tline 4\n     5\tline 5\n"
        "[showing lines 4-5 of 10; call read_file with offset 6 to read on]\n");
}

TEST_F(ReadFile, AbsolutePathsAndCrlfWork)
{
    write("w.txt", "a\r\nb");
    auto r = call("read_file", R"({"path": ")" + (dir() / "w.txt").string() + R"("})");
    EXPECT_EQ(r.content, "     1\ta\n     2\tb\n");
}

TEST_F(ReadFile, LongLinesAreCut)
{
    write("long.txt", std::string(5000, 'x') + "\n");
    auto r = call("read_file", R"({"path": "long.txt"})");
    EXPECT_THAT(r.content, HasSubstr(" [line truncated]"));
    EXPECT_THAT(r.content, HasSubstr("[lines longer than 2000 characters were cut]"));
    EXPECT_LT(r.content.size(), 2200u);
}

TEST_F(ReadFile, HugeFilesAreRefused)
{
    write("big.txt", std::string(11 * 1024 * 1024, 'a'));
    auto r = call("read_file", R"({"path": "big.txt"})");
    EXPECT_TRUE(r.is_error);
    EXPECT_THAT(r.content, HasSubstr("read_file: big.txt is 11.0 MiB, more than the 10.0 MiB limit"));
}

TEST_F(ReadFile, BinaryFilesAreRefused)
{
    // (An image's bytes come back as an image: images_test / integration.images.)
    write("prog.bin",
        std::string("\x7f"
                    "ELF\x02\x01\x01\0\0\0\0",
            11));
    auto r = call("read_file", R"({"path": "prog.bin"})");
    EXPECT_TRUE(r.is_error);
    EXPECT_THAT(r.content, HasSubstr("read_file: prog.bin looks like a binary file (NUL byte at offset 7"));
}

TEST_F(ReadFile, MissingFileDirectoryAndBadRangeAreErrors)
{
    write("a.txt", "one\n");
    std::filesystem::create_directory(dir() / "sub");
    struct Case {
        std::string args;
        std::string message;
    } cases[] = {
        { R"({"path": "nope.txt"})", "read_file: no such file: nope.txt (working directory: " + dir().string() + ")" },
        { R"({"path": "sub"})", "read_file: sub is a directory, not a file (use list_dir)" },
        { R"({"path": "a.txt", "offset": 0})", "read_file: offset must be ≥ 1, got 0" },
        { R"({"path": "a.txt", "offset": 5})", "read_file: offset 5 is past the end of a.txt (1 line)" },
        { R"({"path": "a.txt", "limit": [1]})", "read_file: 'limit' must be an integer, got array" },
        { R"({"path": 7})", "read_file: 'path' must be a string, got number" },
        { R"({"offset": 1})", "read_file: 'path' is required" },
    };
    for (auto& c : cases) {
        auto r = call("read_file", c.args);
        EXPECT_TRUE(r.is_error) << c.args;
        EXPECT_THAT(r.content, HasSubstr(c.message)) << c.args;
    }
}

TEST_F(ReadFile, EmptyFile)
{
    write("e.txt", "");
    auto r = call("read_file", R"({"path": "e.txt"})");
    EXPECT_FALSE(r.is_error);
    EXPECT_EQ(r.content, "(e.txt is empty)");
}

TEST_F(WriteFile, CreatesParentsAndReportsBytes)
{
    auto r = call("write_file", R"({"path": "deep/er/new.txt", "content": "hello\nworld\n"})");
    EXPECT_FALSE(r.is_error) << r.content;
    EXPECT_EQ(read("deep/er/new.txt"), "hello\nworld\n");
    EXPECT_EQ(r.content, "created deep/er/new.txt: wrote 12 bytes (2 lines)");
}

TEST_F(WriteFile, ReplacesAndSaysWhatItWas)
{
    write("a.txt", "old");
    auto r = call("write_file", R"({"path": "a.txt", "content": "new!"})");
    EXPECT_EQ(read("a.txt"), "new!");
    EXPECT_EQ(r.content, "replaced a.txt (was 3 bytes): wrote 4 bytes (1 line)");
}

TEST_F(WriteFile, RefusesDirectoriesAndMissingContent)
{
    std::filesystem::create_directory(dir() / "sub");
    EXPECT_THAT(
        call("write_file", R"({"path": "sub", "content": "x"})").content, HasSubstr("write_file: sub is a directory"));
    EXPECT_THAT(call("write_file", R"({"path": "x.txt"})").content, HasSubstr("write_file: 'content' is required"));
    EXPECT_FALSE(std::filesystem::exists(dir() / "x.txt"));
}

TEST_F(WriteFile, PreviewIsADiffAgainstTheOldContent)
{
    write("a.txt", "one\ntwo\n");
    ToolContext ctx{ m_loop, dir() };
    auto p = preview_tool(ctx, "write_file", R"({"path": "a.txt", "content": "one\nTWO\n"})");
    ASSERT_THAT(p, ik::testing::IsOk());
    EXPECT_EQ(p->path, "a.txt");
    EXPECT_EQ(p->full_path, dir() / "a.txt");
    EXPECT_EQ(p->diff, "--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n");
    EXPECT_EQ(read("a.txt"), "one\ntwo\n") << "a preview must not write";
}

TEST_F(EditFile, ReplacesAUniqueMatch)
{
    write("a.cc", "int main() {\n    return 1;\n}\n");
    auto r = call("edit_file", R"({"path": "a.cc", "old_string": "return 1;", "new_string": "return 0;"})");
    EXPECT_FALSE(r.is_error) << r.content;
    EXPECT_EQ(read("a.cc"), "int main() {\n    return 0;\n}\n");
    EXPECT_THAT(r.content, StartsWith("edited a.cc: replaced 1 occurrence (+1 -1 lines)\n"));
    EXPECT_THAT(r.content, HasSubstr("-    return 1;\n+    return 0;\n"));
    EXPECT_EQ(r.summary, "+1 -1 lines");
}

TEST_F(EditFile, AmbiguousMatchNamesTheLines)
{
    write("a.txt", "x = 1\ny = 2\nx = 1\n");
    auto r = call("edit_file", R"({"path": "a.txt", "old_string": "x = 1", "new_string": "x = 3"})");
    EXPECT_TRUE(r.is_error);
    EXPECT_THAT(r.content, HasSubstr("edit_file: old_string matches 2 times in a.txt (at lines 1, 3)"));
    EXPECT_EQ(read("a.txt"), "x = 1\ny = 2\nx = 1\n");
}

TEST_F(EditFile, ReplaceAllReplacesEveryMatch)
{
    write("a.txt", "x = 1\ny = 2\nx = 1\n");
    auto r
        = call("edit_file", R"({"path": "a.txt", "old_string": "x = 1", "new_string": "x = 3", "replace_all": true})");
    EXPECT_FALSE(r.is_error) << r.content;
    EXPECT_EQ(read("a.txt"), "x = 3\ny = 2\nx = 3\n");
    EXPECT_THAT(r.content, StartsWith("edited a.txt: replaced 2 occurrences"));
}

TEST_F(EditFile, NoMatchPointsAtTheFirstLine)
{
    write("a.py", "def f():\n    return 1\n");
    auto r = call("edit_file", R"({"path": "a.py", "old_string": "def f():\n  return 1", "new_string": "x"})");
    EXPECT_TRUE(r.is_error);
    EXPECT_THAT(r.content, HasSubstr("edit_file: old_string was not found in a.py. Its first line occurs at line 1"));
    r = call("edit_file", R"({"path": "a.py", "old_string": "nothing like it", "new_string": "x"})");
    EXPECT_THAT(r.content, HasSubstr("was not found in a.py. Read the file again"));
}

TEST_F(EditFile, BadInputsAreErrors)
{
    write("a.txt", "abc");
    write("bin", std::string("a\0b", 3));
    struct Case {
        const char* args;
        const char* message;
    } cases[] = {
        { R"({"path": "a.txt", "new_string": "x"})", "edit_file: 'old_string' is required" },
        { R"({"path": "a.txt", "old_string": "a"})", "edit_file: 'new_string' is required" },
        { R"({"path": "a.txt", "old_string": "", "new_string": "x"})", "edit_file: 'old_string' is empty" },
        { R"({"path": "a.txt", "old_string": "a", "new_string": "a"})", "identical" },
        { R"({"path": "a.txt", "old_string": "a", "new_string": "b", "replace_all": "yes"})",
            "edit_file: 'replace_all' must be true or false, got string" },
        { R"({"path": "gone.txt", "old_string": "a", "new_string": "b"})", "edit_file: no such file: gone.txt" },
        { R"({"path": "bin", "old_string": "a", "new_string": "b"})", "edit_file: bin looks like a binary file" },
    };
    for (auto& c : cases) {
        auto r = call("edit_file", c.args);
        EXPECT_TRUE(r.is_error) << c.args;
        EXPECT_THAT(r.content, HasSubstr(c.message)) << c.args;
    }
    EXPECT_EQ(read("a.txt"), "abc");
}

TEST_F(EditFile, PreviewIsTheDiffAndDoesNotWrite)
{
    write("a.txt", "1\n2\n3\n4\n5\n6\n7\n8\n9\n");
    ToolContext ctx{ m_loop, dir() };
    auto p = preview_tool(ctx, "edit_file", R"({"path": "a.txt", "old_string": "5\n", "new_string": "five\n"})");
    ASSERT_THAT(p, ik::testing::IsOk());
    EXPECT_EQ(p->diff, "--- a/a.txt\n+++ b/a.txt\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    EXPECT_EQ(read("a.txt"), "1\n2\n3\n4\n5\n6\n7\n8\n9\n");
    EXPECT_THAT(preview_tool(ctx, "edit_file", R"({"path": "a.txt", "old_string": "zzz", "new_string": "x"})"),
        ik::testing::HasErrorMessage(HasSubstr("not found")));
}
