// glob: files whose path matches a pattern, under a directory.
//
// Patterns are matched against paths relative to the search directory:
// `*.cc` matches only at the top, `**/*.cc` at any depth, `src/{a,b}/*.h`
// alternates. `.git/` is never searched and .gitignore'd files are skipped
// (internal/walk.h). Results are sorted by name (or newest first), capped.
// The walk runs on a worker thread (internal/off_loop.h) so a big tree does
// not stall the REPL; it stops early when the call is cancelled.
#include <algorithm>
#include <vector>

#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/confined.h"
#include "agent/tools/internal/files.h"
#include "agent/tools/internal/off_loop.h"
#include "agent/tools/internal/walk.h"

namespace ik::agent::internal {

namespace {

namespace fs = std::filesystem;

constexpr size_t max_results = 500;

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "pattern": {"type": "string", "description": "A glob matched against paths relative to 'path': * and ? within one path component, ** across directories, {a,b} alternatives. Example: **/*.cc"},
    "path": {"type": "string", "description": "The directory to search (default: the working directory)."},
    "sort": {"type": "string", "enum": ["name", "mtime"], "description": "name (default) or mtime (most recently modified first)."}
  },
  "required": ["pattern"],
  "additionalProperties": false
})";

struct Hit {
    std::string path;
    fs::file_time_type mtime;
};

// The arguments, copied out of the call's arena for the worker thread.
struct GlobArgs {
    std::string pattern;
    std::string raw; // the directory as the model gave it
    bool by_mtime = false;
};

Result<GlobArgs> parse(const json::value& value)
{
    auto args = TRY(Args::make("glob", value));
    auto pattern = TRY(args.required_string("pattern"));
    if (pattern.empty())
        return fail(ErrorCode::invalid_argument, "glob: 'pattern' is empty");
    std::string_view raw = TRY(args.optional_string("path")).value_or(".");
    std::string_view sort = TRY(args.optional_string("sort")).value_or("name");
    if (sort != "name" && sort != "mtime")
        return fail(ErrorCode::invalid_argument, R"(glob: sort must be "name" or "mtime", got "{}")", sort);
    return GlobArgs{ std::string(pattern), std::string(raw), sort == "mtime" };
}

Result<ToolResult> search(const ToolContext& ctx, const GlobArgs& args, const std::stop_token& stop)
{
    std::string_view pattern = args.pattern;
    std::string_view raw = args.raw;
    fs::path base = TRY(confined_directory(ctx, "glob", raw, resolve_path(ctx.cwd, raw)));
    // A leading "./" is how people write relative patterns; paths have none.
    while (pattern.starts_with("./"))
        pattern.remove_prefix(2);

    std::vector<Hit> hits;
    auto stats = walk(base, [&](const WalkEntry& e) {
        if (!e.is_dir && glob_match(pattern, e.path)) {
            std::error_code mec;
            hits.push_back(Hit{ display_path(ctx.cwd, e.full), fs::last_write_time(e.full, mec) });
        }
        return !stop.stop_requested();
    });
    if (args.by_mtime)
        std::stable_sort(hits.begin(), hits.end(), [](auto& a, auto& b) { return a.mtime > b.mtime; });
    else
        std::sort(hits.begin(), hits.end(), [](auto& a, auto& b) { return a.path < b.path; });
    std::string out;
    for (size_t i = 0; i < hits.size() && i < max_results; ++i)
        out += sanitize_utf8(hits[i].path) + "\n";
    if (hits.empty())
        out = fmt::format("no files match {} under {}\n", pattern, raw);
    if (hits.size() > max_results)
        out += fmt::format("[{} more matches not shown; narrow the pattern]\n", hits.size() - max_results);
    if (stats.truncated)
        out += fmt::format("[the search stopped after {} entries; search a smaller directory]\n", stats.visited - 1);
    return ToolResult{ std::move(out), false, fmt::format("{} file{}", hits.size(), hits.size() == 1 ? "" : "s") };
}

std::unique_ptr<ToolRun> start(ToolContext& ctx, const json::value& value, Completion done)
{
    return start_off_loop(ctx, "glob", parse(value), search, std::move(done));
}

} // namespace

const ToolDescriptor glob_tool{
    .name = "glob",
    .description = "Find files by path pattern, e.g. **/*.cc or src/**/test_*.py. Patterns match paths relative to "
                   "'path' (default: the working directory); * does not cross '/', ** does. Skips .git/ and "
                   ".gitignore'd files. Sorted by name (or sort=mtime, newest first); at most 500 results.",
    .parameters = schema,
    .kind = ToolKind::reads,
    .run = nullptr,
    .start = start,
    .preview = [](ToolContext& ctx, const json::value& args) { return path_preview("glob", ctx, args); },
};

} // namespace ik::agent::internal
