#include "agent/tools/registry.h"

#include <array>

#include "agent/tools/external.h"
#include "agent/tools/internal/builtin.h"

namespace ik::agent {

namespace {

using namespace std::chrono_literals;

constexpr std::array<const ToolDescriptor*, 17> table = {
    &internal::bash_tool,
    &internal::read_file_tool,
    &internal::write_file_tool,
    &internal::edit_file_tool,
    &internal::list_dir_tool,
    &internal::glob_tool,
    &internal::grep_tool,
    &internal::skill_tool,
    &internal::process_output_tool,
    &internal::process_input_tool,
    &internal::process_kill_tool,
    &internal::todo_tool,
    &internal::web_fetch_tool,
    &internal::task_tool,
    &internal::agent_send_tool,
    &internal::agent_wait_tool,
    &internal::agent_kill_tool,
};

class DeferredRun final : public ToolRun {
public:
    DeferredRun(Loop& loop, ToolResult result, Completion done)
        : m_loop(loop)
    {
        m_timer = loop.after(0ms, [this, result = std::move(result), done = std::move(done)]() mutable {
            m_timer = 0;
            done(std::move(result)); // may destroy *this: nothing after it
        });
    }
    ~DeferredRun() override
    {
        if (m_timer)
            m_loop.cancel(m_timer);
    }
    void cancel() override { } // the work is already done

private:
    Loop& m_loop;
    Loop::TimerId m_timer = 0;
};

ExternalTools* installed_external = nullptr;

} // namespace

void set_external_tools(ExternalTools* tools)
{
    installed_external = tools;
}

ExternalTools* external_tools()
{
    return installed_external;
}

uint64_t external_tools_generation()
{
    return installed_external ? installed_external->generation() : 0;
}

ToolResult ToolResult::error(std::string message, std::string summary)
{
    ToolResult r;
    r.content = std::move(message);
    r.is_error = true;
    r.summary = std::move(summary);
    r.state = ToolState::failed;
    return r;
}

ToolResult ToolResult::from(const Error& e)
{
    return error(e.to_string());
}

ToolResult ToolResult::from(Result<ToolResult> r)
{
    return r ? std::move(*r) : from(r.error());
}

std::unique_ptr<ToolRun> internal::deliver_later(Loop& loop, ToolResult result, Completion done)
{
    return std::make_unique<DeferredRun>(loop, std::move(result), std::move(done));
}

std::span<const ToolDescriptor* const> all_tools()
{
    return table;
}

const ToolDescriptor* find_tool(std::string_view name)
{
    for (auto* t : table)
        if (t->name == name)
            return t;
    return installed_external ? installed_external->find(name) : nullptr;
}

std::vector<const ToolDescriptor*> offered_tools(ToolSet set)
{
    std::vector<const ToolDescriptor*> out;
    for (auto* t : table)
        if (set == ToolSet::all || !t->needs_skills)
            out.push_back(t);
    return out;
}

std::vector<llm::ToolSpec> tool_specs(ToolSet set)
{
    std::vector<llm::ToolSpec> specs;
    specs.reserve(table.size());
    for (auto* t : offered_tools(set))
        specs.push_back(llm::ToolSpec{ t->name, t->description, t->parameters });
    if (installed_external)
        installed_external->append_specs(specs);
    return specs;
}

Result<json::value> parse_tool_args(mem::Arena& arena, const ToolDescriptor& tool, std::string_view args_json)
{
    if (args_json.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return json::value(json::object(json::storage(arena)));
    auto v = json::parse(arena, args_json, "arguments");
    if (!v)
        return fail(
            ErrorCode::invalid_argument, "{}: arguments are not valid JSON: {}", tool.name, v.error().to_string());
    if (!v->is_object())
        return fail(
            ErrorCode::invalid_argument, "{}: arguments must be a JSON object, got {}", tool.name, json::kind_name(*v));
    return std::move(*v);
}

std::unique_ptr<ToolRun> deliver_result(ToolContext& ctx, ToolResult result, Completion done)
{
    return internal::deliver_later(ctx.loop, std::move(result), std::move(done));
}

ToolResult unknown_tool_result(std::string_view name)
{
    std::string known;
    for (auto* t : table)
        known += fmt::format("{}{}", known.empty() ? "" : ", ", t->name);
    if (installed_external) {
        std::vector<llm::ToolSpec> more;
        installed_external->append_specs(more);
        for (auto& spec : more)
            known += fmt::format(", {}", spec.name);
    }
    return ToolResult::error(fmt::format("unknown tool '{}'; available tools: {}", name, known));
}

std::unique_ptr<ToolRun> start_tool(
    ToolContext& ctx, const ToolDescriptor& tool, const json::value& args, Completion done)
{
    if (tool.external)
        return tool.external->start(tool, ctx, args, std::move(done));
    if (tool.start)
        return tool.start(ctx, args, std::move(done));
    return internal::deliver_later(ctx.loop, tool.run(ctx, args), std::move(done));
}

Result<ToolPreview> preview_tool(ToolContext& ctx, const ToolDescriptor& tool, const json::value& args)
{
    if (!tool.preview)
        return ToolPreview{};
    return tool.preview(ctx, args);
}

std::unique_ptr<ToolRun> start_tool(
    ToolContext& ctx, std::string_view name, std::string_view args_json, Completion done)
{
    const ToolDescriptor* tool = find_tool(name);
    if (!tool)
        return deliver_result(ctx, unknown_tool_result(name), std::move(done));
    mem::Arena scratch(mem::root(), "tool-args");
    auto args = parse_tool_args(scratch, *tool, args_json);
    if (!args)
        return deliver_result(ctx, ToolResult::from(args.error()), std::move(done));
    return start_tool(ctx, *tool, *args, std::move(done));
}

Result<ToolPreview> preview_tool(ToolContext& ctx, std::string_view name, std::string_view args_json)
{
    const ToolDescriptor* tool = find_tool(name);
    if (!tool)
        return fail(ErrorCode::not_found, "unknown tool '{}'", name);
    if (!tool->preview)
        return ToolPreview{};
    mem::Arena scratch(mem::root(), "tool-args");
    auto args = TRY(parse_tool_args(scratch, *tool, args_json));
    return preview_tool(ctx, *tool, args);
}

} // namespace ik::agent
