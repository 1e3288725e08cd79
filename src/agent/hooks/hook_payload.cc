#include "agent/hooks/hook_payload.h"

#include <boost/json/serialize.hpp>

#include "agent/hooks/hook_matcher.h"
#include "core/arena.h"

namespace ik::agent {

namespace {

json::object common(mem::Arena& arena, const HookSubject& subject, HookEvent event)
{
    json::object o(json::storage(arena));
    o["session_id"] = subject.session_id;
    o["transcript_path"] = "";
    o["cwd"] = subject.cwd.string();
    o["hook_event_name"] = to_string(event);
    return o;
}

// ik's arguments, and Claude Code's names for the same values beside them.
json::object tool_input(mem::Arena& arena, const HookSubject& subject, std::string_view tool, const json::value* args)
{
    json::object in(json::storage(arena));
    if (!args || !args->is_object())
        return in;
    in = args->get_object();
    const bool file_tool = tool == "read_file" || tool == "write_file" || tool == "edit_file";
    if (const json::value* path = in.if_contains("path"); file_tool && path && path->is_string()) {
        std::filesystem::path p(std::string_view(path->get_string()));
        in["file_path"] = (p.is_absolute() ? p : subject.cwd / p).lexically_normal().string();
    }
    if (const json::value* t = in.if_contains("timeout_ms"); tool == "bash" && t)
        in["timeout"] = *t;
    if (const json::value* ci = in.if_contains("case_insensitive"); tool == "grep" && ci)
        in["-i"] = *ci;
    return in;
}

json::object tool_common(mem::Arena& arena, const HookSubject& subject, HookEvent event, std::string_view tool,
    std::string_view call_id, const json::value* args, std::string_view raw_arguments)
{
    json::object o = common(arena, subject, event);
    std::string_view alias = claude_tool_name(tool);
    o["tool_name"] = alias.empty() ? tool : alias;
    o["ik_tool_name"] = tool;
    o["tool_use_id"] = call_id;
    o["tool_input"] = tool_input(arena, subject, tool, args);
    if (!args)
        o["tool_input_text"] = raw_arguments; // arguments that were not a JSON object
    return o;
}

std::string text(const json::object& o)
{
    return boost::json::serialize(o);
}

} // namespace

std::string pre_tool_payload(const HookSubject& subject, std::string_view tool, std::string_view call_id,
    const json::value* args, std::string_view raw_arguments)
{
    mem::Arena arena(mem::root(), "hook-payload");
    return text(tool_common(arena, subject, HookEvent::pre_tool_use, tool, call_id, args, raw_arguments));
}

std::string post_tool_payload(const HookSubject& subject, std::string_view tool, std::string_view call_id,
    const json::value* args, std::string_view raw_arguments, const ToolResult& result)
{
    mem::Arena arena(mem::root(), "hook-payload");
    json::object o = tool_common(arena, subject, HookEvent::post_tool_use, tool, call_id, args, raw_arguments);
    json::object& response = o["tool_response"].emplace_object();
    response["content"] = result.content;
    response["is_error"] = result.is_error;
    response["success"] = !result.is_error;
    response["summary"] = result.summary;
    if (result.exit_code)
        response["exit_code"] = *result.exit_code;
    if (const json::value* path = o["tool_input"].get_object().if_contains("file_path"))
        response["filePath"] = *path;
    return text(o);
}

std::string prompt_payload(const HookSubject& subject, std::string_view prompt)
{
    mem::Arena arena(mem::root(), "hook-payload");
    json::object o = common(arena, subject, HookEvent::user_prompt_submit);
    o["prompt"] = prompt;
    return text(o);
}

std::string stop_payload(const HookSubject& subject, bool active)
{
    mem::Arena arena(mem::root(), "hook-payload");
    json::object o = common(arena, subject, HookEvent::stop);
    o["stop_hook_active"] = active;
    return text(o);
}

std::string session_start_payload(const HookSubject& subject, std::string_view source)
{
    mem::Arena arena(mem::root(), "hook-payload");
    json::object o = common(arena, subject, HookEvent::session_start);
    o["source"] = source;
    return text(o);
}

} // namespace ik::agent
