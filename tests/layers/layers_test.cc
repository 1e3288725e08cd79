// The layers of design.md section 4, held by the build: every file under src/
// and tests/unit/<module>/ includes only what its module may, and each module
// in src/CMakeLists.txt links exactly the ik modules it includes.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "layer_rules.h"

namespace ik::layers {
namespace {

namespace fs = std::filesystem;
using ::testing::IsEmpty;

const fs::path source_dir = IK_SOURCE_DIR;

std::string read(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool is_source(const fs::path& path)
{
    return path.extension() == ".cc" || path.extension() == ".h";
}

// Every violation under `dir`, read as files of `module`; `seen` collects the
// other modules they include.
std::vector<std::string> check_tree(const fs::path& dir, const std::string& module, std::set<std::string>& seen)
{
    std::vector<std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file() || !is_source(entry.path()))
            continue;
        for (const Include& inc : module_includes(read(entry.path()))) {
            if (inc.module != module)
                seen.insert(inc.module);
            if (std::string why = violation(module, inc); !why.empty())
                out.push_back(fs::relative(entry.path(), source_dir).string() + ": " + why);
        }
    }
    return out;
}

Include inc(std::string text)
{
    auto all = module_includes("#include \"" + text + "\"\n");
    EXPECT_EQ(all.size(), 1U) << text;
    return all.empty() ? Include{} : all.front();
}

TEST(LayerRules, LowerLevelsAndItselfAreAllowed)
{
    EXPECT_EQ(violation("agent", inc("llm/client.h")), "");
    EXPECT_EQ(violation("agent", inc("store/store.h")), "");
    EXPECT_EQ(violation("app", inc("tui/screen.h")), "");
    EXPECT_EQ(violation("llm", inc("llm/internal/wire.h")), "");
    EXPECT_EQ(violation("sandbox", inc("core/process.h")), "");
    EXPECT_EQ(violation("agent", inc("checkpoint/shadow_repo.h")), "");
}

TEST(LayerRules, UpwardSidewaysAndForeignInternalIncludesAreRefused)
{
    EXPECT_THAT(violation("core", inc("config/config.h")), ::testing::HasSubstr("is not below"));
    EXPECT_THAT(violation("llm", inc("agent/turn.h")), ::testing::HasSubstr("is not below"));
    EXPECT_THAT(violation("store", inc("config/config.h")), ::testing::HasSubstr("is not below"));
    EXPECT_THAT(violation("llm", inc("mcp/client.h")), ::testing::HasSubstr("is not below"));
    EXPECT_THAT(violation("checkpoint", inc("store/store.h")), ::testing::HasSubstr("is not below"));
    EXPECT_THAT(violation("tui", inc("config/config.h")), ::testing::HasSubstr("tui includes only core"));
    EXPECT_THAT(violation("app", inc("llm/internal/wire.h")), ::testing::HasSubstr("internal/"));
    EXPECT_THAT(violation("widgets", inc("core/arena.h")), ::testing::HasSubstr("not a module"));
}

TEST(LayerRules, OnlyQuotedModuleIncludesCount)
{
    auto all = module_includes("#include <string>\n"
                               "  #  include \"core/arena.h\"\n"
                               "#include \"support/matchers.h\"\n"
                               "#include \"vt_model.h\"\n"
                               "// #include is mentioned in a comment\n"
                               "#include \"tui/internal/key_sequences.h\"\n");
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0].module, "core");
    EXPECT_FALSE(all[0].internal);
    EXPECT_EQ(all[1].module, "tui");
    EXPECT_TRUE(all[1].internal);
}

// ik_module(<name> DEPS …) lines of src/CMakeLists.txt -> the ik_ modules each links.
std::map<std::string, std::set<std::string>> linked_modules()
{
    std::map<std::string, std::set<std::string>> out;
    std::string text = read(source_dir / "src" / "CMakeLists.txt");
    static const std::regex call(R"(\nik_module\((\w+)([^)]*)\))");
    static const std::regex dep(R"(\bik_(\w+))");
    for (std::sregex_iterator it(text.begin(), text.end(), call), end; it != end; ++it) {
        std::set<std::string>& deps = out[(*it)[1].str()];
        std::string args = (*it)[2].str();
        for (std::sregex_iterator d(args.begin(), args.end(), dep); d != end; ++d)
            deps.insert((*d)[1].str());
    }
    return out;
}

TEST(Layers, SourcesIncludeOnlyLowerLevelsAndLinkExactlyWhatTheyInclude)
{
    auto linked = linked_modules();
    ASSERT_TRUE(linked.contains("core")) << "no ik_module(core …) in src/CMakeLists.txt";
    std::vector<std::string> problems;
    for (const auto& entry : fs::directory_iterator(source_dir / "src")) {
        if (!entry.is_directory())
            continue;
        std::string module = entry.path().filename().string();
        std::set<std::string> seen;
        for (auto& p : check_tree(entry.path(), module, seen))
            problems.push_back(std::move(p));
        auto it = linked.find(module);
        if (it == linked.end()) {
            problems.push_back("src/" + module + " has no ik_module() line in src/CMakeLists.txt");
            continue;
        }
        for (const auto& m : seen)
            if (!it->second.contains(m))
                problems.push_back("ik_" + module + " includes " + m + " but does not link ik_" + m);
        for (const auto& m : it->second)
            if (!seen.contains(m))
                problems.push_back("ik_" + module + " links ik_" + m + " but includes nothing of it");
    }
    EXPECT_THAT(problems, IsEmpty());
}

TEST(Layers, UnitTestsIncludeOnlyWhatTheirModuleMay)
{
    std::vector<std::string> problems;
    for (const auto& entry : fs::directory_iterator(source_dir / "tests" / "unit")) {
        if (!entry.is_directory())
            continue;
        std::set<std::string> seen;
        for (auto& p : check_tree(entry.path(), entry.path().filename().string(), seen))
            problems.push_back(std::move(p));
    }
    EXPECT_THAT(problems, IsEmpty());
}

} // namespace
} // namespace ik::layers
