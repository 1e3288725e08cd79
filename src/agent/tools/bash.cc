// bash: runs a shell command in the session's directory, on the loop.
//
// The command runs as `/bin/bash -c` in its own process group
// (core/process.h), so a timeout or Ctrl-C kills everything it started, and
// inside the session's OS sandbox (sandbox/sandbox.h) with only the allowed
// environment variables (sandbox/environment.h). `sandbox: false` asks for a
// run outside the sandbox; the approval policy always puts that to the user.
// stdout and stderr are captured apart, each up to output_cap bytes; the model
// sees stdout, then stderr under a label, then a line with the exit status, and
// a notice saying how much was dropped when a stream overflowed.
#include <memory>

#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/internal/files.h"
#include "core/process.h"
#include "sandbox/environment.h"
#include "sandbox/sandbox.h"

extern char** environ;

namespace ik::agent::internal {

namespace {

using namespace std::chrono_literals;

constexpr int64_t default_timeout_ms = 120'000;
constexpr int64_t max_timeout_ms = 600'000;
constexpr size_t output_cap = command_output_cap; // bytes kept per stream

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "command": {"type": "string", "description": "The command line, run with /bin/bash -c in the working directory."},
    "timeout_ms": {"type": "integer", "minimum": 1, "maximum": 600000, "description": "Kill the command after this many milliseconds (default 120000)."},
    "description": {"type": "string", "description": "A few words saying what the command does, shown to the user."},
    "sandbox": {"type": "boolean", "description": "false asks to run outside the OS sandbox (network, writes outside the project). Always needs the user's approval; give a justification."},
    "justification": {"type": "string", "description": "With sandbox false: why the command cannot run in the sandbox, shown to the user."},
    "background": {"type": "boolean", "description": "true starts the command as a background process (a dev server, a watcher) on a pseudo-terminal and returns its id at once; read it with process_output, type into it with process_input, end it with process_kill. No timeout applies."}
  },
  "required": ["command"],
  "additionalProperties": false
})";

struct BashArgs {
    std::string command;
    std::string description;
    int64_t timeout_ms = default_timeout_ms;
    bool sandboxed = true;
    std::string justification;
    bool background = false;
};

Result<BashArgs> parse(const json::value& value)
{
    auto args = TRY(Args::make("bash", value));
    BashArgs b;
    b.command = std::string(TRY(args.required_string("command")));
    if (b.command.find_first_not_of(" \t\r\n") == std::string::npos)
        return fail(ErrorCode::invalid_argument, "bash: 'command' is empty");
    b.timeout_ms = TRY(args.integer("timeout_ms", default_timeout_ms, 1, max_timeout_ms));
    b.description = std::string(TRY(args.optional_string("description")).value_or(""));
    b.sandboxed = TRY(args.boolean("sandbox", true));
    b.justification = std::string(TRY(args.optional_string("justification")).value_or(""));
    b.background = TRY(args.boolean("background", false));
    return b;
}

void append_stream(std::string& out, std::string_view label, const std::string& text, size_t dropped)
{
    if (text.empty() && dropped == 0)
        return;
    if (!label.empty())
        out += fmt::format("{}[{}]\n", out.empty() || out.ends_with('\n') ? "" : "\n", label);
    out += sanitize_utf8(text);
    if (dropped > 0)
        out += fmt::format("{}[{} truncated: the first {} were kept, {} more were dropped]\n",
            out.ends_with('\n') ? "" : "\n", label.empty() ? "output" : label, human_bytes(text.size()),
            human_bytes(dropped));
}

std::string seconds(int64_t ms)
{
    return ms % 1000 == 0 ? fmt::format("{} s", ms / 1000) : fmt::format("{} ms", ms);
}

ToolResult format(const ProcessResult& r, int64_t timeout_ms)
{
    ToolResult result;
    std::string& out = result.content;
    append_stream(out, "", r.out, r.out_dropped);
    append_stream(out, "stderr", r.err, r.err_dropped);
    if (out.empty())
        out = "(no output)\n";
    else if (!out.ends_with('\n'))
        out += '\n';
    size_t lines = count_lines(r.out) + count_lines(r.err);
    if (r.timed_out) {
        out += fmt::format("[timed out after {}: the command and its process group were killed]", seconds(timeout_ms));
        result.summary = fmt::format("timed out after {}", seconds(timeout_ms));
    } else if (r.cancelled) {
        out += "[cancelled by the user: the command and its process group were killed]";
        result.summary = "cancelled";
        result.state = ToolState::cancelled;
    } else if (r.term_signal) {
        out += fmt::format("[killed by {}]", signal_name(r.term_signal));
        result.summary = fmt::format("killed by {}", signal_name(r.term_signal));
    } else {
        out += fmt::format("[exit code {}]", r.exit_code);
        result.summary = fmt::format("exit {}, {} line{}", r.exit_code, lines, lines == 1 ? "" : "s");
        result.exit_code = r.exit_code;
    }
    result.is_error = r.timed_out || r.cancelled || r.term_signal != 0 || r.exit_code != 0;
    // A cancelled command was killed by a signal too: it stays cancelled.
    if (!r.cancelled && (r.timed_out || r.term_signal != 0))
        result.state = ToolState::failed;
    return result;
}

class BashRun final : public ToolRun {
public:
    static std::unique_ptr<ToolRun> start(ToolContext& ctx, const BashArgs& args, Completion done)
    {
        auto run = std::make_unique<BashRun>(std::move(done), args.timeout_ms);
        BashRun* self = run.get();
        bool confined = args.sandboxed && ctx.sandbox && ctx.sandbox->confines();
        auto process = Process::spawn(ctx.loop,
            ProcessOptions{ .command = {},
                .argv = confined ? ctx.sandbox->command_argv(args.command, ctx.cwd)
                                 : sandbox::Sandbox::unconfined(args.command),
                .cwd = ctx.cwd,
                .timeout = std::chrono::milliseconds(args.timeout_ms),
                .output_cap = output_cap,
                .env = ctx.sandbox ? ctx.sandbox->environment(environ) : sandbox::filtered_environment(environ, ""),
                .fd3 = confined ? ctx.sandbox->command_fd3() : std::nullopt },
            [self](const ProcessResult& r) {
                Completion finish = std::move(self->m_done);
                finish(format(r, self->m_timeout_ms)); // may destroy *self
            });
        if (!process)
            return deliver_later(ctx.loop, ToolResult::error(fmt::format("bash: {}", process.error().to_string())),
                std::move(self->m_done));
        self->m_process = std::move(*process);
        return run;
    }

    BashRun(Completion done, int64_t timeout_ms)
        : m_done(std::move(done))
        , m_timeout_ms(timeout_ms)
    {
    }
    void cancel() override
    {
        if (m_process)
            m_process->cancel();
    }

private:
    Completion m_done;
    int64_t m_timeout_ms;
    std::unique_ptr<Process> m_process;
};

// background: true. The job outlives the call; its id is the result.
ToolResult start_background(ToolContext& ctx, const BashArgs& args)
{
    if (!ctx.jobs)
        return ToolResult::error("bash: background processes are not available here");
    bool confined = args.sandboxed && ctx.sandbox && ctx.sandbox->confines();
    auto job = ctx.jobs->start(args.command,
        confined ? ctx.sandbox->command_argv(args.command, ctx.cwd) : sandbox::Sandbox::unconfined(args.command),
        ctx.cwd, ctx.sandbox ? ctx.sandbox->environment(environ) : sandbox::filtered_environment(environ, ""),
        confined ? ctx.sandbox->command_fd3() : std::nullopt);
    if (!job)
        return ToolResult::error(fmt::format("bash: {}", job.error().message()));
    ToolResult r;
    r.content = fmt::format("started background process {} (pid {}): {}\n"
                            "Read its output with process_output (id \"{}\"); it runs until it exits, "
                            "process_kill ends it, or ik exits.",
        (*job)->id, (*job)->pid, args.command, (*job)->id);
    r.summary = fmt::format("started {}", (*job)->id);
    return r;
}

std::unique_ptr<ToolRun> start(ToolContext& ctx, const json::value& value, Completion done)
{
    auto args = parse(value);
    if (!args)
        return deliver_later(ctx.loop, ToolResult::from(args.error()), std::move(done));
    if (args->background)
        return deliver_later(ctx.loop, start_background(ctx, *args), std::move(done));
    return BashRun::start(ctx, *args, std::move(done));
}

// Outside the sandbox: asked for by the model, or forced because no backend
// works here. `--sandbox off` is the user's own choice and is not flagged.
bool unsandboxed(const ToolContext& ctx, const BashArgs& args)
{
    if (!ctx.sandbox)
        return false;
    if (ctx.sandbox->active() == sandbox::Active::unavailable)
        return true;
    return !args.sandboxed && ctx.sandbox->confines();
}

Result<ToolPreview> preview(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(parse(value));
    return ToolPreview{ .command = args.command,
        .path = {},
        .diff = {},
        .description = args.description,
        .full_path = {},
        .unsandboxed = unsandboxed(ctx, args),
        .justification = args.justification };
}

} // namespace

const ToolDescriptor bash_tool{
    .name = "bash",
    .description = "Run a shell command with /bin/bash -c in the working directory and return its stdout, stderr "
                   "and exit code. The command runs in its own process group with stdin from /dev/null; it is "
                   "killed, with everything it started, after timeout_ms (default 120000, at most 600000). Each "
                   "output stream is kept up to 30000 bytes. It runs in an OS sandbox: the project and /tmp are "
                   "writable, the rest of the filesystem is read-only, .git/config, .git/hooks and .ik are "
                   "read-only, and there is no network unless the user enabled it. Prefer read_file, grep, glob "
                   "and list_dir for looking at files. With background true it starts a long-running command (a dev "
                   "server, a watcher) and returns its id at once.",
    .parameters = schema,
    .kind = ToolKind::runs,
    .run = nullptr,
    .start = start,
    .preview = preview,
};

} // namespace ik::agent::internal
