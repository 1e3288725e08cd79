// ReplUi — the REPL's state and behaviour, without a terminal.
//
// It is the session's observer (streamed text into a MarkdownStream, tool
// calls as compact blocks, notices dimmed, approvals as a y/n/a box) and the
// slash commands' host, and it turns input bytes into edits and actions
// (KeyDecoder -> InputHandler). It never draws on its own: every change only
// asks the Screen for a redraw, and one loop timer presents a frame when the
// rate cap says one is due — at most every 16 ms after a key press, every
// 50 ms while only streamed output changed — so a key press is drawn within
// one frame even while a reply streams, and a fast stream costs one write
// per frame, not per token.
//
// The terminal side is injected: frames go to an OutputSink, the size is
// set by the caller (SIGWINCH), and Ctrl-Z calls a callback. run_repl()
// plugs in the real Terminal; tests plug in a recording sink and feed()
// bytes as if typed.
//
//   ReplUi ui(deps, sink, {.suspend = [&] { term->suspend(); }});
//   TRY(ui.start());                 // opens (or resumes) the session
//   ui.set_size(term->size());
//   ... loop.watch(tty, POLLIN, [&] { ui.feed(read_bytes); }) ...
//   loop.run_until([&] { return ui.done(); });
//
// Owns: the session, the scrollback (a child arena of deps.arena), the
// editor and history, the screen, its loop timers (cancelled on destruction).
// Borrows: everything in ReplDeps and the sink.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/session.h"
#include "app/commands/command.h"
#include "app/repl.h"
#include "tui/editor.h"
#include "tui/history.h"
#include "tui/input_handler.h"
#include "tui/keys.h"
#include "tui/layout.h"
#include "tui/markdown_stream.h"
#include "tui/screen.h"
#include "tui/scrollback.h"

namespace ik::app {

class ReplUi final : public agent::SessionObserver, public CommandHost {
public:
    struct Hooks {
        std::function<void()> suspend; // Ctrl-Z
    };

    ReplUi(ReplDeps& deps, tui::OutputSink& sink, Hooks hooks);
    ~ReplUi() override;
    ReplUi(const ReplUi&) = delete;
    ReplUi& operator=(const ReplUi&) = delete;

    // Opens the history and the session (resuming deps.resume_id), shows a
    // greeting, and draws the first frame.
    Result<void> start();

    // Input bytes as read from the tty.
    void feed(std::string_view bytes);
    // A new terminal size: the next frame (drawn at once) reflows.
    void set_size(tui::Size size);
    // The terminal was taken over by someone else (fg after Ctrl-Z): redraw all.
    void invalidate();
    // Draws a frame now if one is due; arms the timer otherwise.
    void pump();
    // Presents a frame now, whatever the rate cap says (tests, resize).
    void draw_now();

    bool done() const { return m_done; }
    // Stops a running turn and waits (on the loop) for it to end, so the
    // session can be destroyed cleanly. Call before destruction.
    void shutdown();

    // For tests and the perf harness.
    const tui::Screen& screen() const { return m_screen; }
    const tui::Scrollback& scrollback() const { return *m_scrollback; }
    std::string scrollback_text() const;
    std::string frame_text() const { return m_last_frame; }
    bool approval_pending() const { return m_approval.has_value(); }
    const tui::Editor& editor() const { return m_editor; }
    // Keep the text of each frame for frame_text() (tests).
    bool record_frames = false;

    // agent::SessionObserver
    void on_model_event(const llm::Event& event) override;
    void on_round_start(int round) override;
    void on_tool_start(const llm::ToolCall& call, const agent::ApprovalRequest& request) override;
    void on_tool_denied(const llm::ToolCall& call, const agent::Decision& decision, std::string_view message) override;
    void on_tool_result(const llm::ToolCall& call, const agent::ToolResult& result) override;
    void on_turn_end(const agent::TurnOutcome& outcome) override;
    void on_notice(std::string_view text) override;
    bool can_ask() const override { return true; }
    void ask_approval(const agent::ApprovalRequest& request, std::function<void(agent::UserAnswer)> answer) override;

    // CommandHost
    agent::Session& session() override { return *m_session; }
    store::Store& store() override { return m_deps.store; }
    void print(std::string_view text, Tone tone = Tone::normal) override;
    void clear_scrollback() override;
    Result<ModelChoice> resolve_model(std::string_view spec) override;
    Result<void> resume(std::string_view id) override;
    void quit() override { m_done = true; }

private:
    struct PendingApproval {
        agent::ApprovalRequest request;
        std::function<void(agent::UserAnswer)> answer;
        std::string title;
    };
    struct RunningTool {
        std::string name;
        std::string command;
    };

    Result<void> open_session(std::string_view resume_id);
    void handle_key(const tui::KeyEvent& key);
    void handle_approval_key(const tui::KeyEvent& key);
    void answer_approval(agent::UserAnswer answer);
    void handle_action(tui::InputAction action);
    void submit(std::string text);
    void run_command(std::string_view line);
    void on_cancel_key();
    void scroll(const tui::InputAction& action);
    void end_reply();
    void end_thinking();
    void show_user_prompt(std::string_view text);
    void show_history();
    void set_waiting(bool waiting, std::string_view label = "Thinking");
    void tick_spinner();
    void redraw(tui::Screen::Redraw kind);
    void arm_timer();
    void on_timer();
    void draw();

    ReplDeps& m_deps;
    tui::OutputSink& m_sink;
    Hooks m_hooks;

    tui::Screen m_screen;
    std::unique_ptr<tui::Scrollback> m_scrollback;
    std::unique_ptr<tui::MarkdownStream> m_reply;
    tui::Editor m_editor;
    tui::History m_history;
    std::unique_ptr<tui::InputHandler> m_input;
    tui::KeyDecoder m_decoder;
    std::vector<tui::KeyEvent> m_keys;
    tui::Size m_size{ 24, 80 };

    std::unique_ptr<agent::Session> m_session;
    bool m_done = false;
    bool m_waiting = false;
    std::string m_spinner_label = "Thinking";
    std::chrono::steady_clock::time_point m_wait_started;
    bool m_in_reply = false;
    bool m_in_thinking = false;
    size_t m_thinking_bytes = 0;
    std::chrono::steady_clock::time_point m_thinking_started;
    llm::Usage m_round_usage; // the running round's usage (not yet in session().usage())
    std::map<std::string, RunningTool, std::less<>> m_tools; // by call id
    std::optional<PendingApproval> m_approval;
    bool m_ctrl_c_armed = false; // Ctrl-C on an empty line once: the next quits
    std::string m_note;

    std::optional<Loop::TimerId> m_timer;
    std::chrono::steady_clock::time_point m_timer_due;
    std::optional<Loop::TimerId> m_escape_timer;
    std::optional<Loop::TimerId> m_spinner_timer;
    tui::StyledLines m_lines; // scratch for print() and tool blocks
    std::string m_last_frame;
    std::vector<std::string> m_input_rows;
};

} // namespace ik::app
