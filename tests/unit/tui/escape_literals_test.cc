// style.md rule 8: every escape sequence ik emits lives in src/tui/escape.cc.
// This test reads the sources and fails on an ESC literal anywhere else. The
// key decoder (src/tui/keys.*) is exempt: it recognises the sequences the
// terminal sends, which is input, not output.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace {

TEST(EscapeLiterals, OnlyTheEscapeModuleContainsThem)
{
    namespace fs = std::filesystem;
    fs::path src = fs::path(IK_TEST_DATA_DIR).parent_path().parent_path() / "src";
    ASSERT_TRUE(fs::exists(src)) << src;
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(src)) {
        if (!entry.is_regular_file())
            continue;
        auto ext = entry.path().extension();
        if (ext != ".cc" && ext != ".h")
            continue;
        ++files;
        std::string name = entry.path().filename().string();
        bool in_tui = entry.path().parent_path().filename() == "tui";
        if (in_tui && (name == "escape.cc" || name.starts_with("keys.")))
            continue;
        std::ifstream in(entry.path());
        std::stringstream buffer;
        buffer << in.rdbuf();
        std::string text = buffer.str();
        for (const char* literal : { "\\x1b", "\\x1B", "\\033", "\\e[", "\x1b" })
            EXPECT_EQ(text.find(literal), std::string::npos) << entry.path() << " contains " << literal;
    }
    EXPECT_GT(files, 10);
}

} // namespace
