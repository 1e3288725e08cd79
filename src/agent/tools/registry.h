// The table of built-in tools, and the one entry point that runs a call.
//
// The turn loop sees tools only through this header:
//
//   std::vector<llm::ToolSpec> specs = agent::tool_specs();   // for the request
//   const ToolDescriptor* t = agent::find_tool(call.name);     // read_only?
//   ToolPreview p = TRY(agent::preview_tool(ctx, call.name, call.arguments));
//   auto run = agent::start_tool(ctx, call.name, call.arguments,
//                                [&](ToolResult r) { ... });  // later, on the loop
//
// start_tool never fails: an unknown tool, arguments that are not JSON or not
// an object, or arguments of the wrong shape all come back through the
// Completion as error results the model can act on.
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

// Null when no tool has that name.
const ToolDescriptor* find_tool(std::string_view name);

// The tool list as a provider request wants it. Borrows static strings.
std::vector<llm::ToolSpec> tool_specs();

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
