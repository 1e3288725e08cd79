// grep: lines matching a PCRE2 regular expression, as `file:line:text`.
//
// Searches one file or a directory tree (skipping .git/, .gitignore'd files,
// binary files and files over 10 MiB), optionally only files matching a glob.
// The regex is compiled once with UTF and invalid-UTF tolerance, JIT when
// available, and run line by line. Output is capped by matches and bytes.
// The search runs on a worker thread (internal/off_loop.h): a big tree must
// not stall the REPL. It stops between files when the call is cancelled.
#define PCRE2_CODE_UNIT_WIDTH 8
#if __has_include(<valgrind/valgrind.h>)
#include <fcntl.h>
#include <valgrind/valgrind.h>
#endif
#include <memory>
#include <optional>
#include <vector>

#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/confined.h"
#include "agent/tools/internal/files.h"
#include "agent/tools/internal/off_loop.h"
#include "agent/tools/internal/pcre2_library.h"
#include "agent/tools/internal/walk.h"

namespace {

bool running_on_valgrind()
{
#if __has_include(<valgrind/valgrind.h>)
    return RUNNING_ON_VALGRIND != 0;
#else
    return false;
#endif
}

} // namespace

namespace ik::agent::internal {

namespace {

namespace fs = std::filesystem;

constexpr size_t max_matches = 250;
constexpr size_t max_output_bytes = 30'000;
constexpr size_t max_line_chars = 300;
constexpr size_t max_file_bytes = size_t{ 10 } * 1024 * 1024;

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "pattern": {"type": "string", "description": "A Perl-compatible regular expression (PCRE2), matched against each line."},
    "path": {"type": "string", "description": "A file or directory to search (default: the working directory)."},
    "glob": {"type": "string", "description": "Only search files matching this glob, e.g. *.cc (matched against the file name) or src/**/*.h (matched against the path)."},
    "case_insensitive": {"type": "boolean", "description": "Ignore case (default false)."}
  },
  "required": ["pattern"],
  "additionalProperties": false
})";

struct CodeFree {
    void operator()(pcre2_code* c) const { pcre2().api().pcre2_code_free(c); }
};
struct MatchDataFree {
    void operator()(pcre2_match_data* m) const { pcre2().api().pcre2_match_data_free(m); }
};

struct Search {
    const ToolContext& ctx;
    std::unique_ptr<pcre2_code, CodeFree> code;
    std::unique_ptr<pcre2_match_data, MatchDataFree> match;
    std::string out;
    size_t matches = 0;
    size_t files_with_matches = 0;
    size_t skipped_binary = 0;
    bool full = false;

    void file(const fs::path& full_path)
    {
        std::error_code ec;
        auto size = fs::file_size(full_path, ec);
        if (ec || size > max_file_bytes)
            return;
        auto data = read_text_file("grep", ctx, full_path.string(), max_file_bytes);
        if (!data)
            return;
        if (binary_offset(*data)) {
            ++skipped_binary;
            return;
        }
        std::string shown = display_path(ctx.cwd, full_path);
        std::string_view text = *data;
        size_t line = 1, from = 0;
        bool any = false;
        while (from < text.size() && !full) {
            size_t nl = text.find('\n', from);
            size_t to = nl == std::string_view::npos ? text.size() : nl;
            std::string_view l = text.substr(from, to - from);
            int rc = pcre2().api().pcre2_match(
                code.get(), reinterpret_cast<PCRE2_SPTR>(l.data()), l.size(), 0, 0, match.get(), nullptr);
            if (rc >= 0) {
                any = true;
                if (l.ends_with('\r'))
                    l.remove_suffix(1);
                bool cut = l.size() > max_line_chars;
                out += fmt::format(
                    "{}:{}:{}{}\n", shown, line, sanitize_utf8(l.substr(0, max_line_chars)), cut ? " [...]" : "");
                full = ++matches >= max_matches || out.size() >= max_output_bytes;
            }
            ++line;
            from = to + 1;
        }
        files_with_matches += any;
    }
};

bool glob_filter(std::string_view glob, std::string_view rel)
{
    if (glob.find('/') != std::string_view::npos)
        return glob_match(glob, rel);
    auto slash = rel.rfind('/');
    return glob_match(glob, slash == std::string_view::npos ? rel : rel.substr(slash + 1));
}

// The arguments, copied out of the call's arena for the worker thread.
struct GrepArgs {
    std::string pattern;
    std::string raw; // the path as the model gave it
    std::optional<std::string> glob;
    bool caseless = false;
};

Result<GrepArgs> parse(const json::value& value)
{
    auto args = TRY(Args::make("grep", value));
    auto pattern = TRY(args.required_string("pattern"));
    if (pattern.empty())
        return fail(ErrorCode::invalid_argument, "grep: 'pattern' is empty");
    GrepArgs out{ std::string(pattern), std::string(TRY(args.optional_string("path")).value_or(".")), {},
        TRY(args.boolean("case_insensitive", false)) };
    if (auto glob = TRY(args.optional_string("glob")))
        out.glob = std::string(*glob);
    return out;
}

Result<ToolResult> grep(const ToolContext& ctx, const GrepArgs& a, const std::stop_token& stop)
{
    std::string_view pattern = a.pattern;
    std::string_view raw = a.raw;
    const auto& glob = a.glob;
    bool caseless = a.caseless;

    TRY(pcre2().ensure());
    const Pcre2Api& pcre = pcre2().api();
    int error = 0;
    PCRE2_SIZE error_offset = 0;
    uint32_t flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (caseless ? PCRE2_CASELESS : 0);
    Search s{ ctx, {}, {}, {}, 0, 0, 0, false };
    s.code.reset(pcre.pcre2_compile(
        reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), flags, &error, &error_offset, nullptr));
    if (!s.code) {
        PCRE2_UCHAR message[256];
        pcre.pcre2_get_error_message(error, message, sizeof message);
        return fail(ErrorCode::invalid_argument, "grep: invalid regular expression at offset {}: {}", error_offset,
            reinterpret_cast<const char*>(message));
    }
    // Interpreted when JIT is unavailable — and under valgrind, which cannot
    // see through JIT-generated code and reports it as uninitialised reads.
    if (!running_on_valgrind())
        (void)pcre.pcre2_jit_compile(s.code.get(), PCRE2_JIT_COMPLETE);
    s.match.reset(pcre.pcre2_match_data_create_from_pattern(s.code.get(), nullptr));

    fs::path base = resolve_path(ctx.cwd, raw);
    std::error_code ec;
    auto status = fs::status(base, ec);
    if (!fs::exists(status))
        return fail(
            ErrorCode::not_found, "grep: no such file or directory: {} (working directory: {})", raw, ctx.cwd.string());
    if (fs::is_directory(status)) {
        // Each file is opened confined too (read_text_file), so a link in
        // the tree cannot lead a search outside.
        base = TRY(confined_directory(ctx, "grep", raw, base));
        walk(base, [&](const WalkEntry& e) {
            if (!e.is_dir && (!glob || glob_filter(*glob, e.path)))
                s.file(e.full);
            return !s.full && !stop.stop_requested();
        });
    } else {
        // A single file that cannot be opened says why (s.file skips quietly).
        if (auto probe = open_confined(ctx, "grep", base, O_RDONLY | O_NONBLOCK); !probe)
            return fail(probe.error());
        s.file(base);
    }
    if (s.matches == 0)
        s.out = fmt::format("no matches for /{}/ in {}\n", pattern, raw);
    if (s.full)
        s.out += fmt::format("[stopped after {} matches; narrow the pattern, path or glob]\n", s.matches);
    return ToolResult{ std::move(s.out), false,
        fmt::format("{} match{} in {} file{}", s.matches, s.matches == 1 ? "" : "es", s.files_with_matches,
            s.files_with_matches == 1 ? "" : "s") };
}

std::unique_ptr<ToolRun> start(ToolContext& ctx, const json::value& value, Completion done)
{
    return start_off_loop(ctx, "grep", parse(value), grep, std::move(done));
}

} // namespace

const ToolDescriptor grep_tool{
    .name = "grep",
    .description = "Search file contents with a Perl-compatible regular expression; prints file:line:text for "
                   "each matching line. Searches 'path' (a file or directory, default the working directory), "
                   "skipping .git/, .gitignore'd and binary files; 'glob' limits which files are searched. At "
                   "most 250 matches.",
    .parameters = schema,
    .kind = ToolKind::reads,
    .run = nullptr,
    .start = start,
    .preview = [](ToolContext& ctx, const json::value& args) { return path_preview("grep", ctx, args); },
};

} // namespace ik::agent::internal
