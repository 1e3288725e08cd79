// process_output, process_input, process_kill: the model's handles on the
// background processes `bash` started with `background: true`
// (agent/background_jobs.h).
//
// A job's output is terminal output (it runs on a pty): the model gets it
// with escape sequences removed and "\r\n" as "\n", from a byte offset it
// passes back (`since`, the `next` of the previous read), so polling a dev
// server shows only what is new. process_output and process_kill only touch
// what ik itself started and run without asking; process_input types into a
// running program and is approved like a command.
#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/files.h"

namespace ik::agent::internal {

namespace {

// Drops CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \) and two-byte escapes;
// keeps text, newlines and tabs; "\r\n" becomes "\n" and a lone "\r" too.
std::string plain_terminal_text(std::string_view in)
{
    constexpr char esc = 27; // terminal output from the job, read here, never written
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == esc && i + 1 < in.size()) {
            char k = in[++i];
            if (k == '[') {
                while (i + 1 < in.size() && !(in[i + 1] >= 0x40 && in[i + 1] <= 0x7e))
                    ++i;
                ++i; // the final byte
            } else if (k == ']') {
                while (i + 1 < in.size() && in[i + 1] != '\a' && !(in[i + 1] == esc))
                    ++i;
                ++i; // BEL, or ESC of ESC backslash
                if (i < in.size() && in[i] == esc)
                    ++i;
            }
            continue;
        }
        if (c == '\r') {
            if (i + 1 < in.size() && in[i + 1] == '\n')
                continue;
            c = '\n';
        }
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')
            continue;
        out += c;
    }
    return out;
}

std::string state_of(const BackgroundJobs::Job& job)
{
    if (job.running)
        return "running";
    if (job.term_signal)
        return fmt::format("ended by {}", signal_name(job.term_signal));
    return fmt::format("exited with code {}", job.exit_code);
}

constexpr std::string_view output_schema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "string", "description": "The id bash returned (\"bg1\")."},
    "since": {"type": "integer", "minimum": 0, "description": "Output offset to read from: the `next` of the previous read; 0 (default) for everything still held."}
  },
  "required": ["id"],
  "additionalProperties": false
})";

Result<ToolResult> read_output(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(Args::make("process_output", value));
    std::string_view id = TRY(args.required_string("id"));
    auto since = static_cast<size_t>(TRY(args.integer("since", 0, 0, INT64_MAX)));
    if (!ctx.jobs)
        return fail(ErrorCode::not_found, "process_output: no background processes here");
    auto out = TRY_CONTEXT(ctx.jobs->output(id, since), "process_output");
    const BackgroundJobs::Job& job = *ctx.jobs->find(id);
    ToolResult r;
    r.content = fmt::format("{} ({}): {}\n", job.id, state_of(job), job.command);
    if (out.dropped > 0)
        r.content += fmt::format("[{} older bytes were dropped: ik keeps the last {}]\n", out.dropped,
            human_bytes(BackgroundJobs::ring_bytes));
    std::string text = sanitize_utf8(plain_terminal_text(out.text));
    r.content += text.empty() ? "(no new output)\n" : text;
    if (!r.content.ends_with('\n'))
        r.content += '\n';
    r.content += fmt::format("[next: {}]", out.to);
    r.summary = fmt::format("{}, {}", job.id, state_of(job));
    return r;
}

constexpr std::string_view input_schema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "string", "description": "The id bash returned (\"bg1\")."},
    "text": {"type": "string", "description": "What to type; end it with \n to press Enter."}
  },
  "required": ["id", "text"],
  "additionalProperties": false
})";

Result<ToolResult> write_input(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(Args::make("process_input", value));
    std::string_view id = TRY(args.required_string("id"));
    std::string_view text = TRY(args.required_string("text"));
    if (!ctx.jobs)
        return fail(ErrorCode::not_found, "process_input: no background processes here");
    TRY_CONTEXT(ctx.jobs->input(id, text), "process_input");
    ToolResult r;
    r.content = fmt::format("wrote {} bytes to {}; read the answer with process_output", text.size(), id);
    r.summary = fmt::format("{} bytes to {}", text.size(), id);
    return r;
}

Result<ToolPreview> preview_input(ToolContext&, const json::value& value)
{
    auto args = TRY(Args::make("process_input", value));
    std::string_view id = TRY(args.required_string("id"));
    std::string_view text = TRY(args.required_string("text"));
    return ToolPreview{ .command = fmt::format("type into {}: {}", id, text),
        .path = {},
        .diff = {},
        .description = {},
        .full_path = {},
        .unsandboxed = false,
        .justification = {} };
}

// process_output and process_kill touch only ik's own jobs: no path, no
// command; the preview names the job for the transcript.
Result<ToolPreview> preview_job(std::string_view tool, const json::value& value)
{
    auto args = TRY(Args::make(tool, value));
    std::string_view id = TRY(args.required_string("id"));
    return ToolPreview{ .command = {},
        .path = {},
        .diff = {},
        .description = fmt::format("{} {}", tool, id),
        .full_path = {},
        .unsandboxed = false,
        .justification = {} };
}

constexpr std::string_view kill_schema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "string", "description": "The id bash returned (\"bg1\")."}
  },
  "required": ["id"],
  "additionalProperties": false
})";

Result<ToolResult> kill_job(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(Args::make("process_kill", value));
    std::string_view id = TRY(args.required_string("id"));
    if (!ctx.jobs)
        return fail(ErrorCode::not_found, "process_kill: no background processes here");
    const BackgroundJobs::Job* job = ctx.jobs->find(id);
    bool was_running = job && job->running;
    TRY_CONTEXT(ctx.jobs->kill(id), "process_kill");
    ToolResult r;
    r.content = was_running ? fmt::format("{} is being stopped (SIGTERM to its process group, SIGKILL after 2 s)", id)
                            : fmt::format("{} had already {}", id, state_of(*job));
    r.summary = fmt::format("stopped {}", id);
    return r;
}

} // namespace

const ToolDescriptor process_output_tool{
    .name = "process_output",
    .description = "Read the output of a background process started with bash background true: its state "
                   "(running, or how it ended) and the output since `since`. Returns `next`, the offset to pass "
                   "as `since` to read only what is new. The last 64 KiB are kept.",
    .parameters = output_schema,
    .kind = ToolKind::reads,
    .run = [](ToolContext& ctx, const json::value& args) { return ToolResult::from(read_output(ctx, args)); },
    .start = nullptr,
    .preview = [](ToolContext&, const json::value& args) { return preview_job("process_output", args); },
};

const ToolDescriptor process_input_tool{
    .name = "process_input",
    .description = "Type text into a running background process (its terminal input); end with \\n to press Enter.",
    .parameters = input_schema,
    .kind = ToolKind::runs,
    .run = [](ToolContext& ctx, const json::value& args) { return ToolResult::from(write_input(ctx, args)); },
    .start = nullptr,
    .preview = preview_input,
};

const ToolDescriptor process_kill_tool{
    .name = "process_kill",
    .description = "Stop a background process and everything it started. Its last output stays readable.",
    .parameters = kill_schema,
    .kind = ToolKind::reads,
    .run = [](ToolContext& ctx, const json::value& args) { return ToolResult::from(kill_job(ctx, args)); },
    .start = nullptr,
    .preview = [](ToolContext&, const json::value& args) { return preview_job("process_kill", args); },
};

} // namespace ik::agent::internal
