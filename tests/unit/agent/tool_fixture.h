// A temp directory and a loop for running tools in tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "agent/tools/registry.h"
#include "support/matchers.h"

namespace ik::agent::testing {

class ToolTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "ik-tools-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        m_dir = tmpl;
    }
    void TearDown() override
    {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    const std::filesystem::path& dir() const { return m_dir; }

    void write(const std::string& rel, std::string_view content)
    {
        auto p = m_dir / rel;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << content;
    }

    std::string read(const std::string& rel)
    {
        std::ifstream in(m_dir / rel, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    // Runs one call to completion on the loop.
    ToolResult call(std::string_view tool, std::string_view args)
    {
        ToolContext ctx{ m_loop, m_dir };
        std::optional<ToolResult> got;
        auto run = start_tool(ctx, tool, args, [&](ToolResult r) { got = std::move(r); });
        EXPECT_FALSE(got.has_value()) << "the completion ran inside start_tool";
        EXPECT_THAT(m_loop.run_until([&] { return got.has_value(); }), ik::testing::IsOk());
        return got.value_or(ToolResult{});
    }

    Loop m_loop;

private:
    std::filesystem::path m_dir;
};

} // namespace ik::agent::testing
