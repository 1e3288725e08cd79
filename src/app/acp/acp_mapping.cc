#include "app/acp/acp_mapping.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace ik::app::acp {

namespace {

boost::json::string_view bj(std::string_view s)
{
    return { s.data(), s.size() };
}

// The string field `key` of `args`, or empty.
std::string_view arg(const json::value* args, std::string_view key)
{
    if (!args || !args->is_object())
        return {};
    const auto* v = args->as_object().if_contains(bj(key));
    if (!v || !v->is_string())
        return {};
    return { v->as_string().data(), v->as_string().size() };
}

// Titles are one line, short: a long command is cut, a newline ends it.
std::string one_line(std::string_view text, size_t max = 120)
{
    text = text.substr(0, text.find('\n'));
    if (text.size() <= max)
        return std::string(text);
    return fmt::format("{}…", text.substr(0, max));
}

// `path` made absolute against `cwd`, copied into `arena`.
std::string_view absolute(mem::Arena& arena, const std::filesystem::path& cwd, std::string_view path)
{
    std::string full = (cwd / std::filesystem::path(path)).lexically_normal().string();
    auto* copy = static_cast<char*>(arena.allocate(full.size() + 1, 1));
    std::copy(full.begin(), full.end(), copy);
    return { copy, full.size() };
}

} // namespace

std::string_view tool_kind(std::string_view tool_name, agent::ToolKind kind)
{
    if (tool_name == "grep" || tool_name == "glob")
        return "search";
    if (tool_name == agent::todo_tool_name || tool_name == "task")
        return "think"; // a sub-agent: its calls come as this call's content
    switch (kind) {
    case agent::ToolKind::reads:
        return "read";
    case agent::ToolKind::edits:
        return "edit";
    case agent::ToolKind::runs:
        return "execute";
    case agent::ToolKind::network:
        return tool_name == "web_fetch" ? "fetch" : "other";
    }
    return "other";
}

std::optional<std::string_view> stop_reason(const agent::TurnOutcome& outcome)
{
    if (outcome.interrupted)
        return "cancelled";
    if (outcome.hit_tool_limit)
        return "max_turn_requests";
    if (outcome.error)
        return std::nullopt;
    switch (outcome.finish) {
    case llm::FinishReason::length:
        return "max_tokens";
    case llm::FinishReason::refusal:
    case llm::FinishReason::content_filter:
        return "refusal";
    default:
        return "end_turn";
    }
}

std::string_view plan_status(agent::TodoStatus status)
{
    switch (status) {
    case agent::TodoStatus::pending:
        return "pending";
    case agent::TodoStatus::in_progress:
        return "in_progress";
    case agent::TodoStatus::done:
        return "completed";
    }
    return "pending";
}

std::optional<agent::ApprovalMode> parse_mode(std::string_view id)
{
    for (auto mode : { agent::ApprovalMode::ask, agent::ApprovalMode::auto_edit, agent::ApprovalMode::yolo })
        if (agent::to_string(mode) == id)
            return mode;
    return std::nullopt;
}

json::object mode_state(mem::Arena& arena, agent::ApprovalMode current)
{
    struct Mode {
        agent::ApprovalMode mode;
        std::string_view name, description;
    };
    static constexpr Mode modes[] = {
        { agent::ApprovalMode::ask, "Ask", "Ask before edits, commands and network tools" },
        { agent::ApprovalMode::auto_edit, "Auto-edit", "Edit files in the project without asking; ask for the rest" },
        { agent::ApprovalMode::yolo, "Yolo", "Run every tool without asking (deny rules still apply)" },
    };
    json::object state(json::storage(arena));
    json::array available(json::storage(arena));
    for (const Mode& m : modes) {
        json::object o(json::storage(arena));
        o["id"] = bj(agent::to_string(m.mode));
        o["name"] = bj(m.name);
        o["description"] = bj(m.description);
        available.push_back(std::move(o));
    }
    state["currentModeId"] = bj(agent::to_string(current));
    state["availableModes"] = std::move(available);
    return state;
}

std::string tool_title(std::string_view tool_name, const json::value* args)
{
    std::string_view path = arg(args, "path");
    if (tool_name == "bash")
        return fmt::format("Run `{}`", one_line(arg(args, "command")));
    if (tool_name == "read_file" && !path.empty())
        return fmt::format("Read {}", one_line(path));
    if ((tool_name == "edit_file" || tool_name == "write_file") && !path.empty())
        return fmt::format("{} {}", tool_name == "edit_file" ? "Edit" : "Write", one_line(path));
    if ((tool_name == "grep" || tool_name == "glob") && !arg(args, "pattern").empty())
        return fmt::format("{} {}", tool_name, one_line(arg(args, "pattern")));
    if (tool_name == "web_fetch" && !arg(args, "url").empty())
        return fmt::format("Fetch {}", one_line(arg(args, "url")));
    if (tool_name == agent::todo_tool_name)
        return "Update the plan";
    if (tool_name == "task")
        return arg(args, "description").empty() ? std::string("Sub-agent") : one_line(arg(args, "description"));
    if (!path.empty())
        return fmt::format("{} {}", tool_name, one_line(path));
    return std::string(tool_name);
}

std::string activity_line(mem::Arena& arena, const llm::ToolCall& call)
{
    auto parsed = json::parse(arena, call.arguments.empty() ? std::string_view("{}") : call.arguments, "arguments");
    const json::value* args = parsed && parsed->is_object() ? &*parsed : nullptr;
    std::string_view what;
    for (std::string_view key : { "path", "pattern", "url", "description" })
        if (what = arg(args, key); !what.empty())
            break;
    std::string line;
    if (call.name == "bash")
        line = fmt::format("bash: {}", one_line(arg(args, "command"), 100));
    else if (!what.empty())
        line = fmt::format("{} {}", call.name, one_line(what, 100));
    else
        line = std::string(call.name);
    for (char& c : line)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' '; // a line in the editor: no escape sequences
    return line;
}

json::array permission_options(mem::Arena& arena)
{
    static constexpr std::pair<std::string_view, std::string_view> options[] = {
        { "allow_once", "Allow once" },
        { "allow_always", "Allow always (this session)" },
        { "reject_once", "Reject" },
        { "reject_always", "Reject always (this session)" },
    };
    json::array out(json::storage(arena));
    for (const auto& [kind, name] : options) {
        json::object o(json::storage(arena));
        o["optionId"] = bj(kind); // the kind doubles as the id: one option of each
        o["name"] = bj(name);
        o["kind"] = bj(kind);
        out.push_back(std::move(o));
    }
    return out;
}

std::optional<PermissionAnswer> answer_for(std::string_view option_id)
{
    if (option_id == "allow_once")
        return PermissionAnswer{ agent::UserAnswer::yes, false };
    if (option_id == "allow_always")
        return PermissionAnswer{ agent::UserAnswer::always, false };
    if (option_id == "reject_once")
        return PermissionAnswer{ agent::UserAnswer::no, false };
    if (option_id == "reject_always")
        return PermissionAnswer{ agent::UserAnswer::no, true };
    return std::nullopt;
}

json::object text_chunk(mem::Arena& arena, std::string_view kind, std::string_view text)
{
    json::object u(json::storage(arena));
    u["sessionUpdate"] = bj(kind);
    json::object content(json::storage(arena));
    content["type"] = "text";
    content["text"] = bj(text);
    u["content"] = std::move(content);
    return u;
}

json::object tool_call(
    mem::Arena& arena, const llm::ToolCall& call, std::string_view status, const std::filesystem::path& cwd)
{
    const agent::ToolDescriptor* tool = agent::find_tool(call.name);
    auto parsed = json::parse(arena, call.arguments.empty() ? std::string_view("{}") : call.arguments, "arguments");
    const json::value* args = parsed && parsed->is_object() ? &*parsed : nullptr;
    json::object u(json::storage(arena));
    u["sessionUpdate"] = "tool_call";
    u["toolCallId"] = bj(call.id);
    u["title"] = bj(tool_title(call.name, args));
    u["kind"] = bj(tool_kind(call.name, tool ? tool->kind : agent::ToolKind::network));
    u["status"] = bj(status);
    if (args)
        u["rawInput"] = *args;
    if (std::string_view path = arg(args, "path"); !path.empty()) {
        json::array locations(json::storage(arena));
        json::object loc(json::storage(arena));
        loc["path"] = bj(absolute(arena, cwd, path));
        if (args->as_object().contains("offset") && args->as_object().at("offset").is_int64())
            loc["line"] = args->as_object().at("offset").as_int64();
        locations.push_back(std::move(loc));
        u["locations"] = std::move(locations);
    }
    return u;
}

json::object tool_call_update(
    mem::Arena& arena, std::string_view call_id, std::string_view status, const ToolOutput* output)
{
    json::object u(json::storage(arena));
    u["sessionUpdate"] = "tool_call_update";
    u["toolCallId"] = bj(call_id);
    u["status"] = bj(status);
    if (!output)
        return u;
    json::array content(json::storage(arena));
    if (output->has_diff) {
        json::object d(json::storage(arena));
        d["type"] = "diff";
        d["path"] = bj(output->path);
        if (output->old_text)
            d["oldText"] = bj(*output->old_text);
        else
            d["oldText"] = nullptr;
        d["newText"] = bj(output->new_text);
        content.push_back(std::move(d));
    }
    if (!output->text.empty()) {
        json::object block(json::storage(arena));
        block["type"] = "content";
        json::object text(json::storage(arena));
        text["type"] = "text";
        text["text"] = bj(output->text);
        block["content"] = std::move(text);
        content.push_back(std::move(block));
    }
    u["content"] = std::move(content);
    return u;
}

json::object plan_update(mem::Arena& arena, agent::TodoList list)
{
    json::object u(json::storage(arena));
    u["sessionUpdate"] = "plan";
    json::array entries(json::storage(arena));
    for (const agent::TodoItem& item : list.items) {
        json::object e(json::storage(arena));
        e["content"] = bj(item.content);
        // ik's list has no priorities: every entry is medium, so the order
        // the model chose is what the editor shows.
        e["priority"] = "medium";
        e["status"] = bj(plan_status(item.status));
        entries.push_back(std::move(e));
    }
    u["entries"] = std::move(entries);
    return u;
}

ToolOutput diff_for(mem::Arena& arena, std::string_view tool_name, std::string_view arguments_json,
    std::optional<std::string_view> before, const std::filesystem::path& cwd)
{
    ToolOutput out;
    if (tool_name != "edit_file" && tool_name != "write_file")
        return out;
    auto parsed = json::parse(arena, arguments_json, "arguments");
    if (!parsed || !parsed->is_object())
        return out;
    out.path = arg(&*parsed, "path");
    if (out.path.empty())
        return out;
    out.path = absolute(arena, cwd, out.path);
    // edit_file: the replaced fragment as the model sent it, enough for a
    // diff view; write_file: the whole file before and after.
    bool edit = tool_name == "edit_file";
    out.old_text = edit ? std::optional<std::string_view>(arg(&*parsed, "old_string")) : before;
    out.new_text = arg(&*parsed, edit ? "new_string" : "content");
    out.has_diff = true;
    return out;
}

std::string session_update(std::string_view session_id, const json::object& update)
{
    return fmt::format(R"({{"sessionId":{},"update":{}}})",
        boost::json::serialize(boost::json::string_view(session_id.data(), session_id.size())),
        boost::json::serialize(update));
}

} // namespace ik::app::acp
