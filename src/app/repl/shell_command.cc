#include "app/repl/shell_command.h"

#include <fmt/format.h>

#include "agent/tools/registry.h"

namespace ik::app {
namespace {

// The line between the command and its output in the message: it tells the
// model who ran the command, and lets a resume show the block again.
constexpr std::string_view ran_by_user = "[the user ran this shell command in the session's directory; its output:]\n";

} // namespace

std::string_view ShellCommand::command_of(std::string_view input)
{
    if (input.starts_with('!'))
        input.remove_prefix(1);
    size_t first = input.find_first_not_of(" \t\n");
    if (first == std::string_view::npos)
        return {};
    size_t last = input.find_last_not_of(" \t\n");
    return input.substr(first, last - first + 1);
}

std::string ShellCommand::message(std::string_view command, const agent::ToolResult& result)
{
    return fmt::format("!{}\n{}{}", command, ran_by_user, result.content);
}

std::optional<ShellCommand::Parsed> ShellCommand::parse_message(std::string_view text)
{
    if (!text.starts_with('!'))
        return std::nullopt;
    size_t marker = text.find(fmt::format("\n{}", ran_by_user));
    if (marker == std::string_view::npos)
        return std::nullopt;
    return Parsed{ .command = text.substr(1, marker - 1), .output = text.substr(marker + 1 + ran_by_user.size()) };
}

Result<void> ShellCommand::start(
    Loop& loop, const agent::SessionSettings& settings, std::string_view command, Done done)
{
    if (m_run)
        return fail(ErrorCode::invalid_argument, "a shell command is already running");
    const agent::ToolDescriptor* bash = agent::find_tool("bash");
    if (!bash)
        return fail(ErrorCode::internal, "the bash tool is missing");
    m_context.emplace(agent::ToolContext{ .loop = loop,
        .cwd = settings.cwd,
        .sandbox = settings.sandbox.get(),
        .private_dirs = settings.approval.private_dirs,
        .beneath = {} });
    json::object args;
    args["command"] = command;
    args["timeout_ms"] = timeout_ms;
    m_run = agent::start_tool(*m_context, *bash, args, [this, done = std::move(done)](const agent::ToolResult& result) {
        // Keep the callback: resetting m_run destroys the lambda holding it.
        Done finish = done;
        m_run.reset();
        finish(result);
    });
    return {};
}

} // namespace ik::app
