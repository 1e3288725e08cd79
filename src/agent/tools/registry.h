// The table of built-in tools, and the one entry point that runs a call.
//
// The turn loop sees tools only through this header. It parses a call's
// arguments once, into its own arena, and hands the parsed object to both
// the preview (for approval) and the run:
//
//   std::vector<llm::ToolSpec> specs = agent::tool_specs();   // for the request
//   const ToolDescriptor* t = agent::find_tool(call.name);     // null: unknown
//   json::value args = TRY(agent::parse_tool_args(turn_arena, *t, call.arguments));
//   ToolPreview p = TRY(agent::preview_tool(ctx, *t, args));
//   auto run = agent::start_tool(ctx, *t, args,
//                                [&](ToolResult r) { ... });  // later, on the loop
//
// Starting never fails: an unknown tool, arguments that are not JSON or not
// an object (deliver_result with the parse error), or arguments of the wrong
// shape all come back through the Completion as error results the model can
// act on. The overloads taking the arguments as text parse them in a scratch
// arena of their own: for tests and one-off callers.
//
// The descriptors are static data; the returned specs borrow their strings.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "agent/tools/tool.h"
#include "llm/request.h"

namespace ik::agent {

// Every built-in tool, in a stable order (the order the provider sees).
std::span<const ToolDescriptor* const> all_tools();

// What a session offers: every tool, or all but those that need skills
// (ToolDescriptor::needs_skills) when none are installed.
enum class ToolSet : uint8_t { all, without_skills };
std::vector<const ToolDescriptor*> offered_tools(ToolSet set);

// Null when no tool has that name.
const ToolDescriptor* find_tool(std::string_view name);

// The tool list as a provider request wants it. Borrows static strings.
std::vector<llm::ToolSpec> tool_specs(ToolSet set = ToolSet::all);

// Parses a call's arguments into `arena`: a JSON object; empty text means {}.
// invalid_argument (naming the tool) otherwise.
Result<json::value> parse_tool_args(mem::Arena& arena, const ToolDescriptor& tool, std::string_view args_json);

// Starts one call with arguments parsed by parse_tool_args; `args` must stay
// valid until the Completion runs (tools copy what they keep beyond start).
std::unique_ptr<ToolRun> start_tool(
    ToolContext& ctx, const ToolDescriptor& tool, const json::value& args, Completion done);

// A call that cannot start (unknown tool, bad arguments): `result` is
// delivered later from the loop, exactly as a call's would be.
std::unique_ptr<ToolRun> deliver_result(ToolContext& ctx, ToolResult result, Completion done);
// The error result for a tool name nobody knows, listing the known ones.
ToolResult unknown_tool_result(std::string_view name);

// What a call would do, for approval; empty for read-only tools.
Result<ToolPreview> preview_tool(ToolContext& ctx, const ToolDescriptor& tool, const json::value& args);

// Starts one call. `args_json` is the arguments text as the model produced
// it (an empty string means {}). The Completion is always called later from
// the loop, never inside this function; the returned handle must be kept
// until then (destroying it cancels the call without a Completion).
std::unique_ptr<ToolRun> start_tool(
    ToolContext& ctx, std::string_view name, std::string_view args_json, Completion done);

// What a call would do, for approval. Read-only tools get an empty preview.
// Fails (invalid_argument / not_found) when the arguments cannot be
// understood; the caller may still start the call, which then reports the
// same problem to the model.
Result<ToolPreview> preview_tool(ToolContext& ctx, std::string_view name, std::string_view args_json);

} // namespace ik::agent
