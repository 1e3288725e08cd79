// list_dir: one directory's entries, sorted by name, directories marked with
// a trailing '/', symlinks with their target, files with their size. Capped
// at 1000 entries; not recursive (glob is).
#include <algorithm>
#include <vector>

#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/confined.h"
#include "agent/tools/internal/files.h"

namespace ik::agent::internal {

namespace {

namespace fs = std::filesystem;

constexpr size_t max_entries = 1000;

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "path": {"type": "string", "description": "The directory to list, relative to the working directory or absolute (default: the working directory)."}
  },
  "additionalProperties": false
})";

Result<ToolResult> list(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(Args::make("list_dir", value));
    std::string_view raw = TRY(args.optional_string("path")).value_or(".");
    auto dir = confined_directory(ctx, "list_dir", raw, resolve_path(ctx.cwd, raw));
    if (!dir && dir.error().code() == ErrorCode::invalid_argument)
        return fail(ErrorCode::invalid_argument, "list_dir: {} is a file, not a directory (use read_file)", raw);
    if (!dir)
        return fail(dir.error());
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(*dir, ec), end; !ec && it != end; it.increment(ec))
        entries.push_back(*it);
    if (ec)
        return fail(ErrorCode::io, "list_dir: cannot list {}: {}", raw, ec.message());
    std::sort(
        entries.begin(), entries.end(), [](auto& a, auto& b) { return a.path().filename() < b.path().filename(); });
    std::string out;
    size_t dirs = 0, files = 0;
    for (size_t i = 0; i < entries.size() && i < max_entries; ++i) {
        auto& e = entries[i];
        std::string name = sanitize_utf8(e.path().filename().string());
        std::error_code eec;
        if (e.is_symlink(eec)) {
            out += fmt::format("{}@ -> {}\n", name, sanitize_utf8(fs::read_symlink(e.path(), eec).string()));
            ++files;
        } else if (e.is_directory(eec)) {
            out += fmt::format("{}/\n", name);
            ++dirs;
        } else {
            auto size = e.is_regular_file(eec) ? e.file_size(eec) : 0;
            out += fmt::format("{}  ({})\n", name, human_bytes(size));
            ++files;
        }
    }
    if (entries.empty())
        out = fmt::format("({} is empty)\n", raw);
    if (entries.size() > max_entries)
        out += fmt::format(
            "[{} more entries not shown; use glob with a pattern to narrow down]\n", entries.size() - max_entries);
    return ToolResult{ std::move(out), false, fmt::format("{} dirs, {} files", dirs, files) };
}

ToolResult run(ToolContext& ctx, const json::value& args)
{
    return ToolResult::from(list(ctx, args));
}

} // namespace

const ToolDescriptor list_dir_tool{
    .name = "list_dir",
    .description = "List a directory's entries sorted by name: directories end in '/', symlinks show their "
                   "target, files show their size. Not recursive; at most 1000 entries.",
    .parameters = schema,
    .kind = ToolKind::reads,
    .run = run,
    .start = nullptr,
    .preview = [](ToolContext& ctx, const json::value& args) { return path_preview("list_dir", ctx, args); },
};

} // namespace ik::agent::internal
