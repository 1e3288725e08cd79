#include <fmt/format.h>

#include "agent/ext/custom_commands.h"
#include "app/commands/custom.h"
#include "app/commands/internal/all.h"
#include "app/commands/mcp_prompts.h"

namespace ik::app::slash {
namespace {

Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(help));
    std::string text = "Commands:";
    for (const SlashCommand& c : app::commands()) {
        std::string usage = fmt::format(
            "/{}{}{}{}{}", c.name, c.args.empty() ? "" : " ", c.args, c.alias.empty() ? "" : ", /", c.alias);
        text += fmt::format("\n  {:<24} {}", usage, c.help);
    }
    if (!custom_commands().empty()) {
        text += "\nCustom commands (Markdown files; a built-in command wins over a file of the same name):";
        for (const SlashCommand& c : custom_commands()) {
            std::string usage = fmt::format("/{}{}{}", c.name, c.args.empty() ? "" : " ", c.args);
            text += fmt::format("\n  {:<24} {} ({})", usage, c.help, c.custom->source);
        }
    }
    if (!mcp_prompt_commands().empty()) {
        text += "\nMCP prompts (name=value or positional arguments; the text becomes your message):";
        for (const SlashCommand& c : mcp_prompt_commands())
            text += fmt::format(
                "\n  {:<24} {}", fmt::format("/{}{}{}", c.name, c.args.empty() ? "" : " ", c.args), c.help);
    }
    text += "\nKeys: Enter send · Ctrl-J newline · Ctrl-C stop/clear/quit · Ctrl-D quit · PgUp/PgDn scroll";
    host.print(text);
    return {};
}

} // namespace

const SlashCommand help{ "help", "", "list commands and keys", run, true };

} // namespace ik::app::slash
