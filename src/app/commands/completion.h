// Completing and correcting slash-command names: what the REPL's command
// menu lists while a command is typed, and the "did you mean" of an unknown
// name. Pure functions over the table in command.h.
//
//   for (const SlashCommand* c : commands_with_prefix("co")) ...  // /context, /compact
//   suggest_command("comapct")                                     // &compact
//
// Returns pointers into the static table; owns nothing.
#pragma once

#include <string_view>
#include <vector>

#include "app/commands/command.h"

namespace ik::app {

// Commands whose name or alias starts with `prefix`, in the table's order;
// an empty prefix lists them all.
std::vector<const SlashCommand*> commands_with_prefix(std::string_view prefix);

// The command a mistyped `name` most likely meant: the closest name or alias
// within two edits (and fewer edits than the name's own length), or a
// command the name is a prefix of when only one has it. Null: no guess.
const SlashCommand* suggest_command(std::string_view name);

} // namespace ik::app
