// Confined opens (tools/internal/confined.h): what a link swapped in after
// the approval can and cannot reach, with openat2 and with the O_NOFOLLOW
// fallback, and ik's own directories closed to every file tool.
#include <array>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/approval.h"
#include "agent/tools/internal/confined.h"
#include "agent/tools/internal/files.h"
#include "agent/tools/registry.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::agent;
using namespace ik::agent::internal;
using ik::testing::HasError;
using ik::testing::IsOk;

namespace {

namespace fs = std::filesystem;

class Confined : public ::testing::TestWithParam<Resolution> {
protected:
    void SetUp() override
    {
        std::string tmpl = (fs::temp_directory_path() / "ik-confined-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        m_root = fs::canonical(tmpl);
        fs::create_directories(m_root / "repo/src");
        fs::create_directories(m_root / "outside");
        fs::create_directories(m_root / "ik-config");
        std::ofstream(m_root / "repo/src/a.txt") << "inside\n";
        std::ofstream(m_root / "outside/secret") << "outside\n";
        std::ofstream(m_root / "ik-config/credentials.json") << "sk-x\n";
        m_private[0] = m_root / "ik-config";
    }
    void TearDown() override
    {
        std::error_code ec;
        fs::remove_all(m_root, ec);
    }
    ToolContext ctx(bool confined)
    {
        return ToolContext{ .loop = m_loop,
            .cwd = m_root / "repo",
            .sandbox = nullptr,
            .private_dirs = m_private,
            .beneath = confined ? m_root / "repo" : fs::path() };
    }
    Result<UniqueFd> open(const ToolContext& c, const fs::path& p, int flags = O_RDONLY, mode_t mode = 0)
    {
        return open_confined(c, "test", p, flags, mode, GetParam());
    }

    Loop m_loop;
    fs::path m_root;
    std::array<fs::path, 1> m_private;
};

TEST_P(Confined, OpensInsideIncludingThroughInsideLinks)
{
    fs::create_directory_symlink(m_root / "repo/src", m_root / "repo/alias");
    auto c = ctx(true);
    EXPECT_THAT(open(c, m_root / "repo/src/a.txt"), IsOk());
    EXPECT_THAT(open(c, m_root / "repo/alias/a.txt"), IsOk());
    EXPECT_THAT(open(c, m_root / "repo/src/missing"), HasError(ErrorCode::not_found));
}

TEST_P(Confined, ALinkLeadingOutIsRefusedBeneathTheRoot)
{
    fs::create_symlink(m_root / "outside/secret", m_root / "repo/link");
    fs::create_directory_symlink(m_root / "outside", m_root / "repo/linkdir");
    auto c = ctx(true);
    EXPECT_THAT(open(c, m_root / "repo/link"), HasError(ErrorCode::denied));
    EXPECT_THAT(open(c, m_root / "repo/linkdir/secret"), HasError(ErrorCode::denied));
    EXPECT_THAT(open(c, m_root / "repo/linkdir/new", O_WRONLY | O_CREAT, 0644), HasError(ErrorCode::denied));
    EXPECT_FALSE(fs::exists(m_root / "outside/new"));
    EXPECT_THAT(open(c, m_root / "repo/../outside/secret"), HasError(ErrorCode::denied));
    // Approved where it is (outside the project): opened.
    EXPECT_THAT(open(ctx(false), m_root / "repo/link"), IsOk());
}

TEST_P(Confined, WritingCreatesParentsBeneathTheRootOnly)
{
    auto c = ctx(true);
    EXPECT_THAT(write_file("write_file", c, m_root / "repo/new/deep/f.txt", "x"), IsOk());
    EXPECT_TRUE(fs::exists(m_root / "repo/new/deep/f.txt"));
    fs::create_directory_symlink(m_root / "outside", m_root / "repo/linkdir");
    EXPECT_THAT(write_file("write_file", c, m_root / "repo/linkdir/made/f.txt", "x"), HasError(ErrorCode::denied));
    EXPECT_FALSE(fs::exists(m_root / "outside/made"));
}

TEST_P(Confined, IksOwnDirectoriesAreClosedWhateverThePath)
{
    fs::create_symlink(m_root / "ik-config/credentials.json", m_root / "repo/innocent");
    for (bool confined : { true, false }) {
        auto c = ctx(confined);
        EXPECT_THAT(open(c, m_root / "repo/innocent"), HasError(ErrorCode::denied)) << confined;
    }
    EXPECT_THAT(open(ctx(false), m_root / "ik-config/credentials.json"), HasError(ErrorCode::denied));
    EXPECT_THAT(open(ctx(false), m_root / "ik-config", O_PATH), HasError(ErrorCode::denied));
    EXPECT_THAT(read_text_file("read_file", ctx(false), (m_root / "ik-config/credentials.json").string(), 1024),
        HasError(ErrorCode::denied));
}

TEST_P(Confined, AFifoDoesNotHangARead)
{
    ASSERT_EQ(::mkfifo((m_root / "repo/fifo").c_str(), 0600), 0);
    EXPECT_THAT(read_text_file("read_file", ctx(true), "fifo", 1024), HasError(ErrorCode::invalid_argument));
}

INSTANTIATE_TEST_SUITE_P(Resolutions, Confined, ::testing::Values(Resolution::kernel, Resolution::no_symlinks),
    [](const auto& p) { return p.param == Resolution::kernel ? "openat2" : "nofollow"; });

// The approval side: file tools are judged by where their path lands.
ApprovalRequest read_at(std::string_view tool, const fs::path& path)
{
    return make_approval_request("c", *find_tool(tool), ToolPreview{ .path = path.string(), .full_path = path });
}

class ReadApproval : public Confined { };

TEST_F(ReadApproval, ReadsOutsideTheProjectAskExceptUnderYolo)
{
    auto p = ApprovalPolicy::make(ApprovalMode::ask, {}, {});
    ASSERT_THAT(p, IsOk());
    p->project_root = m_root / "repo";
    p->private_dirs = { m_root / "ik-config" };
    fs::create_symlink(m_root / "outside/secret", m_root / "repo/link");
    auto verdict = [&](const ApprovalRequest& r) { return decide(*p, SessionAllows{}, r).verdict; };
    EXPECT_EQ(verdict(read_at("read_file", m_root / "repo/src/a.txt")), Verdict::allow);
    EXPECT_EQ(verdict(read_at("grep", m_root / "repo")), Verdict::allow);
    EXPECT_EQ(verdict(read_at("read_file", m_root / "outside/secret")), Verdict::ask);
    EXPECT_EQ(verdict(read_at("read_file", m_root / "repo/link")), Verdict::ask);
    EXPECT_EQ(verdict(read_at("list_dir", m_root)), Verdict::ask);
    p->mode = ApprovalMode::auto_edit;
    EXPECT_EQ(verdict(read_at("glob", m_root / "outside")), Verdict::ask);
    p->mode = ApprovalMode::yolo;
    EXPECT_EQ(verdict(read_at("read_file", m_root / "outside/secret")), Verdict::allow);

    // ik's own files: denied in every mode, for reads and edits alike.
    for (auto tool : { "read_file", "grep", "write_file", "edit_file" }) {
        Decision d = decide(*p, SessionAllows{}, read_at(tool, m_root / "ik-config/credentials.json"));
        EXPECT_EQ(d.verdict, Verdict::deny) << tool;
        EXPECT_EQ(d.source, DecisionSource::private_path) << tool;
    }
}

TEST_F(ReadApproval, TheConfinementIsTheRootOnlyForPathsInsideIt)
{
    ApprovalPolicy p;
    p.project_root = m_root / "repo";
    EXPECT_EQ(confinement_for(p, read_at("read_file", m_root / "repo/src/a.txt")), m_root / "repo");
    EXPECT_EQ(confinement_for(p, read_at("write_file", m_root / "repo/new.txt")), m_root / "repo");
    EXPECT_EQ(confinement_for(p, read_at("read_file", m_root / "outside/secret")), fs::path());
    fs::create_symlink(m_root / "outside", m_root / "repo/linkdir");
    EXPECT_EQ(confinement_for(p, read_at("read_file", m_root / "repo/linkdir/secret")), fs::path());
}

} // namespace
