// The one place the REPL reads what a tool is and how its call ended.
//
// Tool blocks and approval prompts need a tool's kind (does it read, edit,
// run a command, reach the network?) and a finished call's state (ran,
// denied, cancelled, failed) with its exit code. The state and exit code are
// ToolResult's typed fields, the kind the descriptor's. Nowhere in the REPL
// compares tool names, and nothing parses a display summary.
//
// Views borrow the ToolResult's strings; nothing here owns memory.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/tools/tool.h"
#include "tui/widgets.h"

namespace ik::app {

using ToolKind = agent::ToolKind;

using ToolState = agent::ToolState;

struct ToolOutcome {
    ToolState state = ToolState::ran;
    std::optional<int> exit_code; // a command that ran to its end
    std::string_view output; // what to show: footers and edit headers removed
    std::string_view summary; // "+1 -1 lines", "timed out after 5 s"; may be empty
};

ToolKind tool_kind(std::string_view tool_name);

// What a call acts on, for its block's title: the command or the path from
// its arguments (JSON), or the arguments themselves when they hold neither.
// Used for calls that never reached on_tool_start (denied ones).
std::string call_target(std::string_view arguments_json);

ToolOutcome tool_outcome(ToolKind kind, const agent::ToolResult& result);

// The colour and wording state of the call's block.
tui::ToolBlockState block_state(const ToolOutcome& outcome);

} // namespace ik::app
