// The JSON a hook command reads on stdin, one builder per event.
//
// The fields are Claude Code's (session_id, transcript_path, cwd,
// hook_event_name, tool_name, tool_input, tool_use_id, tool_response,
// prompt, source, stop_hook_active), so its users' scripts read them
// unchanged; ik adds its own where they differ: `ik_tool_name` beside
// Claude Code's `tool_name`, and in tool_input ik's argument names with
// Claude Code's beside them (`file_path`, absolute, beside `path`; bash's
// `timeout` beside `timeout_ms`). ik keeps sessions in its store, not in a
// transcript file: transcript_path is "".
//
// Each builder returns the serialised text (heap); the JSON it builds lives
// in a scratch arena that dies with the call. Borrows its arguments.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "agent/hooks/hook_settings.h"
#include "agent/tools/tool.h"
#include "core/json.h"

namespace ik::agent {

struct HookSubject {
    std::string_view session_id;
    std::filesystem::path cwd; // the project directory hooks run in
};

// PreToolUse. `args`: the call's parsed arguments, or null when they did not
// parse (tool_input is then {} and `raw_arguments` carries the text).
std::string pre_tool_payload(const HookSubject& subject, std::string_view tool, std::string_view call_id,
    const json::value* args, std::string_view raw_arguments);
// PostToolUse: as PreToolUse, with what the call returned.
std::string post_tool_payload(const HookSubject& subject, std::string_view tool, std::string_view call_id,
    const json::value* args, std::string_view raw_arguments, const ToolResult& result);
std::string prompt_payload(const HookSubject& subject, std::string_view prompt);
// `active`: the turn already continues because a Stop hook blocked.
std::string stop_payload(const HookSubject& subject, bool active);
// `source`: "startup" or "resume".
std::string session_start_payload(const HookSubject& subject, std::string_view source);

} // namespace ik::agent
