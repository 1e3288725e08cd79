// edit_file: exact string replacement in one file.
//
// The model names the text to replace verbatim; it must occur exactly once
// (unless replace_all), so an edit can never land in the wrong place. When it
// does not, the error says how many times it matched and on which lines, or,
// for no match, where the first line of the text does occur — the two
// mistakes models make (too little context, wrong whitespace).
#include <vector>

#include "agent/tools/client_edit.h"
#include "agent/tools/client_files.h"
#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/diff.h"
#include "agent/tools/internal/files.h"

namespace ik::agent::internal {

namespace {

constexpr size_t max_file_bytes = size_t{ 10 } * 1024 * 1024;
constexpr size_t max_listed = 10;

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "path": {"type": "string", "description": "The file to edit, relative to the working directory or absolute."},
    "old_string": {"type": "string", "description": "The exact text to replace, including whitespace and indentation. It must occur exactly once unless replace_all is true."},
    "new_string": {"type": "string", "description": "The text to put in its place."},
    "replace_all": {"type": "boolean", "description": "Replace every occurrence instead of requiring exactly one (default false)."}
  },
  "required": ["path", "old_string", "new_string"],
  "additionalProperties": false
})";

struct EditArgs {
    std::string path; // as given
    std::string old_string, new_string;
    bool replace_all = false;
};

struct EditPlan {
    std::string path; // as given
    std::filesystem::path full;
    std::string before;
    std::string after;
    size_t count = 0;
};

size_t line_at(std::string_view text, size_t offset)
{
    size_t line = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i)
        line += text[i] == '\n';
    return line;
}

std::string line_list(std::string_view text, const std::vector<size_t>& offsets)
{
    std::string s;
    for (size_t i = 0; i < offsets.size() && i < max_listed; ++i)
        s += fmt::format("{}{}", i ? ", " : "", line_at(text, offsets[i]));
    if (offsets.size() > max_listed)
        s += ", ...";
    return s;
}

std::vector<size_t> find_all(std::string_view text, std::string_view needle)
{
    std::vector<size_t> at;
    for (size_t p = text.find(needle); p != std::string_view::npos; p = text.find(needle, p + needle.size()))
        at.push_back(p);
    return at;
}

std::string no_match_hint(std::string_view text, std::string_view old_string)
{
    // The first non-blank line, trimmed: where does it occur?
    size_t from = 0;
    std::string_view first;
    while (from < old_string.size()) {
        size_t nl = old_string.find('\n', from);
        std::string_view line
            = old_string.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from);
        auto b = line.find_first_not_of(" \t\r"), e = line.find_last_not_of(" \t\r");
        if (b != std::string_view::npos) {
            first = line.substr(b, e - b + 1);
            break;
        }
        if (nl == std::string_view::npos)
            break;
        from = nl + 1;
    }
    if (!first.empty() && first.size() < old_string.size()) {
        auto at = find_all(text, first);
        if (!at.empty())
            return fmt::format(" Its first line occurs at line {}: the text after it differs (check whitespace and "
                               "indentation), so read that part of the file again and copy it exactly.",
                line_list(text, at));
    }
    return " Read the file again and copy the text exactly, including whitespace and indentation.";
}

Result<EditArgs> parse(const json::value& value)
{
    auto args = TRY(Args::make("edit_file", value));
    EditArgs a;
    a.path = std::string(TRY(args.required_string("path")));
    a.old_string = std::string(TRY(args.required_string("old_string")));
    a.new_string = std::string(TRY(args.required_string("new_string")));
    a.replace_all = TRY(args.boolean("replace_all", false));
    if (a.old_string.empty())
        return fail(ErrorCode::invalid_argument,
            "edit_file: 'old_string' is empty; use write_file to create a file or replace all of it");
    if (a.old_string == a.new_string)
        return fail(
            ErrorCode::invalid_argument, "edit_file: old_string and new_string are identical; nothing to change");
    return a;
}

// The edit of `before`, the file's text (from disk, or an editor's buffer).
Result<EditPlan> plan_text(const EditArgs& a, std::string before)
{
    EditPlan p;
    p.path = a.path;
    p.before = std::move(before);
    if (binary_offset(p.before))
        return fail(ErrorCode::invalid_argument, "edit_file: {} looks like a binary file; not edited", p.path);
    auto at = find_all(p.before, a.old_string);
    if (at.empty())
        return fail(ErrorCode::invalid_argument, "edit_file: old_string was not found in {}.{}", p.path,
            no_match_hint(p.before, a.old_string));
    if (at.size() > 1 && !a.replace_all)
        return fail(ErrorCode::invalid_argument,
            "edit_file: old_string matches {} times in {} (at lines {}); include more surrounding lines to "
            "make it unique, or set replace_all to true to replace every occurrence",
            at.size(), p.path, line_list(p.before, at));
    p.count = at.size();
    size_t from = 0;
    for (size_t pos : at) {
        p.after.append(p.before, from, pos - from);
        p.after.append(a.new_string);
        from = pos + a.old_string.size();
    }
    p.after.append(p.before, from);
    return p;
}

Result<EditPlan> plan(ToolContext& ctx, const json::value& value)
{
    EditArgs a = TRY(parse(value));
    std::string before = TRY(read_text_file("edit_file", ctx, a.path, max_file_bytes));
    EditPlan p = TRY(plan_text(a, std::move(before)));
    p.full = resolve_path(ctx.cwd, a.path);
    return p;
}

ToolResult edited(const EditPlan& p)
{
    DiffStats stats;
    std::string diff = unified_diff(p.path, p.before, p.after, &stats);
    std::string summary = fmt::format("+{} -{} lines", stats.added, stats.removed);
    return ToolResult{ fmt::format("edited {}: replaced {} occurrence{} ({})\n{}", p.path, p.count,
                           p.count == 1 ? "" : "s", summary, diff),
        false, summary };
}

Result<ToolResult> edit(ToolContext& ctx, const json::value& value)
{
    auto p = TRY(plan(ctx, value));
    TRY(write_file("edit_file", ctx, p.full, p.after));
    return edited(p);
}

ToolResult run(ToolContext& ctx, const json::value& args)
{
    return ToolResult::from(edit(ctx, args));
}

// With an editor's buffers (client_files.h): the file is checked and read on
// disk as above, then the edit is made on the editor's text (client_edit.h).
std::unique_ptr<ToolRun> start(ToolContext& ctx, const json::value& value, Completion done)
{
    if (!ctx.client_files)
        return deliver_later(ctx.loop, run(ctx, value), std::move(done));
    auto a = parse(value);
    if (!a)
        return deliver_later(ctx.loop, ToolResult::from(a.error()), std::move(done));
    auto disk = read_text_file("edit_file", ctx, a->path, max_file_bytes);
    if (!disk)
        return deliver_later(ctx.loop, ToolResult::from(disk.error()), std::move(done));
    std::filesystem::path full = resolve_path(ctx.cwd, a->path);
    auto make = [a = std::move(*a)](std::string_view before) -> Result<ClientEdit> {
        EditPlan p = TRY(plan_text(a, std::string(before)));
        ToolResult result = edited(p);
        return ClientEdit{ std::move(p.after), std::move(result) };
    };
    return edit_through_client(
        ctx, "edit_file", std::move(full), std::move(*disk), true, max_file_bytes, std::move(make), std::move(done));
}

Result<ToolPreview> preview(ToolContext& ctx, const json::value& value)
{
    auto p = plan(ctx, value);
    // The editor's buffer may hold the text the disk lacks: approval judges
    // the path, and the run finds out.
    if (!p && ctx.client_files && ctx.client_files->reads())
        return path_preview("edit_file", ctx, value);
    TRY(p);
    return ToolPreview{ .command = {},
        .path = p->path,
        .diff = unified_diff(p->path, p->before, p->after),
        .description = {},
        .full_path = p->full };
}

} // namespace

const ToolDescriptor edit_file_tool{
    .name = "edit_file",
    .description = "Replace exact text in a file. old_string must match the file's text exactly (whitespace and "
                   "indentation included) and occur exactly once, unless replace_all is true; include enough "
                   "surrounding lines to make it unique. Read the file first.",
    .parameters = schema,
    .kind = ToolKind::edits,
    .run = nullptr,
    .start = start,
    .preview = preview,
};

} // namespace ik::agent::internal
