#include "app/commands/completion.h"

#include <algorithm>

#include "app/commands/custom.h"
#include "app/commands/mcp_prompts.h"
#include "core/edit_distance.h"

namespace ik::app {

std::vector<const SlashCommand*> commands_with_prefix(std::string_view prefix)
{
    std::vector<const SlashCommand*> out;
    for (const SlashCommand& c : commands())
        if (c.name.starts_with(prefix) || (!c.alias.empty() && c.alias.starts_with(prefix)))
            out.push_back(&c);
    for (const SlashCommand& c : custom_commands())
        if (c.name.starts_with(prefix))
            out.push_back(&c);
    for (const SlashCommand& c : mcp_prompt_commands())
        if (c.name.starts_with(prefix))
            out.push_back(&c);
    return out;
}

const SlashCommand* suggest_command(std::string_view name)
{
    if (name.empty())
        return nullptr;
    const SlashCommand* best = nullptr;
    size_t best_distance = 3; // at most two edits
    auto consider = [&](const SlashCommand& c) {
        for (std::string_view candidate : { c.name, c.alias }) {
            if (candidate.empty())
                continue;
            size_t d = edit_distance(name, candidate);
            if (d < best_distance && d < name.size()) {
                best = &c;
                best_distance = d;
            }
        }
    };
    for (const SlashCommand& c : commands())
        consider(c);
    for (const SlashCommand& c : custom_commands())
        consider(c);
    for (const SlashCommand& c : mcp_prompt_commands())
        consider(c);
    if (best)
        return best;
    auto prefixed = commands_with_prefix(name);
    return prefixed.size() == 1 ? prefixed.front() : nullptr;
}

} // namespace ik::app
