// ShellCommand — the REPL's `!command`: a shell command the user runs
// directly, without asking the model.
//
// It goes through the bash tool itself (agent/tools/bash.cc via start_tool),
// so it runs exactly where the model's commands run: /bin/bash -c in the
// session's directory, in its own process group, inside the session's OS
// sandbox (none with --sandbox off), with the filtered environment, stdin from
// /dev/null and each output stream capped at the tool's cap. The user typed
// it, so no approval is asked. cancel() (Ctrl-C, Esc) kills the process
// group; the Done callback then gets the tool's "cancelled" result.
//
// message() is what the conversation keeps: the command and its output as the
// user's message, so the model sees both on the next turn (and a resume
// replays them); parse_message() reads one back for the resumed transcript.
//
//   ShellCommand shell;
//   TRY(shell.start(loop, session.settings(), "git status", [&](const agent::ToolResult& r) { ... }));
//
// Owns the running call (destroying it kills the command, and Done is then
// never called). Borrows the loop and the sandbox (from the settings) while a
// command runs.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/session_types.h"
#include "agent/tools/tool.h"
#include "core/loop.h"

namespace ik::app {

class ShellCommand {
public:
    using Done = std::function<void(const agent::ToolResult& result)>;
    static constexpr int64_t timeout_ms = 600'000; // the bash tool's maximum; Ctrl-C stops it sooner

    // "!ls" (the prefix of shell mode); the command is the rest, trimmed.
    static bool is_shell(std::string_view input) { return input.starts_with('!'); }
    static std::string_view command_of(std::string_view input);

    // The conversation's user message for `command` and its result.
    static std::string message(std::string_view command, const agent::ToolResult& result);
    struct Parsed {
        std::string_view command;
        std::string_view output; // the tool's content: output and its bracketed footer
    };
    // A message made by message(), taken apart; nullopt for any other text.
    static std::optional<Parsed> parse_message(std::string_view text);

    ShellCommand() = default;
    ShellCommand(const ShellCommand&) = delete;
    ShellCommand& operator=(const ShellCommand&) = delete;

    // Starts `command`; `done` runs later, from the loop, exactly once.
    Result<void> start(Loop& loop, const agent::SessionSettings& settings, std::string_view command, Done done);
    bool running() const { return m_run != nullptr; }
    void cancel()
    {
        if (m_run)
            m_run->cancel();
    }

private:
    std::optional<agent::ToolContext> m_context;
    std::unique_ptr<agent::ToolRun> m_run;
};

} // namespace ik::app
