// The built-in tools' descriptors, one per file in src/agent/tools/, and the
// helper that delivers a synchronous tool's result on the next loop round.
#pragma once

#include <memory>

#include "agent/tools/tool.h"

namespace ik::agent::internal {

extern const ToolDescriptor bash_tool;
extern const ToolDescriptor read_file_tool;
extern const ToolDescriptor write_file_tool;
extern const ToolDescriptor edit_file_tool;
extern const ToolDescriptor list_dir_tool;
extern const ToolDescriptor glob_tool;
extern const ToolDescriptor grep_tool;
extern const ToolDescriptor skill_tool;
extern const ToolDescriptor process_output_tool;
extern const ToolDescriptor process_input_tool;
extern const ToolDescriptor process_kill_tool;
extern const ToolDescriptor todo_tool;
extern const ToolDescriptor web_fetch_tool;
extern const ToolDescriptor task_tool;
extern const ToolDescriptor agent_send_tool;
extern const ToolDescriptor agent_wait_tool;
extern const ToolDescriptor agent_kill_tool;

// A ToolRun that calls `done(result)` from the loop on its next round, unless
// destroyed first.
std::unique_ptr<ToolRun> deliver_later(Loop& loop, ToolResult result, Completion done);

} // namespace ik::agent::internal
