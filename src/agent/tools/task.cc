// task: hands a self-contained piece of work to a sub-agent (agent/sub_agents.h)
// and returns its final reply.
//
// Read-only for approval and run alongside other calls: the task itself
// changes nothing; each call the sub-agent makes passes the approval policy
// on its own (headless policy or the user, labelled with the sub-agent).
// Several task calls in one reply therefore run concurrently.
#include <algorithm>

#include "agent/sub_agents.h"
#include "agent/tools/internal/agent_tools.h"
#include "agent/tools/internal/builtin.h"
#include "agent/tools/registry.h"

namespace ik::agent::internal {
namespace {

constexpr size_t max_prompt_bytes = 100'000;
constexpr size_t max_tools = 64;
constexpr size_t max_model_bytes = 200;
constexpr size_t max_agent_bytes = 64;

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "prompt": {"type": "string", "description": "The task, complete and self-contained: the sub-agent sees nothing else of this conversation."},
    "description": {"type": "string", "description": "Three to five words naming the task, shown to the user."},
    "read_only": {"type": "boolean", "description": "true: the sub-agent may only use tools that read."},
    "tools": {"type": "array", "items": {"type": "string"}, "description": "Only these built-in tools; the others are denied."},
    "model": {"type": "string", "description": "A model for the sub-agent, as provider/model (e.g. anthropic/claude-haiku-4-5 or openai/gpt-5-mini for quick searches); default: yours."},
    "background": {"type": "boolean", "description": "true: return at once with the agent's id; it runs on (agent_wait, agent_send, agent_kill)."}
  },
  "required": ["prompt"]
})";

// `model` or `agent`: a short name without spaces or control characters;
// whether it names anything is decided when the sub-agent starts.
Result<void> parse_choice(const json::object& o, std::string_view key, size_t max_bytes, std::string& out)
{
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null())
        return {};
    std::string_view text = v->is_string() ? std::string_view(v->as_string()) : std::string_view();
    bool plain = !text.empty() && text.size() <= max_bytes && std::none_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
    });
    if (!plain)
        return fail(ErrorCode::invalid_argument, "task: '{}' is a name of at most {} characters, without spaces", key,
            max_bytes);
    out = text;
    return {};
}

Result<TaskRequest> parse(const json::value& args)
{
    const json::object& o = args.as_object();
    TaskRequest r;
    const json::value* prompt = o.if_contains("prompt");
    if (!prompt || !prompt->is_string() || prompt->as_string().empty())
        return fail(ErrorCode::invalid_argument, "task: 'prompt' is required (the whole task, as text)");
    if (prompt->as_string().size() > max_prompt_bytes)
        return fail(ErrorCode::invalid_argument, "task: 'prompt' is longer than {} bytes", max_prompt_bytes);
    r.prompt = prompt->as_string();
    if (const json::value* d = o.if_contains("description"); d && d->is_string())
        r.description = std::string(d->as_string()).substr(0, 80);
    if (const json::value* ro = o.if_contains("read_only"); ro && ro->is_bool())
        r.read_only = ro->as_bool();
    TRY(parse_choice(o, "model", max_model_bytes, r.model));
    TRY(parse_choice(o, "agent", max_agent_bytes, r.agent));
    if (const json::value* bg = o.if_contains("background"); bg && bg->is_bool())
        r.background = bg->as_bool();
    if (const json::value* tools = o.if_contains("tools"); tools && !tools->is_null()) {
        if (!tools->is_array() || tools->as_array().size() > max_tools)
            return fail(ErrorCode::invalid_argument, "task: 'tools' is a list of at most {} tool names", max_tools);
        for (const json::value& t : tools->as_array()) {
            if (!t.is_string() || !find_tool(t.as_string()))
                return fail(ErrorCode::invalid_argument, "task: 'tools' names a tool that does not exist");
            r.tools.emplace_back(t.as_string());
        }
    }
    return r;
}

std::unique_ptr<ToolRun> start(ToolContext& ctx, const json::value& args, Completion done)
{
    if (!ctx.agents)
        return deliver_result(ctx, ToolResult::error("task: sub-agents are not available here"), std::move(done));
    auto request = parse(args);
    if (!request)
        return deliver_result(ctx, ToolResult::from(request.error()), std::move(done));
    if (auto ok = ctx.agents->can_start(); !ok)
        return deliver_result(ctx, ToolResult::from(ok.error()), std::move(done));
    request->call_id = ctx.call_id;
    if (request->background)
        return start_background_task(ctx, *request, std::move(done));
    return ctx.agents->start(*request, std::move(done));
}

Result<ToolPreview> preview(ToolContext&, const json::value& args)
{
    ToolPreview p;
    if (const json::value* d = args.as_object().if_contains("description"); d && d->is_string())
        p.description = std::string(d->as_string()).substr(0, 80);
    if (p.description.empty())
        p.description = "sub-agent";
    return p;
}

} // namespace

const ToolDescriptor task_tool{
    .name = "task",
    .description = "Start a sub-agent on a self-contained task and get its final reply. It has its own "
                   "conversation and the same tools (its calls are approved like yours), and sees nothing of this "
                   "conversation but the prompt: say everything it needs. Use it for searches or investigations "
                   "whose details you do not need to keep, and call it several times in one reply to run tasks in "
                   "parallel. read_only: true limits it to reading tools; model picks another model for it. "
                   "background: true returns at once with an id; the agent runs on while you work (agent_wait, "
                   "agent_send, agent_kill).",
    .parameters = schema,
    .kind = ToolKind::reads,
    .alongside = true,
    .run = nullptr,
    .start = start,
    .preview = preview,
};

} // namespace ik::agent::internal
