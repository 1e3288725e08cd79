// The custom commands (agent/ext/custom_commands.h) as slash commands: the
// scan is installed once at start, after which find_command(), completion
// and /help see its commands after the built-in ones. A built-in command
// wins over a file of the same name: such a file is left out, with a note.
//
//   auto notes = install_custom_commands(agent::scan_commands(loop, sources));
//   const SlashCommand* c = find_command("greet");   // c->custom names the file
//
// Owns the installed commands (static storage, replaced only by another
// install); the descriptors it hands out borrow them.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "agent/ext/custom_commands.h"
#include "app/commands/command.h"

namespace ik::app {

// Replaces the installed commands; returns the scan's notes plus one per
// file shadowed by a built-in command. Not while descriptors are in use.
std::vector<std::string> install_custom_commands(agent::CommandScan scan);

// The installed commands' descriptors, by name.
std::span<const SlashCommand> custom_commands();

// The scan sources for a session in `cwd`: the project root and the user's
// commands directory ($XDG_CONFIG_HOME/ik/commands).
agent::CommandSources command_sources(const std::filesystem::path& project_root);

} // namespace ik::app
