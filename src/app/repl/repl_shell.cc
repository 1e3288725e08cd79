// ReplUi: `!command` — the user's own shell command (shell_command.h), shown
// as a tool block and added to the conversation as the user's message.
//
// Not while a reply runs: the command stays in the input with a notice (a
// queued command would run at a moment the user did not see coming, against
// files the turn may be changing). While it runs, the REPL is busy: prompts
// are queued as during a reply, and Ctrl-C or Esc stops it.
#include <fmt/format.h>

#include "app/repl/repl_ui.h"
#include "app/repl/tool_outcome.h"

namespace ik::app {

void ReplUi::run_shell(std::string_view input)
{
    std::string command(ShellCommand::command_of(input));
    if (command.empty()) {
        print("Type a command after the !, like !git status.", Tone::dim);
        return;
    }
    if (busy()) {
        m_input.editor().set_text(input);
        print("A !command waits until the reply is done (Esc stops it); it stays in the input.", Tone::error);
        return;
    }
    m_transcript.user_prompt(fmt::format("!{}", command));
    auto started = m_shell.start(m_deps.loop, m_session->settings(), command,
        [this, command](const agent::ToolResult& result) { shell_done(command, result); });
    if (!started) {
        print(started.error().to_string(), Tone::error);
        return;
    }
    m_view.set_waiting(true, fmt::format("Running !{}", command.substr(0, command.find('\n'))));
    output_changed();
}

void ReplUi::shell_done(const std::string& command, const agent::ToolResult& result)
{
    m_view.set_waiting(false);
    ToolOutcome outcome = tool_outcome(ToolKind::runs, result);
    tui::ToolCallView view;
    view.name = "shell";
    view.state = block_state(outcome);
    view.exit_code = outcome.exit_code;
    view.detail = outcome.summary;
    view.output = outcome.output;
    m_transcript.tool_block(view);
    // Kept even when cancelled: the user saw that output, and the model
    // should know what the user saw.
    if (auto r = m_session->add_user_message(ShellCommand::message(command, result)); !r)
        print(r.error().to_string(), Tone::error);
    output_changed();
    drain_queue();
    input_changed();
}

bool ReplUi::show_shell_message(std::string_view text)
{
    auto parsed = ShellCommand::parse_message(text);
    if (!parsed)
        return false;
    m_transcript.user_prompt(fmt::format("!{}", parsed->command));
    // The stored text is what the model read: the output with the tool's
    // footer line ("[exit code 0]"), shown as it is.
    tui::ToolCallView view;
    view.name = "shell";
    view.state = tui::ToolBlockState::ok;
    view.detail = "output as stored";
    view.output = parsed->output;
    m_transcript.tool_block(view);
    return true;
}

} // namespace ik::app
