// write_file: creates or replaces a whole file, creating parent directories.
#include "agent/tools/client_edit.h"
#include "agent/tools/client_files.h"
#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/diff.h"
#include "agent/tools/internal/files.h"

namespace ik::agent::internal {

namespace {

constexpr size_t max_diff_source = size_t{ 10 } * 1024 * 1024;

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "path": {"type": "string", "description": "The file to write, relative to the working directory or absolute."},
    "content": {"type": "string", "description": "The complete new content of the file."}
  },
  "required": ["path", "content"],
  "additionalProperties": false
})";

struct WriteArgs {
    std::string_view path;
    std::string_view content;
};

Result<WriteArgs> parse(const json::value& value)
{
    auto args = TRY(Args::make("write_file", value));
    WriteArgs w;
    w.path = TRY(args.required_string("path"));
    if (w.path.empty())
        return fail(ErrorCode::invalid_argument, "write_file: 'path' is empty");
    w.content = TRY(args.required_string("content"));
    return w;
}

// The result of writing `args`, decided before the write (what was there).
Result<ToolResult> written(const std::filesystem::path& path, const WriteArgs& args)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return fail(ErrorCode::invalid_argument, "write_file: {} is a directory", args.path);
    bool existed = std::filesystem::exists(path, ec);
    size_t old_size = existed ? std::filesystem::file_size(path, ec) : 0;
    size_t lines = count_lines(args.content);
    std::string what = existed ? fmt::format("replaced {} (was {})", args.path, human_bytes(old_size))
                               : fmt::format("created {}", args.path);
    return ToolResult{
        fmt::format("{}: wrote {} ({} line{})", what, human_bytes(args.content.size()), lines, lines == 1 ? "" : "s"),
        false, fmt::format("{} {}, {} lines", existed ? "replaced" : "created", human_bytes(args.content.size()), lines)
    };
}

Result<ToolResult> write(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(parse(value));
    auto path = resolve_path(ctx.cwd, args.path);
    ToolResult result = TRY(written(path, args));
    TRY(write_file("write_file", ctx, path, args.content));
    return result;
}

ToolResult run(ToolContext& ctx, const json::value& args)
{
    return ToolResult::from(write(ctx, args));
}

// An editor that takes writes (client_files.h) is handed the new text after
// ik has written it, so its buffer shows it (client_edit.h). The whole
// content is given: the buffer's old text is not needed.
std::unique_ptr<ToolRun> start(ToolContext& ctx, const json::value& value, Completion done)
{
    if (!ctx.client_files || !ctx.client_files->writes())
        return deliver_later(ctx.loop, run(ctx, value), std::move(done));
    auto args = parse(value);
    if (!args)
        return deliver_later(ctx.loop, ToolResult::from(args.error()), std::move(done));
    auto path = resolve_path(ctx.cwd, args->path);
    auto result = written(path, *args);
    if (!result)
        return deliver_later(ctx.loop, ToolResult::from(result.error()), std::move(done));
    auto make
        = [content = std::string(args->content), result = std::move(*result)](std::string_view) -> Result<ClientEdit> {
        return ClientEdit{ content, result };
    };
    return edit_through_client(ctx, "write_file", std::move(path), {}, false, 0, std::move(make), std::move(done));
}

Result<ToolPreview> preview(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(parse(value));
    std::string before;
    auto old = read_text_file("write_file", ctx, args.path, max_diff_source);
    if (old && !binary_offset(*old))
        before = std::move(*old);
    return ToolPreview{ .command = {},
        .path = std::string(args.path),
        .diff = unified_diff(args.path, before, args.content),
        .description = {},
        .full_path = resolve_path(ctx.cwd, args.path) };
}

} // namespace

const ToolDescriptor write_file_tool{
    .name = "write_file",
    .description = "Create a file, or replace its whole content, creating missing parent directories. Use "
                   "edit_file to change part of an existing file.",
    .parameters = schema,
    .kind = ToolKind::edits,
    .run = nullptr,
    .start = start,
    .preview = preview,
};

} // namespace ik::agent::internal
