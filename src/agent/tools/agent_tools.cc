// agent_send, agent_wait, agent_kill: the model's handles on the background
// agents `task` started with `background: true` (agent/background_agents.h),
// shaped like process_input, process_output and process_kill.
//
// All three only touch agents ik itself started, whose own calls pass the
// approval policy one by one: they are read-only for approval and run
// without asking. agent_wait is asynchronous: it completes when the agent
// (or every agent) is idle, at its timeout, or cancelled by Ctrl-C, each time
// with what is known so far.
#include "agent/tools/internal/agent_tools.h"

#include <fmt/format.h>

#include "agent/background_agents.h"
#include "agent/tools/internal/args.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/registry.h"

namespace ik::agent::internal {

namespace {

using namespace std::chrono_literals;

constexpr size_t max_message_bytes = 100'000;
constexpr int64_t default_wait_s = 300;
constexpr int64_t max_wait_s = 1800;

std::string block(const BackgroundAgents::Report& r)
{
    if (r.gone)
        return fmt::format("{}: stopped (agent_kill or /agents stop); nothing more will come from it", r.id);
    std::string head = r.description.empty() ? r.id : fmt::format("{} '{}'", r.id, r.description);
    std::string last = r.turns == 0 && r.last.empty() ? "(no turn has finished yet)" : r.last;
    return fmt::format(
        "{} ({}, {} turn{} finished):\n{}", head, to_string(r.state), r.turns, r.turns == 1 ? "" : "s", last);
}

Result<BackgroundAgents*> agents_of(ToolContext& ctx, std::string_view tool)
{
    if (!ctx.agents)
        return fail(ErrorCode::not_found, "{}: no background agents here", tool);
    return &ctx.agents->background();
}

constexpr std::string_view send_schema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "string", "description": "The id task returned (\"agent-1\")."},
    "message": {"type": "string", "description": "What to tell it: it reads this as its next user message."}
  },
  "required": ["id", "message"],
  "additionalProperties": false
})";

Result<ToolResult> send(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(Args::make("agent_send", value));
    std::string_view id = TRY(args.required_string("id"));
    std::string_view message = TRY(args.required_string("message"));
    if (message.empty())
        return fail(ErrorCode::invalid_argument, "agent_send: 'message' is empty");
    if (message.size() > max_message_bytes)
        return fail(ErrorCode::invalid_argument, "agent_send: 'message' is longer than {} bytes", max_message_bytes);
    BackgroundAgents* agents = TRY(agents_of(ctx, "agent_send"));
    bool started = TRY_CONTEXT(agents->send(id, std::string(message)), "agent_send");
    ToolResult r;
    r.content = started
        ? fmt::format("{} was idle: its next turn started with your message; agent_wait for its reply", id)
        : fmt::format("{} is busy: your message is queued for its next turn", id);
    r.summary = started ? fmt::format("{} started a turn", id) : fmt::format("queued for {}", id);
    return r;
}

constexpr std::string_view wait_schema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "string", "description": "The agent to wait for (\"agent-1\"); without it, every background agent."},
    "timeout_s": {"type": "integer", "minimum": 1, "maximum": 1800, "description": "Give up after this many seconds and return what is known so far (default 300)."}
  },
  "additionalProperties": false
})";

// What agent_wait answers: a block per agent it waited for.
ToolResult wait_result(BackgroundAgents& agents, const std::string& id, bool timed_out, int64_t timeout_s)
{
    std::vector<std::string> ids = id.empty() ? agents.ids() : std::vector<std::string>{ id };
    ToolResult r;
    if (timed_out)
        r.content = fmt::format("[timed out after {} s: what is known so far]\n", timeout_s);
    if (ids.empty())
        r.content += "no background agents are running";
    size_t busy = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
        BackgroundAgents::Report report = agents.report(ids[i]);
        busy += !report.gone && report.state != SubAgentState::idle;
        r.content += (i ? "\n\n" : "") + block(report);
    }
    r.summary = timed_out ? fmt::format("timed out, {} busy", busy)
                          : fmt::format("{} agent{} idle", ids.size(), ids.size() == 1 ? "" : "s");
    return r;
}

class WaitRun final : public ToolRun {
public:
    WaitRun(ToolContext& ctx, BackgroundAgents& agents, std::string id, int64_t timeout_s, Completion done)
        : m_loop(ctx.loop)
        , m_agents(agents)
        , m_id(std::move(id))
        , m_timeout_s(timeout_s)
        , m_done(std::move(done))
    {
        m_wait = agents.wait(m_id, std::chrono::seconds(timeout_s),
            [this](bool timed_out) { finish(wait_result(m_agents, m_id, timed_out, m_timeout_s)); });
    }
    ~WaitRun() override
    {
        if (m_timer)
            m_loop.cancel(m_timer);
    }
    WaitRun(const WaitRun&) = delete;
    WaitRun& operator=(const WaitRun&) = delete;

    void cancel() override
    {
        if (!m_wait)
            return;
        m_wait.reset();
        // From a fresh loop round, as every completion; the agents run on.
        m_timer = m_loop.after(0ms, [this] {
            m_timer = 0;
            ToolResult r = wait_result(m_agents, m_id, false, m_timeout_s);
            r.content = "[the wait was cancelled; the agents run on]\n" + r.content;
            r.summary = "cancelled";
            r.state = ToolState::cancelled;
            finish(std::move(r));
        });
    }

private:
    // From the loop (the wait's or the cancel's round): may destroy *this.
    void finish(ToolResult result)
    {
        auto done = std::move(m_done);
        done(std::move(result));
    }

    Loop& m_loop;
    BackgroundAgents& m_agents;
    std::string m_id;
    int64_t m_timeout_s;
    Completion m_done;
    std::unique_ptr<BackgroundAgents::Wait> m_wait;
    Loop::TimerId m_timer = 0;
};

std::unique_ptr<ToolRun> start_wait(ToolContext& ctx, const json::value& value, Completion done)
{
    auto checked = [&]() -> Result<std::unique_ptr<ToolRun>> {
        auto args = TRY(Args::make("agent_wait", value));
        auto id = TRY(args.optional_string("id"));
        int64_t timeout_s = TRY(args.integer("timeout_s", default_wait_s, 1, max_wait_s));
        BackgroundAgents* agents = TRY(agents_of(ctx, "agent_wait"));
        std::string which(id.value_or(""));
        if (!which.empty() && !agents->exists(which))
            return fail(ErrorCode::not_found, "agent_wait: no background agent '{}'", which);
        return std::unique_ptr<ToolRun>(
            std::make_unique<WaitRun>(ctx, *agents, std::move(which), timeout_s, std::move(done)));
    };
    auto run = checked();
    if (!run)
        return deliver_result(ctx, ToolResult::from(run.error()), std::move(done));
    return std::move(*run);
}

constexpr std::string_view kill_schema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "string", "description": "The id task returned (\"agent-1\")."}
  },
  "required": ["id"],
  "additionalProperties": false
})";

Result<ToolResult> kill(ToolContext& ctx, const json::value& value)
{
    auto args = TRY(Args::make("agent_kill", value));
    std::string_view id = TRY(args.required_string("id"));
    BackgroundAgents* agents = TRY(agents_of(ctx, "agent_kill"));
    std::string last = agents->report(id).last;
    std::string stored = TRY_CONTEXT(agents->kill(id), "agent_kill");
    ToolResult r;
    r.content = fmt::format("{} is stopped and its memory freed; its conversation stays stored{}", id,
        stored.empty() ? "" : fmt::format(" (session {})", stored.substr(0, 8)));
    if (!last.empty())
        r.content += fmt::format(". Its latest final text:\n{}", last);
    r.summary = fmt::format("stopped {}", id);
    return r;
}

Result<ToolPreview> preview_agent(std::string_view tool, const json::value& value)
{
    auto args = TRY(Args::make(tool, value));
    auto id = TRY(args.optional_string("id"));
    return ToolPreview{ .command = {},
        .path = {},
        .diff = {},
        .description = fmt::format("{} {}", tool, id.value_or("(all)")),
        .full_path = {},
        .unsandboxed = false,
        .justification = {} };
}

} // namespace

std::unique_ptr<ToolRun> start_background_task(ToolContext& ctx, const TaskRequest& request, Completion done)
{
    auto id = ctx.agents->background().start(request);
    if (!id)
        return deliver_result(ctx, ToolResult::from(id.error()), std::move(done));
    ToolResult r;
    r.content = fmt::format("{} started in the background{}. It runs on while you work: agent_wait({}) returns its "
                            "final reply, agent_send({}, message) gives it more to do, agent_kill({}) stops it.",
        *id, request.description.empty() ? "" : fmt::format(" ({})", request.description), *id, *id, *id);
    r.summary = fmt::format("{} started", *id);
    return deliver_result(ctx, std::move(r), std::move(done));
}

const ToolDescriptor agent_send_tool{
    .name = "agent_send",
    .description = "Send a message to a background agent (task with background true). If it is idle its next turn "
                   "starts with the message; if it is busy the message waits for its next turn. Returns at once.",
    .parameters = send_schema,
    .kind = ToolKind::reads,
    .run = [](ToolContext& ctx, const json::value& args) { return ToolResult::from(send(ctx, args)); },
    .start = nullptr,
    .preview = [](ToolContext&, const json::value& args) { return preview_agent("agent_send", args); },
};

const ToolDescriptor agent_wait_tool{
    .name = "agent_wait",
    .description = "Wait until a background agent (or, without id, every one) is idle, and get its latest final "
                   "reply and state. timeout_s (default 300) returns what is known so far.",
    .parameters = wait_schema,
    .kind = ToolKind::reads,
    .run = nullptr,
    .start = start_wait,
    .preview = [](ToolContext&, const json::value& args) { return preview_agent("agent_wait", args); },
};

const ToolDescriptor agent_kill_tool{
    .name = "agent_kill",
    .description = "Stop a background agent now and free its memory. Its conversation stays stored.",
    .parameters = kill_schema,
    .kind = ToolKind::reads,
    .run = [](ToolContext& ctx, const json::value& args) { return ToolResult::from(kill(ctx, args)); },
    .start = nullptr,
    .preview = [](ToolContext&, const json::value& args) { return preview_agent("agent_kill", args); },
};

} // namespace ik::agent::internal
