// Slash commands: one descriptor per command, one file per command, one table.
//
// A line typed at the prompt that starts with '/' is a command. parse_command()
// splits it into a name and the rest (the arguments, trimmed); find_command()
// looks the name up in the table (commands()). Each command's run function
// gets a CommandHost — the REPL, or a test double — through which it reaches
// the session, the store and the scrollback; it never touches the terminal.
// A run function returns an error for bad arguments or a failure; the REPL
// shows its message as one line. The REPL records every command line in the
// store (Session::record_command) before running it, known or not.
//
//   auto parsed = parse_command("/mark before-refactor");  // {"mark", "before-refactor"}
//   if (const SlashCommand* c = find_command(parsed->name)) TRY(c->run(host, parsed->args));
//
// Descriptors are constants with static storage; nothing here owns memory.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "llm/catalog.h"

namespace ik::agent {
class Session;
struct CustomCommand;
} // namespace ik::agent
namespace ik::store {
class Store;
}

namespace ik::app {

struct McpPromptRef;

// What /model switches to: the spec shown and recorded, and the provider's
// own model name sent in requests.
struct ModelChoice {
    std::string spec; // "anthropic/claude-sonnet-4-5"
    std::string model; // "claude-sonnet-4-5"
    std::optional<llm::ModelLimits> limits{}; // its window and prices (llm/catalog.h); none: keep the current
};

enum class Tone { normal, dim, error };

// One entry of a list the user picks from (/model, /resume without arguments).
struct PickItem {
    std::string label; // one line, as shown
    std::string value; // what the choice means ("openai/gpt-4.1", a session id)
};

// What a command may act on. Implemented by the REPL.
class CommandHost {
public:
    virtual ~CommandHost() = default;
    virtual agent::Session& session() = 0;
    virtual store::Store& store() = 0;
    // Appends text (one or more lines) to the scrollback.
    virtual void print(std::string_view text, Tone tone = Tone::normal) = 0;
    // Empties the scrollback (the session window is cleared separately).
    virtual void clear_scrollback() = 0;
    // Resolves "provider/model"; config errors for unknown names.
    virtual Result<ModelChoice> resolve_model(std::string_view spec) = 0;
    // Replaces the session with the stored one `id` (a full id).
    virtual Result<void> resume(std::string_view id) = 0;
    // Instructions added after ik's own system prompt (what --system and the
    // config's `system` give at start); empty: none.
    virtual void set_extra_instructions(std::string text) = 0;
    virtual std::string_view extra_instructions() const = 0;
    // Sends `text` to the model as if the user had typed it (/init).
    virtual Result<void> send_prompt(std::string text) = 0;
    // Shows `items` to choose from (the one at `selected` highlighted);
    // `chosen` runs with the chosen item, and its error is shown. Closing the
    // list without choosing does nothing.
    virtual void pick(std::string title, std::vector<PickItem> items, size_t selected,
        std::function<Result<void>(const PickItem&)> chosen)
        = 0;
    // Puts `text` on the terminal's clipboard (OSC 52).
    virtual Result<void> copy_to_clipboard(std::string_view text) = 0;
    virtual void quit() = 0;
};

struct SlashCommand {
    std::string_view name; // without the slash
    std::string_view args; // usage of the arguments ("[label]", "ID"); empty: none
    std::string_view help; // one line
    Result<void> (*run)(CommandHost& host, std::string_view args);
    // May run while a reply streams (it only reads, or quits); the others
    // wait until the turn ends.
    bool busy_safe = false;
    std::string_view alias{}; // another name find_command() knows ("quit" for exit)
    // A custom command's file (app/commands/custom.h): the front end expands
    // and sends it instead of calling `run`. Null for the built-in ones.
    const agent::CustomCommand* custom = nullptr;
    // An MCP server's prompt (app/commands/mcp_prompts.h): run by the front
    // end with run_mcp_prompt(). Null for the others.
    const McpPromptRef* mcp_prompt = nullptr;
};

struct ParsedCommand {
    std::string_view name;
    std::string_view args; // trimmed; may be empty
};

// "/name args…" -> {name, args}; nullopt when `line` does not start with '/'
// or the name is empty ("/", "/ x"). Views borrow `line`.
std::optional<ParsedCommand> parse_command(std::string_view line);

// The built-in table, in the order /help lists it.
std::span<const SlashCommand> commands();
// A built-in command, else a custom one (custom.h); null: neither.
const SlashCommand* find_command(std::string_view name);

// The error for a command used with arguments it does not take, or without
// ones it needs: "usage: /resume ID".
Error usage_error(const SlashCommand& command);

} // namespace ik::app
