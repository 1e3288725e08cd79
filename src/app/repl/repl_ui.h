// ReplUi — the REPL without a terminal: the session's observer and the
// slash commands' host, wiring four parts that each own one role:
//
//   InputController  keys -> edits and actions (editor, history, Ctrl-C arming)
//   ReplView         frames and their timing (screen, frame timer, spinner)
//   Transcript       what goes into the scrollback, in order (reply stream, notices, tool blocks)
//   ApprovalPrompt   a tool call waiting for y / n / a (whole command, scrollable)
//
// ReplUi decides what a submitted line means (prompt or command), keeps the
// figures of the status line, and turns the session's reports into
// transcript entries (tool results through tool_outcome.h, the one adapter
// that reads tool kinds and result states).
//
// The terminal side is injected: frames go to a tui::ByteSink, the size is
// set by the caller (SIGWINCH), and Ctrl-Z calls a callback. run_repl()
// plugs in the real Terminal; tests plug in a recording sink and feed()
// bytes as if typed.
//
//   ReplUi ui(deps, sink, {.suspend = [&] { term->suspend(); }});
//   TRY(ui.start());                 // opens (or resumes) the session
//   ui.set_size(term->size());
//   ... loop.watch(tty, POLLIN, [&] { ui.read_input(tty); }) ...
//   loop.run_until([&] { return ui.done(); });
//
// Owns: the session and the four parts. Borrows: everything in ReplDeps and the sink.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/ext/shell_expansion.h"
#include "agent/session.h"
#include "app/commands/command.h"
#include "app/repl/approval_prompt.h"
#include "app/repl/input_controller.h"
#include "app/repl/picker.h"
#include "app/repl/repl.h"
#include "app/repl/repl_view.h"
#include "app/repl/shell_command.h"
#include "app/repl/todo_rows.h"
#include "app/repl/transcript.h"

namespace ik::app {

class ReplUi final : public agent::SessionObserver, public CommandHost, private InputController::Host {
public:
    struct Hooks {
        std::function<void()> suspend; // Ctrl-Z
    };

    ReplUi(ReplDeps& deps, tui::ByteSink& sink, Hooks hooks);
    ~ReplUi() override;
    ReplUi(const ReplUi&) = delete;
    ReplUi& operator=(const ReplUi&) = delete;

    // Opens the history and the session (resuming deps.resume_id), shows a
    // greeting, and draws the first frame.
    Result<void> start();

    // Input bytes as one read from the tty: every key applied, then one
    // frame if due (a key that changed the input is due at once, screen.h).
    void feed(std::string_view bytes);
    // Reads everything `fd` has now (a big paste takes several reads; the
    // decoder stitches them) and feeds it as one read: a burst of keys is
    // one frame, not one per chunk. Quits at end of file.
    void read_input(int fd);
    // A new terminal size: the next frame (drawn at once) reflows.
    void set_size(tui::Size size) { m_view.set_size(size); }
    // The terminal was taken over by someone else (fg after Ctrl-Z): redraw all.
    void invalidate() override { m_view.invalidate(); }
    // Draws a frame now if one is due; arms the timer otherwise.
    void pump() { m_view.pump(); }
    // Presents a frame now, whatever the rate cap says (tests, resize).
    void draw_now() { m_view.draw_now(); }

    bool done() const { return m_done; }
    // What the normal screen keeps after the REPL ends: the session, what it
    // cost, and the line that resumes it ("ik -r 3f2a1b2c"). Empty when
    // nothing was stored.
    std::string exit_summary();
    // Stops a running turn and waits (on the loop) for it to end, so the
    // session can be destroyed cleanly. Call before destruction.
    void shutdown();

    // For tests and the perf harness.
    const tui::Screen& screen() const { return m_view.screen(); }
    const tui::Scrollback& scrollback() const { return m_transcript.scrollback(); }
    std::string scrollback_text() const { return m_transcript.text(); }
    std::string frame_text() const { return m_view.frame_text(); }
    bool approval_pending() const override { return m_approval.pending(); }
    const tui::Editor& editor() const { return m_input.editor(); }
    // Keep the text of each frame for frame_text() (tests).
    void set_record_frames(bool on) { m_view.record_frames = on; }

    // agent::SessionObserver
    void on_model_event(const llm::Event& event) override;
    void on_round_start(int round) override;
    void on_tool_start(const llm::ToolCall& call, const agent::ApprovalRequest& request) override;
    void on_tool_denied(const llm::ToolCall& call, const agent::Decision& decision, std::string_view message) override;
    void on_tool_result(const llm::ToolCall& call, const agent::ToolResult& result) override;
    void on_turn_end(const agent::TurnOutcome& outcome) override;
    void on_notice(std::string_view text) override;
    void on_sources(std::span<const store::SourceRecord> sources) override;
    bool can_ask() const override { return true; }
    void ask_approval(const agent::ApprovalRequest& request, std::function<void(agent::UserAnswer)> answer) override;

    // CommandHost
    agent::Session& session() override { return *m_session; }
    store::Store& store() override { return m_deps.store; }
    void print(std::string_view text, Tone tone = Tone::normal) override;
    void clear_scrollback() override;
    Result<ModelChoice> resolve_model(std::string_view spec) override;
    Result<void> resume(std::string_view id) override;
    void set_extra_instructions(std::string text) override;
    std::string_view extra_instructions() const override { return m_extra_instructions; }
    Result<void> send_prompt(std::string text) override;
    Result<void> copy_to_clipboard(std::string_view text) override;
    void pick(std::string title, std::vector<PickItem> items, size_t selected,
        std::function<Result<void>(const PickItem&)> chosen) override;
    void quit() override { m_done = true; }

private:
    struct RunningTool {
        std::string command;
        std::string denied; // why, when the call was denied
    };

    // InputController::Host
    // A reply, a tool, a !command or a custom command's expansion is running.
    bool busy() const override { return (m_session && m_session->busy()) || m_shell.running() || m_expansion; }
    void approval_key(const tui::KeyEvent& key) override;
    void interrupt() override;
    void submit(std::string text, std::string_view shown) override;
    void submit(const std::string& text) { submit(text, text); }
    void scroll(const tui::InputAction& action) override;
    void suspend() override;
    void warn(std::string_view text) override { print(text, Tone::dim); }
    void input_changed() override { m_view.redraw(tui::Screen::Redraw::input); }
    void next_mode() override;
    void toggle_expanded() override
    {
        m_transcript.toggle_expanded();
        output_changed();
    }
    bool recall_queued(tui::Editor& editor) override;
    bool picker_open() const override { return m_picker.active(); }
    void picker_key(const tui::KeyEvent& key) override;

    Result<void> open_session(std::string_view resume_id);
    void run_command(std::string_view line);
    // A custom command: expanded (repl_custom.cc), then sent like a prompt.
    void run_custom(const agent::CustomCommand& command, std::string_view args);
    void install_commands();
    // Back to the model a custom command's `model:` replaced for its turn.
    void restore_model();
    // `!command` (repl_shell.cc): runs it, shows its block, adds it to the conversation.
    void run_shell(std::string_view input);
    void shell_done(const std::string& command, const agent::ToolResult& result);
    // A resumed `!command` message shown as it was live; false for any other text.
    bool show_shell_message(std::string_view text);
    void answer_approval(agent::UserAnswer answer);
    void show_history();
    void output_changed() { m_view.redraw(tui::Screen::Redraw::output); }
    void fill(ViewModel& model);
    void fill_status(tui::StatusInfo& status);
    void fill_panel(int cols, tui::PanelView& panel);
    // Sends what was queued while the turn ran, once the session is idle.
    void drain_queue();

    ReplDeps& m_deps;
    Hooks m_hooks;
    Transcript m_transcript;
    InputController m_input;
    ReplView m_view;
    ApprovalPrompt m_approval;
    Picker m_picker;

    std::unique_ptr<agent::Session> m_session;
    // A custom command's !`cmd` expansions while they run (before m_session goes).
    std::unique_ptr<agent::ShellExpansion> m_expansion;
    std::optional<std::string> m_restore_model; // the spec to go back to after the turn
    bool m_done = false;
    // The system prompt without the extra instructions (--system, /system).
    std::string m_base_system_prompt;
    std::string m_extra_instructions;

    // Status figures while a round runs: the session adds a round's usage
    // when the round ends, so until then the status adds this round's own.
    llm::Usage m_round_usage;
    llm::Usage m_usage_at_round_start;
    size_t m_round_text_bytes = 0; // streamed this round: an estimate until usage arrives
    size_t m_request_bytes = 0; // system prompt + window when the round started
    std::string m_cost_text; // the status line's "$0.12", which StatusInfo borrows
    bool m_round_running = false;

    std::map<std::string, RunningTool, std::less<>> m_tools; // by call id
    ShellCommand m_shell; // the running !command, if any
    std::string m_note; // a transient hint for the status line

    // Prompts typed while a turn ran, sent together when it ends (Esc or
    // Ctrl-C gives them back to the input instead).
    std::vector<std::string> m_queued;
    std::optional<Loop::TimerId> m_drain_timer;
    std::vector<std::string> m_panel_rows;
    std::vector<std::string_view> m_panel_views;
    TodoRows m_todo_rows; // the session's task list, above the input
    // Shift-Tab cycles ask and auto-edit, and yolo only when ik started in it.
    agent::ApprovalMode m_started_mode = agent::ApprovalMode::ask;
    int m_prompts = 0; // sent in this REPL, for the exit summary
};

} // namespace ik::app
