// An incremental checkpoint snapshot against `git status` on the same
// generated 10k-file project, in the same run (docs/perf.md, issue 12).
//
// The project: 100 directories of 100 files (~200 bytes each), committed in
// a real git repository so `git status` has an index to compare with; the
// shadow repository has taken one snapshot already, so its index holds the
// stat data. Both are timed in wall-clock time (git runs as a child process).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>

#include "checkpoint/shadow_repo.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

int run(const std::string& command)
{
    return std::system(command.c_str());
}

struct Project {
    fs::path root;
    fs::path project;
    std::unique_ptr<ik::checkpoint::ShadowRepo> repo;

    Project()
    {
        char tmpl[] = "/tmp/ik-checkpoint-bench-XXXXXX";
        root = ::mkdtemp(tmpl);
        project = root / "project";
        for (int d = 0; d < 100; ++d) {
            fs::create_directories(project / fmt::format("dir{:03}", d));
            for (int f = 0; f < 100; ++f)
                std::ofstream(project / fmt::format("dir{:03}/file{:03}.txt", d, f))
                    << fmt::format("{:0200}\n", d * 100 + f);
        }
        run(fmt::format("cd {} && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm init",
            project.string()));
        repo = std::move(*ik::checkpoint::ShadowRepo::open(root / "data", project));
        (void)repo->snapshot("first");
    }
    ~Project() { fs::remove_all(root); }
};

Project& project()
{
    static Project p;
    return p;
}

void BM_SnapshotUnchanged10k(benchmark::State& state)
{
    Project& p = project();
    for (auto _ : state) {
        auto id = p.repo->snapshot("bench");
        if (!id)
            state.SkipWithError(id.error().to_string().c_str());
        benchmark::DoNotOptimize(id);
    }
}
BENCHMARK(BM_SnapshotUnchanged10k)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SnapshotOneFileChanged10k(benchmark::State& state)
{
    Project& p = project();
    int n = 0;
    for (auto _ : state) {
        std::ofstream(p.project / "dir050/file050.txt", std::ios::trunc) << "changed " << ++n << '\n';
        auto id = p.repo->snapshot("bench");
        if (!id)
            state.SkipWithError(id.error().to_string().c_str());
    }
}
BENCHMARK(BM_SnapshotOneFileChanged10k)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GitStatus10k(benchmark::State& state)
{
    Project& p = project();
    std::string dir = p.project.string();
    for (auto _ : state) {
        const char* argv[] = { "git", "-C", dir.c_str(), "status", "--porcelain", nullptr };
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        pid_t pid = 0;
        if (posix_spawnp(&pid, "git", &actions, nullptr, const_cast<char**>(argv), environ) != 0)
            state.SkipWithError("git did not start");
        posix_spawn_file_actions_destroy(&actions);
        int status = 0;
        ::waitpid(pid, &status, 0);
    }
}
BENCHMARK(BM_GitStatus10k)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
