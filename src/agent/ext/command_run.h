// Running a custom command (custom_commands.h): from the typed arguments to
// the text the model receives, the same in the REPL and headless.
//
//   1. the file's body, read again, confined and capped;
//   2. $ARGUMENTS and $1…$9 substituted (command_text.h);
//   3. `@path` includes in that text attached like a prompt's mentions
//      (mentions.h: project files only, capped, text only);
//   4. the `!`cmd`` expansions run through approval and the sandbox
//      (shell_expansion.h), their output put in place.
// Included files and command output are not expanded again.
//
//   auto run = TRY(start_custom_command(deps, command, "world", [&](CommandText t) { session.submit(t.text); }));
//
// The returned handle must be kept until `done` runs (destroying it stops
// the expansion without calling `done`). Owns what it returns.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/ext/custom_commands.h"
#include "agent/ext/shell_expansion.h"
#include "agent/tools/tool_image.h"
#include "core/result.h"

namespace ik::agent {

struct CommandText {
    std::string text; // what to send
    std::vector<std::string> attached; // "src/main.cc (120 lines)"
    std::vector<std::string> notes; // includes left out, allowed-tools entries not applied
    std::vector<ToolImage> images; // @path images, for the user message
};

// Fails (from the loop never) when the file cannot be read or parsed now.
Result<std::unique_ptr<ShellExpansion>> start_custom_command(
    ExpansionDeps deps, const CustomCommand& command, std::string_view args, std::function<void(CommandText)> done);

} // namespace ik::agent
