// ACP message mapping: ik's values as Agent Client Protocol (version 1) JSON.
//
// Pure functions, one per kind of message ik sends, so the wire shapes are
// spelled once and unit-tested without a process: tool kinds and statuses,
// the session/update payloads (message chunks, tool calls, plans), the
// permission options and the stop reasons. The names are the protocol's
// (schema/schema.json of zed-industries/agent-client-protocol); an editor
// rejects anything else.
//
//   mem::Arena scratch(parent, "acp-message");
//   json::object u = plan_update(scratch, todos.list());
//   channel.notify("session/update", session_update(scratch, id, u));
//
// Every json value returned is built in the arena given (first parameter)
// and lives until it is reset; strings returned are heap or static.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "agent/approval.h"
#include "agent/session_types.h"
#include "agent/todo_list.h"
#include "agent/tools/tool.h"
#include "core/arena.h"
#include "core/json.h"
#include "llm/request.h"

namespace ik::app::acp {

inline constexpr int64_t protocol_version = 1;

// The ToolKind of the protocol for one of ik's tools: read, edit, execute,
// search, fetch, think or other.
std::string_view tool_kind(std::string_view tool_name, agent::ToolKind kind);

// "end_turn", "max_tokens", "max_turn_requests", "refusal", "cancelled";
// nullopt when the turn failed (the prompt is answered with an error).
std::optional<std::string_view> stop_reason(const agent::TurnOutcome& outcome);

// A todo item's status as a plan entry's: pending, in_progress, completed.
std::string_view plan_status(agent::TodoStatus status);

// The approval modes as session modes ("ask", "auto-edit", "yolo").
std::optional<agent::ApprovalMode> parse_mode(std::string_view id);
json::object mode_state(mem::Arena& arena, agent::ApprovalMode current);

// A one-line title for a tool call ("Read src/main.cc", "Run `make`").
std::string tool_title(std::string_view tool_name, const json::value* args);

// The permission options, in the order shown; answer_for() maps a selected
// optionId back (nullopt: unknown id, or "reject_always", which is a "no"
// that the caller also remembers).
// One line for a sub-agent's call under its task call: "read_file src/x.cc",
// "bash: make" (cut, control characters blanked).
std::string activity_line(mem::Arena& arena, const llm::ToolCall& call);

json::array permission_options(mem::Arena& arena);
struct PermissionAnswer {
    agent::UserAnswer answer = agent::UserAnswer::no;
    bool reject_always = false;
};
std::optional<PermissionAnswer> answer_for(std::string_view option_id);

// session/update payloads (the `update` object).
json::object text_chunk(
    mem::Arena& arena, std::string_view kind, std::string_view text); // kind: agent_message_chunk, ...
// A new tool call: kind, title, rawInput (the parsed arguments when they are
// an object) and the file it touches as a location.
// Relative paths are made absolute against `cwd` (editors want absolute ones).
json::object tool_call(
    mem::Arena& arena, const llm::ToolCall& call, std::string_view status, const std::filesystem::path& cwd);
// status (pending/in_progress/completed/failed), and content when given:
// the result's text, and for edit_file/write_file a diff block.
struct ToolOutput {
    std::string_view text{};
    bool has_diff = false;
    std::string_view path{};
    std::optional<std::string_view> old_text{}; // nullopt: a new file
    std::string_view new_text{};
};
json::object tool_call_update(
    mem::Arena& arena, std::string_view call_id, std::string_view status, const ToolOutput* output = nullptr);
json::object plan_update(mem::Arena& arena, agent::TodoList list);

// The `diff` block for an edit_file/write_file call from its arguments
// (edit_file: old_string → new_string; write_file: `before` → content);
// has_diff false for other tools or unreadable arguments.
ToolOutput diff_for(mem::Arena& arena, std::string_view tool_name, std::string_view arguments_json,
    std::optional<std::string_view> before, const std::filesystem::path& cwd);

// {"sessionId": id, "update": update}, serialised.
std::string session_update(std::string_view session_id, const json::object& update);

} // namespace ik::app::acp
