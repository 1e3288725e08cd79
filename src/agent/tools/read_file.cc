// read_file: a file's lines, numbered, in a range.
//
// Output is `cat -n` style (line number, tab, text) so the model can cite
// lines and build edit_file calls. Bounded three ways: files over 10 MiB are
// refused, a call returns at most `limit` lines (default 2000), and very
// long lines and very long outputs are cut with a notice saying how to read
// on. Binary files (a NUL byte in the first 8 KiB) are refused with a message.
// An image (PNG, JPEG, GIF, WebP by its first bytes, up to 20 MB) comes back
// as an image for the model to see; models without images get a note saying
// it was not sent (llm/image_fit.h).
#include "agent/images.h"
#include "agent/tools/client_files.h"
#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/files.h"

namespace ik::agent::internal {

namespace {

constexpr size_t max_file_bytes = size_t{ 10 } * 1024 * 1024;
constexpr int64_t default_limit = 2000;
constexpr int64_t max_limit = 10000;
constexpr size_t max_line_chars = 2000;
constexpr size_t max_output_bytes = size_t{ 256 } * 1024;

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "path": {"type": "string", "description": "The file to read, relative to the working directory or absolute."},
    "offset": {"type": "integer", "minimum": 1, "description": "The first line to show, counting from 1 (default 1)."},
    "limit": {"type": "integer", "minimum": 1, "maximum": 10000, "description": "How many lines to show (default 2000)."}
  },
  "required": ["path"],
  "additionalProperties": false
})";

struct Request {
    std::string path; // as given
    int64_t offset = 1;
    int64_t limit = default_limit;
};

Result<Request> parse(const json::value& value)
{
    auto args = TRY(Args::make("read_file", value));
    Request r;
    r.path = std::string(TRY(args.required_string("path")));
    r.offset = TRY(args.integer("offset", 1, 1, INT64_MAX));
    r.limit = TRY(args.integer("limit", default_limit, 1, max_limit));
    return r;
}

// The lines of `data` the request asks for, numbered.
Result<ToolResult> format(const Request& req, const std::string& data)
{
    std::string_view path = req.path;
    int64_t offset = req.offset, limit = req.limit;
    if (auto at = binary_offset(data))
        return fail(ErrorCode::invalid_argument,
            "read_file: {} looks like a binary file (NUL byte at offset {}, {}); not shown", path, *at,
            human_bytes(data.size()));
    size_t total = count_lines(data);
    if (total == 0)
        return ToolResult{ fmt::format("({} is empty)", path), false, "empty file" };
    if (static_cast<size_t>(offset) > total)
        return fail(ErrorCode::invalid_argument, "read_file: offset {} is past the end of {} ({} line{})", offset, path,
            total, total == 1 ? "" : "s");

    std::string out;
    size_t first = static_cast<size_t>(offset), line = 1, from = 0, last = first - 1;
    bool cut_lines = false, cut_output = false;
    while (from < data.size() && line < first + static_cast<size_t>(limit)) {
        size_t nl = data.find('\n', from);
        size_t to = nl == std::string::npos ? data.size() : nl;
        if (line >= first) {
            std::string_view text = std::string_view(data).substr(from, to - from);
            if (text.ends_with('\r'))
                text.remove_suffix(1);
            if (out.size() + text.size() > max_output_bytes && line > first) {
                cut_output = true;
                break;
            }
            bool long_line = text.size() > max_line_chars;
            cut_lines |= long_line;
            out += fmt::format("{:>6}\t{}{}\n", line, sanitize_utf8(text.substr(0, max_line_chars)),
                long_line ? " [line truncated]" : "");
            last = line;
        }
        ++line;
        from = to + 1;
    }
    if (last < total)
        out += fmt::format("[showing lines {}-{} of {}{}; call read_file with offset {} to read on]\n", first, last,
            total, cut_output ? ", output size limit reached" : "", last + 1);
    if (cut_lines)
        out += fmt::format("[lines longer than {} characters were cut]\n", max_line_chars);
    return ToolResult{ std::move(out), false, fmt::format("lines {}-{} of {}", first, last, total) };
}

// An image file as the model sees it; nullopt for any other file.
Result<std::optional<ToolResult>> image_result(const ToolContext& ctx, const Request& req)
{
    auto image = TRY(read_image_file("read_file", ctx, req.path));
    if (!image)
        return std::optional<ToolResult>{};
    ToolResult r{ fmt::format("image {} ({}, {})", req.path, image->media_type, llm::image_size(image->bytes)), false,
        fmt::format("image, {}", llm::image_size(image->bytes)) };
    r.images.push_back(std::move(*image));
    return std::optional<ToolResult>(std::move(r));
}

Result<ToolResult> read(ToolContext& ctx, const json::value& value)
{
    Request req = TRY(parse(value));
    if (auto image = TRY(image_result(ctx, req)))
        return std::move(*image);
    std::string data = TRY(read_text_file("read_file", ctx, req.path, max_file_bytes));
    return format(req, data);
}

ToolResult run(ToolContext& ctx, const json::value& args)
{
    return ToolResult::from(read(ctx, args));
}

// With an editor's view of the files (client_files.h): the file is checked
// and read on disk exactly as above, then its text is asked of the editor,
// which may hold unsaved changes; the disk's text stands in if it cannot say.
std::unique_ptr<ToolRun> start(ToolContext& ctx, const json::value& args, Completion done)
{
    if (!ctx.client_files || !ctx.client_files->reads())
        return deliver_later(ctx.loop, run(ctx, args), std::move(done));
    auto req = parse(args);
    if (!req)
        return deliver_later(ctx.loop, ToolResult::from(req.error()), std::move(done));
    // An image is not text the editor could hold unsaved: it comes from disk.
    auto image = image_result(ctx, *req);
    if (!image || *image)
        return deliver_later(ctx.loop, image ? std::move(**image) : ToolResult::from(image.error()), std::move(done));
    auto disk = read_text_file("read_file", ctx, req->path, max_file_bytes);
    if (!disk)
        return deliver_later(ctx.loop, ToolResult::from(disk.error()), std::move(done));
    std::filesystem::path full = resolve_path(ctx.cwd, req->path);
    return ctx.client_files->read_text(full, max_file_bytes,
        [req = std::move(*req), disk = std::move(*disk), done = std::move(done)](
            Result<std::string> text) { done(ToolResult::from(format(req, text ? *text : disk))); });
}

Result<ToolPreview> preview(ToolContext& ctx, const json::value& args)
{
    return path_preview("read_file", ctx, args);
}

} // namespace

const ToolDescriptor read_file_tool{
    .name = "read_file",
    .description = "Read a text file and return its lines numbered like `cat -n`. Use offset and limit to read a "
                   "range of a long file (default: the first 2000 lines). An image file (PNG, JPEG, GIF, WebP) is "
                   "returned as an image. Other binary files and files over 10 MiB are refused.",
    .parameters = schema,
    .kind = ToolKind::reads,
    .run = nullptr,
    .start = start,
    .preview = preview,
};

} // namespace ik::agent::internal
