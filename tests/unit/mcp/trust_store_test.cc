// The trust kept for project MCP server files (mcp/trust_store.h) and the
// reading of those files (mcp/project_servers.h): trust is per file and per
// content hash, survives a reload, and reads a damaged store as "nothing
// trusted"; project files are read in both shapes, and links, oversized
// and malformed files are refused with a note.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "mcp/project_servers.h"
#include "mcp/trust_store.h"
#include "support/process.h"

namespace ik::mcp {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text)
{
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

bool has_note(const std::vector<std::string>& notes, std::string_view part)
{
    for (const auto& n : notes)
        if (n.find(part) != std::string::npos)
            return true;
    return false;
}

TEST(McpTrust, Sha256MatchesTheStandardVectors)
{
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(McpTrust, ADecisionHoldsForItsHashOnlyAndSurvivesAReload)
{
    testing::TempDir dir;
    fs::path store = fs::path(dir.path()) / "state" / "ik" / "mcp-trust.json";
    TrustStore t = TrustStore::load(store);
    std::string h1 = sha256_hex("one"), h2 = sha256_hex("two");
    EXPECT_EQ(t.decision("/p/.mcp.json", h1), Trust::undecided);
    t.set("/p/.mcp.json", h1, Trust::trusted);
    t.set("/q/.mcp.json", h2, Trust::refused);
    ASSERT_TRUE(t.save().has_value());

    TrustStore again = TrustStore::load(store);
    EXPECT_EQ(again.decision("/p/.mcp.json", h1), Trust::trusted);
    EXPECT_EQ(again.decision("/p/.mcp.json", h2), Trust::undecided) << "an edited file is asked about again";
    EXPECT_EQ(again.decision("/q/.mcp.json", h2), Trust::refused);
    EXPECT_EQ(again.decision("/other/.mcp.json", h1), Trust::undecided) << "trust is per project file";
    again.set("/q/.mcp.json", h2, Trust::undecided);
    ASSERT_TRUE(again.save().has_value());
    EXPECT_EQ(TrustStore::load(store).decision("/q/.mcp.json", h2), Trust::undecided);
}

TEST(McpTrust, ADamagedStoreTrustsNothing)
{
    testing::TempDir dir;
    fs::path store = fs::path(dir.path()) / "mcp-trust.json";
    std::string h = sha256_hex("x");
    for (const std::string& text : { std::string("{not json"), std::string(R"({"files": []})"),
             std::string(R"({"files": {"/p/.mcp.json": {"sha256": "short", "decision": "trusted"}}})"),
             R"({"files": {"/p/.mcp.json": {"sha256": ")" + h + R"(", "decision": "maybe"}}})",
             std::string(size_t{ 2 } << 20, ' ') }) {
        write(store, text);
        EXPECT_EQ(TrustStore::load(store).decision("/p/.mcp.json", h), Trust::undecided) << text.substr(0, 80);
    }
}

TEST(McpProjectServers, BothFilesAreReadInEitherShapeAndOldSseEntriesAreSkipped)
{
    testing::TempDir dir;
    fs::path root(dir.path());
    write(root / ".mcp.json", R"({"mcpServers": {"calc": {"command": "python3", "args": ["s.py"], "env": {"K": "v"}},
        "web": {"type": "http", "url": "https://example.com/mcp", "headers": {"X-Key": "${KEY}"}},
        "old": {"type": "sse", "url": "https://example.com/sse"}}})");
    write(root / ".ik" / "mcp.json", R"({"servers": {"own": {"command": "own-server", "timeout": 5}}})");
    ProjectScan scan = scan_project_servers(root);
    ASSERT_EQ(scan.files.size(), 2U);
    EXPECT_EQ(scan.files[0].path, root / ".ik" / "mcp.json");
    ASSERT_EQ(scan.files[0].servers.size(), 1U);
    EXPECT_EQ(scan.files[0].servers[0].timeout_s, 5);
    ASSERT_EQ(scan.files[1].servers.size(), 2U);
    EXPECT_EQ(scan.files[1].servers[0].name, "calc");
    EXPECT_EQ(scan.files[1].servers[1].url, "https://example.com/mcp");
    EXPECT_EQ(scan.files[1].servers[1].headers.at(0).second, "${KEY}"); // expanded when it starts
    EXPECT_EQ(scan.files[1].servers[0].args, std::vector<std::string>{ "s.py" });
    EXPECT_EQ(scan.files[1].sha256,
        sha256_hex(R"({"mcpServers": {"calc": {"command": "python3", "args": ["s.py"], "env": {"K": "v"}},
        "web": {"type": "http", "url": "https://example.com/mcp", "headers": {"X-Key": "${KEY}"}},
        "old": {"type": "sse", "url": "https://example.com/sse"}}})"));
    EXPECT_TRUE(has_note(scan.notes, "'old' uses the old HTTP+SSE transport"));
}

TEST(McpProjectServers, LinksOversizedAndMalformedFilesAreNotRead)
{
    testing::TempDir dir;
    fs::path root(dir.path());
    fs::path outside = root / "elsewhere.json";
    write(outside, R"({"mcpServers": {"evil": {"command": "rm"}}})");
    fs::create_symlink(outside, root / ".mcp.json");
    fs::create_directories(root / "real");
    write(root / "real" / "mcp.json", R"({"servers": {"evil": {"command": "rm"}}})");
    fs::create_directory_symlink(root / "real", root / ".ik");
    ProjectScan scan = scan_project_servers(root);
    EXPECT_TRUE(scan.files.empty());
    EXPECT_TRUE(has_note(scan.notes, ".mcp.json: a symbolic link"));
    EXPECT_TRUE(has_note(scan.notes, ".ik: a symbolic link"));

    testing::TempDir dir2;
    fs::path r2(dir2.path());
    write(r2 / ".mcp.json", std::string(max_project_file_bytes + 1, ' '));
    write(r2 / ".ik" / "mcp.json", R"({"servers": {"bad__name": {"command": "x"}}})");
    ProjectScan s2 = scan_project_servers(r2);
    EXPECT_TRUE(s2.files.empty());
    EXPECT_TRUE(has_note(s2.notes, "over 256 KiB"));
    EXPECT_TRUE(has_note(s2.notes, "bad__name"));

    write(r2 / ".mcp.json", "{\"mcpServers\": {\"x\": \x1b[2J");
    fs::remove(r2 / ".ik" / "mcp.json");
    fs::create_directory(r2 / ".ik" / "mcp.json"); // a directory, not a file
    ProjectScan s3 = scan_project_servers(r2);
    EXPECT_TRUE(s3.files.empty());
    EXPECT_EQ(s3.notes.size(), 2U);
}

} // namespace
} // namespace ik::mcp
