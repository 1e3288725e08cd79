// `ik -p "/greet world"`: a headless prompt that names a custom command
// (agent/ext/custom_commands.h) runs it — the file's text, arguments
// substituted, @file includes attached, !`cmd` expansions run under the
// headless approval rules — instead of sending the slash line as typed. A
// prompt naming no custom command (a built-in, or nothing) is sent as typed.
//
//   auto named = find_headless_command(loop, prompt, cwd);        // before prepare()
//   if (named && named->command.model.size() && !options.model) options.model = named->command.model;
//   ... session created ...
//   std::string text = TRY(expand_headless_command(loop, *named, deps));
//
// Owns what it returns.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "agent/ext/custom_commands.h"
#include "agent/ext/shell_expansion.h"
#include "core/loop.h"
#include "core/result.h"

namespace ik::app {

struct HeadlessCommand {
    agent::CustomCommand command;
    std::string args;
};

// Scans the command directories for `cwd`'s project (notes go to stderr)
// when `prompt` starts with '/'; nullopt when it names no custom command.
std::optional<HeadlessCommand> find_headless_command(
    Loop& loop, std::string_view prompt, const std::filesystem::path& cwd);

// Expands the command, running the loop until the expansion is done; notes
// and attachments are reported through deps.observer. interrupted when
// `signal_seen` becomes non-zero meanwhile (the running command is stopped).
Result<std::string> expand_headless_command(
    const HeadlessCommand& named, agent::ExpansionDeps deps, const int& signal_seen);

} // namespace ik::app
