// Which configured hook commands an event runs.
//
// A matcher is matched against the whole of ik's tool name and of Claude
// Code's name for the same tool (claude_tool_name()), so a settings file
// written for Claude Code ("Bash", "Edit|Write") selects the same tools here.
// The config validated every regular expression; one that still fails to
// compile selects nothing.
//
// Nothing here owns memory beyond the returned vector; the pointers borrow
// the settings, which must outlive them.
#pragma once

#include <string_view>
#include <vector>

#include "agent/hooks/hook_settings.h"

namespace ik::agent {

// "Bash" for bash, "Read" for read_file, …; empty for a tool Claude Code
// does not have.
std::string_view claude_tool_name(std::string_view ik_name);

// Does `matcher` select `subject` (a tool name, or SessionStart's source)?
bool matcher_selects(std::string_view matcher, std::string_view subject);

// The commands `event` runs for `subject` (the tool's name; the source for
// SessionStart; ignored for the other events), in config order.
std::vector<const HookCommand*> select_hooks(const HookSettings& settings, HookEvent event, std::string_view subject);

} // namespace ik::agent
