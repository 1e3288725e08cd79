// MCP prompts as slash commands: /mcp__<server>__<prompt> (mcp/naming.h's
// spelling, as for tools) for every prompt a running server lists.
//
// The commands follow the servers: mcp_prompt_commands() rebuilds its list
// when the manager's generation changes (a server became ready, crashed or
// announced prompts/list_changed), so find_command(), the REPL's `/` menu
// and /help see them after the built-in and custom commands. Superseded
// lists are kept (a menu may still point into one): they are small and
// change rarely.
//
// Arguments: `name=value` words set the argument of that name; other words
// fill the prompt's arguments in the order the server lists them, and the
// last one takes the rest of the line. Quotes ('…' or "…") keep spaces in a
// word: /mcp__calc__explain topic="tail calls" depth=2, or
// /mcp__calc__explain recursion. A missing required argument or an unknown
// name is an error that shows the usage.
//
// Running one sends prompts/get and makes the messages' text the user's
// message (mcp/resources.h: other content becomes a note).
//
//   if (command->mcp_prompt) run_mcp_prompt(host, *command->mcp_prompt, args);
//
// Owns the installed descriptors (static storage); callbacks borrow the host.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/commands/command.h"
#include "core/loop.h"
#include "mcp/server.h"

namespace ik::app {

struct McpPromptRef {
    std::string server;
    std::string prompt; // as the server names it
    std::string command; // mcp__server__prompt
    std::string usage; // "topic [depth]"
    std::string help;
    std::vector<mcp::PromptArgument> arguments;
};

// The current prompts' commands (none without MCP servers).
std::span<const SlashCommand> mcp_prompt_commands();

// The prompts/get arguments object (JSON text) for what was typed.
Result<std::string> mcp_prompt_arguments(const McpPromptRef& prompt, std::string_view typed);

// Gets the prompt's text; `done` runs once, from the loop.
void get_mcp_prompt(
    const McpPromptRef& prompt, std::string_view typed, std::function<void(Result<std::string> text)> done);

// The REPL: gets the prompt and sends its text as the user's message.
void run_mcp_prompt(CommandHost& host, const McpPromptRef& prompt, std::string_view typed);

// Headless: when `line` names an MCP prompt, its text (running the loop
// until it arrives, or interrupted when `signal_seen` becomes non-zero);
// nullopt when it names none.
std::optional<Result<std::string>> headless_mcp_prompt(Loop& loop, std::string_view line, const int& signal_seen);

} // namespace ik::app
