// The shadow repository against real directories: snapshots, changes,
// restore (including hostile layouts), retention and garbage collection.
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "checkpoint/shadow_repo.h"
#include "support/matchers.h"
#include "support/process.h"

namespace ik::checkpoint {
namespace {

namespace fs = std::filesystem;
using ik::testing::HasError;
using ik::testing::IsOk;
using ik::testing::TempDir;

void put(const fs::path& p, std::string_view text)
{
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

std::string get(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Fixture : ::testing::Test {
    TempDir tmp;
    fs::path project = fs::path(tmp.path()) / "project";
    fs::path data = fs::path(tmp.path()) / "data";
    mem::Arena arena{ mem::root(), "test" };
    std::unique_ptr<ShadowRepo> repo;

    void SetUp() override
    {
        fs::create_directories(project);
        auto opened = ShadowRepo::open(data, project);
        ASSERT_THAT(opened, IsOk());
        repo = std::move(*opened);
    }

    std::vector<std::string> paths(std::span<const ChangedFile> files)
    {
        std::vector<std::string> out;
        for (auto& f : files)
            out.push_back(std::string(1, static_cast<char>(f.change)) + " " + std::string(f.path));
        return out;
    }
};

TEST_F(Fixture, SnapshotSeesUntrackedFilesAndHonoursGitignoreWithoutTouchingTheProject)
{
    put(project / "a.txt", "one");
    put(project / "sub/b.txt", "two");
    put(project / ".gitignore", "ignored/\n*.log\n");
    put(project / "ignored/x", "no");
    put(project / "y.log", "no");
    put(project / ".git/HEAD", "ref: refs/heads/main\n"); // the project's own repository
    auto pre = repo->snapshot("pre");
    ASSERT_THAT(pre, IsOk());
    put(project / "a.txt", "changed");
    fs::remove(project / "sub/b.txt");
    put(project / "c.txt", "new");
    put(project / "y.log", "changed, ignored");
    put(project / ".git/HEAD", "ref: refs/heads/other\n"); // the project's history is not ours
    put(project / "nested/.git/HEAD", "ref: refs/heads/main\n"); // nor a nested repository
    put(project / "nested/inner.txt", "inside a nested repository");
    auto post = repo->snapshot("post", *pre);
    ASSERT_THAT(post, IsOk());
    auto changed = repo->changes(arena, *pre, *post);
    ASSERT_THAT(changed, IsOk());
    EXPECT_THAT(paths(*changed), ::testing::ElementsAre("M a.txt", "A c.txt", "D sub/b.txt"));
    // Nothing of the shadow repository lands in the project.
    EXPECT_EQ(get(project / ".git/HEAD"), "ref: refs/heads/other\n");
    EXPECT_FALSE(fs::exists(project / ".git/index"));
    EXPECT_TRUE(fs::exists(repo->dir() / "HEAD"));
    EXPECT_FALSE((repo->dir().string() + "/").starts_with(project.string() + "/"));
}

TEST_F(Fixture, RestoreBringsBackDeletedFilesAndRemovesCreatedOnes)
{
    put(project / "a.txt", "one");
    put(project / "sub/b.txt", "two");
    auto pre = repo->snapshot("pre");
    ASSERT_THAT(pre, IsOk());
    put(project / "a.txt", "changed");
    fs::remove_all(project / "sub");
    put(project / "new/dir/c.txt", "new");
    auto post = repo->snapshot("post", *pre);
    ASSERT_THAT(post, IsOk());
    auto changed = repo->changes(arena, *pre, *post);
    ASSERT_THAT(changed, IsOk());
    auto conflicts = repo->changed_since(arena, *post, *changed);
    ASSERT_THAT(conflicts, IsOk());
    EXPECT_TRUE(conflicts->empty());
    auto n = repo->restore(*pre, *changed);
    ASSERT_THAT(n, IsOk());
    EXPECT_EQ(*n, 3U);
    EXPECT_EQ(get(project / "a.txt"), "one");
    EXPECT_EQ(get(project / "sub/b.txt"), "two");
    EXPECT_FALSE(fs::exists(project / "new")); // emptied directories go too
}

TEST_F(Fixture, LaterUserChangesAreReportedBeforeRestoring)
{
    put(project / "a.txt", "one");
    put(project / "b.txt", "two");
    auto pre = repo->snapshot("pre");
    put(project / "a.txt", "turn");
    put(project / "b.txt", "turn");
    auto post = repo->snapshot("post", *pre);
    ASSERT_THAT(post, IsOk());
    put(project / "b.txt", "the user's edit, longer");
    auto changed = repo->changes(arena, *pre, *post);
    auto conflicts = repo->changed_since(arena, *post, *changed);
    ASSERT_THAT(conflicts, IsOk());
    ASSERT_EQ(conflicts->size(), 1U);
    EXPECT_EQ((*conflicts)[0], "b.txt");
}

TEST_F(Fixture, RestoreNeverWritesThroughALinkOutOfTheProject)
{
    fs::path outside = fs::path(tmp.path()) / "outside";
    fs::create_directories(outside);
    put(project / "sub/b.txt", "two");
    auto pre = repo->snapshot("pre");
    put(project / "sub/b.txt", "turn");
    auto post = repo->snapshot("post", *pre);
    auto changed = repo->changes(arena, *pre, *post);
    ASSERT_THAT(changed, IsOk());
    // The directory became a link to somewhere else after the turn.
    fs::remove_all(project / "sub");
    fs::create_directory_symlink(outside, project / "sub");
    EXPECT_THAT(repo->restore(*pre, *changed), HasError(ErrorCode::denied));
    EXPECT_FALSE(fs::exists(outside / "b.txt"));
}

TEST_F(Fixture, RestoreReplacesAFileThatIsALinkInsteadOfFollowingIt)
{
    fs::path outside = fs::path(tmp.path()) / "secret";
    put(outside, "secret");
    put(project / "a.txt", "one");
    auto pre = repo->snapshot("pre");
    fs::remove(project / "a.txt");
    fs::create_symlink(outside, project / "a.txt");
    auto post = repo->snapshot("post", *pre);
    auto changed = repo->changes(arena, *pre, *post);
    ASSERT_THAT(repo->restore(*pre, *changed), IsOk());
    EXPECT_EQ(get(outside), "secret");
    EXPECT_FALSE(fs::is_symlink(project / "a.txt"));
    EXPECT_EQ(get(project / "a.txt"), "one");
}

TEST_F(Fixture, PruneKeepsTheNewestAndCollectsUnreachableObjects)
{
    for (int i = 0; i < 5; ++i) {
        put(project / "f.txt", std::string(100, static_cast<char>('a' + i)));
        auto id = repo->snapshot("snap");
        ASSERT_THAT(id, IsOk());
        ASSERT_THAT(repo->keep(1000 + i, "s", *id), IsOk());
    }
    auto before = repo->kept(arena);
    ASSERT_THAT(before, IsOk());
    ASSERT_EQ(before->size(), 5U);
    std::string oldest(before->front().commit);
    auto pruned = repo->prune({ .keep = 2, .max_age_days = 30 }, 2000, 0);
    ASSERT_THAT(pruned, IsOk());
    EXPECT_EQ(pruned->dropped_refs, 3U);
    EXPECT_GE(pruned->deleted_objects, 6U); // 3 commits and their 3 trees at least
    auto after = repo->kept(arena);
    ASSERT_EQ(after->size(), 2U);
    EXPECT_EQ(after->back().time_ms, 1004);
    EXPECT_FALSE(repo->has_commit(oldest));
    EXPECT_TRUE(repo->has_commit(after->front().commit));
    // The index's cached objects survive: a snapshot after gc is whole.
    put(project / "g.txt", "more");
    auto next = repo->snapshot("next");
    ASSERT_THAT(next, IsOk());
    EXPECT_TRUE(repo->has_commit(*next));
}

TEST_F(Fixture, PruneByAge)
{
    put(project / "f.txt", "x");
    auto id = repo->snapshot("snap");
    ASSERT_THAT(repo->keep(1, "old", *id), IsOk());
    int64_t day = 24LL * 3600 * 1000;
    ASSERT_THAT(repo->keep(40 * day, "new", *id), IsOk());
    auto pruned = repo->prune({ .keep = 100, .max_age_days = 30 }, 41 * day, 0);
    ASSERT_THAT(pruned, IsOk());
    EXPECT_EQ(pruned->dropped_refs, 1U);
    EXPECT_GT(repo->disk_usage(), 0U);
}

TEST_F(Fixture, RestoreRefusesPathsThatLeaveTheProject)
{
    put(project / "a.txt", "one");
    auto pre = repo->snapshot("pre");
    ASSERT_THAT(pre, IsOk());
    for (std::string_view bad : { "../outside.txt", "/etc/passwd", "a/../../x", ".git/config", "" }) {
        ChangedFile f{ .path = bad, .change = Change::added };
        EXPECT_THAT(repo->restore(*pre, std::span<const ChangedFile>(&f, 1)), HasError(ErrorCode::invalid_argument))
            << bad;
    }
    EXPECT_FALSE(fs::exists(fs::path(tmp.path()) / "outside.txt"));
}

TEST_F(Fixture, FileNamesWithEscapesAndNewlinesRoundTrip)
{
    std::string odd = "odd\x1b]52;c;aGk=\x07name\nwith newline.txt";
    put(project / odd, "x");
    auto pre = repo->snapshot("pre");
    fs::remove(project / odd);
    auto post = repo->snapshot("post", *pre);
    auto changed = repo->changes(arena, *pre, *post);
    ASSERT_THAT(changed, IsOk());
    ASSERT_EQ(changed->size(), 1U);
    EXPECT_EQ((*changed)[0].path, odd);
    ASSERT_THAT(repo->restore(*pre, *changed), IsOk());
    EXPECT_EQ(get(project / odd), "x");
}

TEST_F(Fixture, ADataDirectoryInsideTheProjectIsRefused)
{
    EXPECT_THAT(ShadowRepo::open(project / ".ik", project), HasError(ErrorCode::invalid_argument));
}

} // namespace
} // namespace ik::checkpoint
