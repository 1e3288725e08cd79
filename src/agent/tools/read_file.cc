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

Result<ToolResult> read(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(Args::make("read_file", value));
    auto path = TRY(args.required_string("path"));
    int64_t offset = TRY(args.integer("offset", 1, 1, INT64_MAX));
    int64_t limit = TRY(args.integer("limit", default_limit, 1, max_limit));
    if (auto image = TRY(read_image_file("read_file", ctx, path))) {
        ToolResult r{ fmt::format("image {} ({}, {})", path, image->media_type, llm::image_size(image->bytes)), false,
            fmt::format("image, {}", llm::image_size(image->bytes)) };
        r.images.push_back(std::move(*image));
        return r;
    }
    std::string data = TRY(read_text_file("read_file", ctx, path, max_file_bytes));
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

ToolResult run(ToolContext& ctx, const json::value& args)
{
    return ToolResult::from(read(ctx, args));
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
    .run = run,
    .start = nullptr,
    .preview = preview,
};

} // namespace ik::agent::internal
