#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "support/matchers.h"
#include "tui/history.h"

using namespace ik::tui;
using ik::testing::HasError;
using ik::testing::IsOk;

namespace {

class TempDir {
public:
    TempDir()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "ik-history-XXXXXX").string();
        m_path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { std::filesystem::remove_all(m_path); }
    std::string file(std::string_view name) const { return m_path + "/" + std::string(name); }

private:
    std::string m_path;
};

std::string read_file(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

TEST(History, PersistsMultiLineEntriesAndReloads)
{
    TempDir dir;
    std::string path = dir.file("sub/dir/history");
    {
        auto h = History::open(path);
        ASSERT_THAT(h, IsOk());
        EXPECT_EQ(h->size(), 0u);
        ASSERT_THAT(h->add("first"), IsOk());
        ASSERT_THAT(h->add("multi\nline \"quoted\" \\ 日本 😀"), IsOk());
        ASSERT_THAT(h->add("multi\nline \"quoted\" \\ 日本 😀"), IsOk()); // consecutive repeat
        ASSERT_THAT(h->add("   \n"), IsOk()); // blank
        ASSERT_THAT(h->add("first"), IsOk()); // not consecutive: kept
    }
    std::string file = read_file(path);
    EXPECT_EQ(std::count(file.begin(), file.end(), '\n'), 3);
    auto h = History::open(path);
    ASSERT_THAT(h, IsOk());
    ASSERT_EQ(h->size(), 3u);
    EXPECT_EQ(h->at(0), "first");
    EXPECT_EQ(h->at(1), "multi\nline \"quoted\" \\ 日本 😀");
    EXPECT_EQ(h->at(2), "first");
}

TEST(History, CapKeepsNewestAndCompactsTheFile)
{
    TempDir dir;
    std::string path = dir.file("history");
    {
        auto h = History::open(path, 5);
        ASSERT_THAT(h, IsOk());
        for (int i = 0; i < 23; ++i)
            ASSERT_THAT(h->add("entry " + std::to_string(i)), IsOk());
        EXPECT_EQ(h->size(), 5u);
        EXPECT_EQ(h->at(0), "entry 18");
    }
    std::string file = read_file(path);
    EXPECT_LE(std::count(file.begin(), file.end(), '\n'), 10); // never more than 2 x cap lines
    auto h = History::open(path, 5);
    ASSERT_THAT(h, IsOk());
    ASSERT_EQ(h->size(), 5u);
    EXPECT_EQ(h->at(0), "entry 18");
    EXPECT_EQ(h->at(4), "entry 22");
}

TEST(History, CorruptLinesAreSkippedAndCounted)
{
    TempDir dir;
    std::string path = dir.file("history");
    std::ofstream(path) << "\"good\"\nnot json\n42\n\"also good\"\n\"torn";
    auto h = History::open(path);
    ASSERT_THAT(h, IsOk());
    EXPECT_EQ(h->size(), 2u);
    EXPECT_EQ(h->skipped_lines(), 3u);
}

TEST(History, UnwritablePathIsAnIoErrorButKeepsTheEntry)
{
    TempDir dir;
    std::string path = dir.file("history");
    std::filesystem::create_directories(path); // a directory where the file should be
    auto opened = History::open(path);
    ASSERT_THAT(opened, IsOk());
    auto added = opened->add("x");
    EXPECT_THAT(added, HasError(ik::ErrorCode::io));
    EXPECT_EQ(opened->size(), 1u);
}

TEST(History, DefaultPathFollowsXdg)
{
    const char* old = std::getenv("XDG_DATA_HOME");
    std::string saved = old ? old : "";
    ::setenv("XDG_DATA_HOME", "/xdg/data", 1);
    EXPECT_EQ(History::default_path(), "/xdg/data/ik/history");
    ::unsetenv("XDG_DATA_HOME");
    ::setenv("HOME", std::getenv("HOME") ? std::getenv("HOME") : "/home/x", 1);
    EXPECT_TRUE(History::default_path().ends_with("/.local/share/ik/history"));
    if (old)
        ::setenv("XDG_DATA_HOME", saved.c_str(), 1);
}

TEST(History, NavigationRemembersTheDraft)
{
    History h;
    ASSERT_THAT(h.add("one"), IsOk());
    ASSERT_THAT(h.add("two"), IsOk());
    EXPECT_FALSE(h.next().has_value());
    EXPECT_EQ(h.previous("draft").value_or("?"), "two");
    EXPECT_EQ(h.previous("two").value_or("?"), "one");
    EXPECT_FALSE(h.previous("one").has_value());
    EXPECT_EQ(h.next().value_or("?"), "two");
    EXPECT_EQ(h.next().value_or("?"), "draft");
    EXPECT_FALSE(h.navigating());
    EXPECT_FALSE(h.next().has_value());
}

TEST(HistorySearch, RefinesOlderAndFails)
{
    History h;
    for (auto e : { "git status", "make test", "git commit -m x", "ls", "git log" })
        ASSERT_THAT(h.add(e), IsOk());
    HistorySearch s(h);
    s.set_query("");
    EXPECT_EQ(s.prompt(), "(reverse-i-search)`': ");
    s.append("git");
    EXPECT_EQ(s.match().value_or("?"), "git log");
    s.older();
    EXPECT_EQ(s.match().value_or("?"), "git commit -m x");
    s.append(" s");
    EXPECT_EQ(s.match().value_or("?"), "git status");
    EXPECT_EQ(s.prompt(), "(reverse-i-search)`git s': git status");
    s.older(); // nothing older: failed, keeps showing the last match
    EXPECT_EQ(s.prompt(), "(failed reverse-i-search)`git s': git status");
    s.erase_last();
    s.erase_last();
    EXPECT_EQ(s.query(), "git");
    EXPECT_EQ(s.match().value_or("?"), "git log");
    s.set_query("nothing like it");
    EXPECT_FALSE(s.match().has_value());
    EXPECT_EQ(s.prompt(), "(failed reverse-i-search)`nothing like it': ");
}

TEST(History, InvalidUtf8IsStoredAsReplacementCharacters)
{
    TempDir dir;
    std::string path = dir.file("history");
    {
        auto h = History::open(path);
        ASSERT_THAT(h, IsOk());
        ASSERT_THAT(h->add("bad \xFF byte\x01"), IsOk());
    }
    auto h = History::open(path);
    ASSERT_THAT(h, IsOk());
    ASSERT_EQ(h->size(), 1u);
    EXPECT_EQ(h->at(0), "bad \xEF\xBF\xBD byte\x01");
    EXPECT_EQ(h->skipped_lines(), 0u);
}
