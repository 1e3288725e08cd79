#include "app/repl/tool_outcome.h"

#include "agent/tools/registry.h"
#include "core/json.h"

namespace ik::app {
namespace {

// The bash tool ends its content with one bracketed footer line
// ("[exit code 0]", "[cancelled by the user: …]"): not output.
std::string_view without_footer(std::string_view content)
{
    std::string_view body = content;
    while (body.ends_with('\n'))
        body.remove_suffix(1);
    size_t start = body.rfind('\n');
    std::string_view last = start == std::string_view::npos ? body : body.substr(start + 1);
    if (!last.starts_with('[') || !last.ends_with(']'))
        return content;
    body = start == std::string_view::npos ? std::string_view() : body.substr(0, start + 1);
    if (body == "(no output)\n")
        return {};
    return body;
}

// An edit's content is a line saying what was replaced, then the diff.
std::string_view edit_diff(std::string_view content)
{
    size_t diff = content.find("\n---");
    return diff == std::string_view::npos ? content : content.substr(diff + 1);
}

} // namespace

ToolKind tool_kind(std::string_view tool_name)
{
    const agent::ToolDescriptor* tool = agent::find_tool(tool_name);
    return tool ? tool->kind : ToolKind::runs; // an unknown tool: the most careful display
}

std::string call_target(std::string_view arguments_json)
{
    mem::Arena scratch(mem::root(), "call target");
    if (auto v = json::parse(scratch, arguments_json); v && v->is_object()) {
        for (std::string_view key : { "command", "path" }) {
            if (auto* field = v->as_object().if_contains(key); field && field->is_string())
                return std::string(field->get_string());
        }
    }
    return std::string(arguments_json.substr(0, 200));
}

ToolOutcome tool_outcome(ToolKind kind, const agent::ToolResult& result)
{
    ToolOutcome o;
    o.summary = result.summary;
    o.state = result.state;
    o.exit_code = result.exit_code;
    if (result.state == ToolState::denied) {
        o.summary = {};
        return o; // the content is the message to the model, not output
    }
    if (result.state == ToolState::cancelled) {
        o.output = without_footer(result.content);
        o.summary = {};
        return o;
    }
    if (result.state == ToolState::ran && result.is_error && !result.exit_code)
        o.state = ToolState::failed;
    switch (kind) {
    case ToolKind::runs:
        if (o.exit_code)
            o.summary = {}; // the exit code is shown instead
        o.output = without_footer(result.content);
        break;
    case ToolKind::edits:
        o.output = result.is_error ? std::string_view(result.content) : edit_diff(result.content);
        break;
    case ToolKind::reads:
    case ToolKind::network:
        o.output = result.content;
        break;
    }
    return o;
}

tui::ToolBlockState block_state(const ToolOutcome& o)
{
    switch (o.state) {
    case ToolState::ran:
        return o.exit_code && *o.exit_code != 0 ? tui::ToolBlockState::failed : tui::ToolBlockState::ok;
    case ToolState::denied:
        return tui::ToolBlockState::denied;
    case ToolState::cancelled:
        return tui::ToolBlockState::cancelled;
    case ToolState::failed:
        return tui::ToolBlockState::failed;
    }
    return tui::ToolBlockState::failed;
}

} // namespace ik::app
