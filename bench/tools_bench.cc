// Tool costs: a bash round trip (spawn, capture, reap on the loop) and the
// search tools over a generated tree. Numbers go to docs/perf.md, "Tools".
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "agent/tools/registry.h"

using namespace ik;
using namespace ik::agent;
namespace fs = std::filesystem;

namespace {

ToolResult run(ToolContext& ctx, std::string_view tool, std::string_view args)
{
    std::optional<ToolResult> got;
    auto r = start_tool(ctx, tool, args, [&](ToolResult res) { got = std::move(res); });
    (void)ctx.loop.run_until([&] { return got.has_value(); });
    return std::move(*got);
}

// 2000 files of 100 lines in 40 directories, one TODO per file.
struct Tree {
    fs::path dir;
    Tree()
    {
        std::string tmpl = (fs::temp_directory_path() / "ik-bench-XXXXXX").string();
        dir = ::mkdtemp(tmpl.data());
        for (int d = 0; d < 40; ++d) {
            fs::path sub = dir / fmt::format("d{}", d);
            fs::create_directories(sub);
            for (int f = 0; f < 50; ++f) {
                std::ofstream out(sub / fmt::format("f{}.cc", f));
                for (int l = 0; l < 100; ++l)
                    out << (l == 50 ? std::string("// TODO: fix this\n")
                                    : fmt::format("int value_{} = compute(l);\n", l));
            }
        }
    }
    ~Tree() { fs::remove_all(dir); }
};

void BM_BashEchoRoundTrip(benchmark::State& state)
{
    Loop loop;
    ToolContext ctx{ loop, fs::temp_directory_path() };
    for (auto _ : state) {
        auto r = run(ctx, "bash", R"({"command": "echo hi"})");
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_BashEchoRoundTrip)->Unit(benchmark::kMillisecond);

void BM_Grep2000Files(benchmark::State& state)
{
    static Tree tree;
    Loop loop;
    ToolContext ctx{ loop, tree.dir };
    for (auto _ : state) {
        auto r = run(ctx, "grep", R"({"pattern": "TODO: fix", "glob": "*.cc"})");
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_Grep2000Files)->Unit(benchmark::kMillisecond);

void BM_Glob2000Files(benchmark::State& state)
{
    static Tree tree;
    Loop loop;
    ToolContext ctx{ loop, tree.dir };
    for (auto _ : state) {
        auto r = run(ctx, "glob", R"({"pattern": "**/f1*.cc"})");
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_Glob2000Files)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
