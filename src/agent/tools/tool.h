// The shape every tool the model can call has: a descriptor, a context, a
// result.
//
// A tool is one file exporting one ToolDescriptor (the tmux habit): its name,
// the description and JSON Schema the provider receives, whether it only
// reads, and how to run it. registry.h collects the descriptors in one table.
//
// Running is uniform and asynchronous: start_tool() (registry.h) returns a
// ToolRun handle and calls the Completion later, from the loop, exactly once
// (never from inside start_tool itself), unless the handle is destroyed first,
// which cancels the call silently. File tools do their work synchronously
// inside `run` — a read or an edit takes microseconds — and their result is
// delivered on the next loop round; `bash` runs a child process on the loop
// (core/process.h) through `start`. Several read-only calls can therefore be
// started at once; mutating ones should be started one after another.
//
// Tool results are text for the model, plus an is_error flag, a state, the
// exit code where there is one, and a short summary for the UI ("exit 0, 12
// lines") that nothing reads back. Bad arguments never crash: they
// become error results that tell the model what to fix
// ("edit_file: 'old_string' is required").
//
// ToolResult owns its strings (heap): results are made once per call, and the
// turn loop copies the content into the session arena when it appends the
// tool message.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/background_jobs.h"
#include "agent/tools/tool_image.h"
#include "core/json.h"
#include "core/loop.h"
#include "core/result.h"
#include "sandbox/sandbox.h"
#include "store/records.h"
#include "web/fetch.h"

namespace ik::agent {

class SubAgents;
class Todos;
class ClientFiles;

// What became of a call (ran / denied / cancelled / failed): the store's
// vocabulary, so the record and the result cannot disagree.
using ToolState = store::ToolState;

struct ToolResult {
    std::string content{}; // what the model reads
    bool is_error = false;
    std::string summary{}; // one line for the UI; display only, never parsed
    ToolState state = ToolState::ran;
    std::optional<int> exit_code{}; // bash: the command's exit status, when it exited
    // read_file on an image, an MCP tool's image content: sent to models that
    // accept images (a note replaces them for others, llm/image_fit.h).
    std::vector<ToolImage> images{};

    static ToolResult error(std::string message, std::string summary = "error");
    static ToolResult from(const Error& e);
    // The result, or the error as an error result: every synchronous tool's
    // `run` is `return ToolResult::from(do_it(ctx, args));`.
    static ToolResult from(Result<ToolResult> r);
};

using Completion = std::function<void(ToolResult result)>;

// Bytes kept per output stream of a command the agent runs (bash, hooks);
// the rest is counted and dropped.
inline constexpr size_t command_output_cap = 30'000;

// What a tool may use while it runs. Borrows the loop and the sandbox; the
// turn loop owns it.
struct ToolContext {
    Loop& loop;
    std::filesystem::path cwd{}; // the session's working directory (absolute)
    const sandbox::Sandbox* sandbox = nullptr; // null: commands run unconfined (unit tests)
    // ik's own configuration and data directories (real paths): no file tool
    // opens anything in them, in any mode. Borrowed from the session settings.
    std::span<const std::filesystem::path> private_dirs{};
    // Set by the turn for each allowed file-tool call: the project root (real
    // path) when the call was allowed because its path is inside it; the
    // tool's opens then cannot leave it (internal/confined.h). Empty: the
    // path was approved where it is (or unit tests).
    std::filesystem::path beneath{};
    // The session's background jobs (bash background: true, process_*);
    // null where there are none (unit tests, mentions).
    BackgroundJobs* jobs = nullptr;
    // The session's task list (the todo tool); null where there is none.
    Todos* todos = nullptr;
    // web_fetch's settings (web.* in config); null: the defaults, no host
    // allowed past the address check. Borrowed from the session settings.
    const web::FetchSettings* web = nullptr;
    // An editor's view of the files (ACP, client_files.h): read_file reads
    // through it after its checks on disk; null: the disk only.
    ClientFiles* client_files = nullptr;
    // The session's sub-agents (the task tool); null where there are none.
    SubAgents* agents = nullptr;
    // Set by the turn while a call starts: its id (the task tool links the
    // sub-agent's stored session to it). Empty elsewhere.
    std::string_view call_id{};
};

// What a mutating call would do, for the approval prompt and the approval
// record, computed without side effects.
struct ToolPreview {
    std::string command{}; // bash: the command line
    std::string path{}; // file tools: the path as the model gave it
    std::string diff{}; // edit_file/write_file: unified-diff-style text
    std::string description{}; // bash: the model's description, if any
    std::filesystem::path full_path{}; // file tools: absolute, normalised
    // bash: the command would run outside the OS sandbox (the model asked
    // with `sandbox: false`, or no sandbox backend works here). Such a call
    // always needs the user's approval.
    bool unsandboxed = false;
    std::string justification{}; // bash: why the model wants no sandbox
};

// A call in flight. Destroying it cancels the call (a running command's
// process group is killed) and the Completion is then never called.
class ToolRun {
public:
    virtual ~ToolRun() = default;
    // Asks the call to stop early (Ctrl-C). The Completion still runs, with a
    // result that says the call was cancelled.
    virtual void cancel() = 0;
};

// What a tool does, decided once on its descriptor: approval and the REPL
// read this, never the tool's name.
enum class ToolKind : uint8_t {
    reads, // looks at files; runs without asking
    edits, // changes files (write_file, edit_file)
    runs, // runs commands (bash)
    network, // reaches the network (web_fetch, MCP tools)
};

class ExternalTools;

struct ToolDescriptor {
    std::string_view name;
    std::string_view description;
    std::string_view parameters; // JSON Schema of the arguments object
    ToolKind kind = ToolKind::reads;
    bool read_only() const { return kind == ToolKind::reads; }
    // May run while the calls next to it in a reply run (the turn starts
    // consecutive ones together): the tools that only read, and those that
    // say so (`alongside`: web_fetch reads a page, task runs a sub-agent).
    bool alongside = false;
    bool runs_alongside() const { return read_only() || alongside; }

    // Exactly one of `run` (synchronous) and `start` (asynchronous) is set.
    // `args` is an object (checked before) and lives only during the call.
    ToolResult (*run)(ToolContext& ctx, const json::value& args) = nullptr;
    std::unique_ptr<ToolRun> (*start)(ToolContext& ctx, const json::value& args, Completion done) = nullptr;
    // What the call would do or touch: the command, the path, the diff.
    Result<ToolPreview> (*preview)(ToolContext& ctx, const json::value& args) = nullptr;
    // Set for tools that are not built in (external.h): their source runs them.
    ExternalTools* external = nullptr;
    // Offered to the model only when skills exist (the skill tool): a tool
    // with nothing to do costs tokens in every request.
    bool needs_skills = false;
};

} // namespace ik::agent
