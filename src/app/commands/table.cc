#include <array>
#include <type_traits>

#include "app/commands/command.h"
#include "app/commands/custom.h"
#include "app/commands/internal/all.h"
#include "app/commands/mcp_prompts.h"

namespace ik::app {
namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

// Adding a command: its line here; every size follows from this list.
const auto& table()
{
    static const auto all = std::to_array<const SlashCommand*>({
        &slash::help,
        &slash::clear,
        &slash::mark,
        &slash::rewind,
        &slash::model,
        &slash::system,
        &slash::mem,
        &slash::sessions,
        &slash::resume,
        &slash::usage,
        &slash::context,
        &slash::compact,
        &slash::hooks,
        &slash::mcp,
        &slash::init,
        &slash::copy,
        &slash::ps,
        &slash::todo,
        &slash::exit,
        &slash::undo,
        &slash::checkpoints,
        &slash::agents,
    });
    return all;
}

} // namespace

std::optional<ParsedCommand> parse_command(std::string_view line)
{
    line = trim(line);
    if (line.size() < 2 || line.front() != '/' || is_space(line[1]))
        return std::nullopt;
    line.remove_prefix(1);
    size_t end = 0;
    while (end < line.size() && !is_space(line[end]))
        ++end;
    return ParsedCommand{ line.substr(0, end), trim(line.substr(end)) };
}

std::span<const SlashCommand> commands()
{
    // The descriptors live in separate translation units; copy them once
    // into a contiguous table (after static initialisation is complete).
    // As many as table() holds: the count is written once, there.
    using Table = std::remove_cvref_t<decltype(table())>;
    static const std::array<SlashCommand, std::tuple_size_v<Table>> all = [] {
        std::array<SlashCommand, std::tuple_size_v<Table>> out{};
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = *table()[i];
        return out;
    }();
    return all;
}

const SlashCommand* find_command(std::string_view name)
{
    for (const SlashCommand& c : commands())
        if (c.name == name || (!c.alias.empty() && c.alias == name))
            return &c;
    for (const SlashCommand& c : custom_commands())
        if (c.name == name)
            return &c;
    for (const SlashCommand& c : mcp_prompt_commands())
        if (c.name == name)
            return &c;
    return nullptr;
}

Error usage_error(const SlashCommand& command)
{
    if (command.args.empty())
        return Error::make(ErrorCode::invalid_argument, "usage: /{} (takes no arguments)", command.name);
    return Error::make(ErrorCode::invalid_argument, "usage: /{} {}", command.name, command.args);
}

} // namespace ik::app
