#include "agent/ext/command_run.h"

#include <fmt/format.h>

#include "agent/ext/command_text.h"
#include "agent/mentions.h"

namespace ik::agent {

Result<std::unique_ptr<ShellExpansion>> start_custom_command(
    ExpansionDeps deps, const CustomCommand& command, std::string_view args, std::function<void(CommandText)> done)
{
    std::string body = TRY_CONTEXT(load_command_body(deps.loop, command), "in /{}", command.name);
    std::string text = substitute_arguments(body, args);
    // Includes come from the command's own text and the typed arguments,
    // never from a command's output, so they are found before it runs.
    Mentions mentions = attach_mentions(text, deps.settings.approval, deps.loop, deps.settings.cwd);
    CommandText result;
    std::string files = mentions.text.substr(text.size());
    result.attached = std::move(mentions.attached);
    result.notes = std::move(mentions.notes);
    result.images = std::move(mentions.images);
    std::vector<std::string> ignored;
    std::vector<ApprovalRule> rules = expansion_allow_rules(command.allowed_tools, &ignored);
    for (const std::string& i : ignored)
        result.notes.push_back(
            fmt::format("/{}: allowed-tools entry '{}' is not applied (ik applies only Bash(…) entries, to the "
                        "command's !`…` expansions)",
                command.name, i));
    return ShellExpansion::start(deps, std::move(text), std::move(rules),
        [result = std::move(result), files = std::move(files), done = std::move(done)](std::string expanded) mutable {
            result.text = std::move(expanded) + files;
            auto d = std::move(done);
            d(std::move(result));
        });
}

} // namespace ik::agent
