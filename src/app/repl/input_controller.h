// InputController — the REPL's keyboard: bytes in, edits and actions out.
//
// It owns the line editor, the history and the key decoder, applies the
// key bindings (tui::InputHandler) and tells its Host what a key means
// beyond editing: submit this text, interrupt the reply, scroll, quit. Two
// pieces of state live here because they are about keys, not the session:
// the lone-Escape timer (an ESC is Escape unless a sequence follows soon)
// and the "Ctrl-C again to quit" arming, which expires after
// ctrl_c_window so a Ctrl-C much later never quits by surprise.
//
// While an approval is pending every key goes to Host::approval_key().
// While a command name is typed, the command menu (command_menu.h) takes
// Up, Down, Tab, Enter and Escape; while an @path is typed, the mention
// menu (mention_menu.h) does. Shift-Tab asks the host for the next
// approval mode; Ctrl-O expands the input's paste placeholders when it holds
// any, else switches the transcript's collapsed and expanded views; Up on an empty input while messages are queued asks
// the host to give the last one back for editing.
//
// Owns: editor, history, decoder, its timers (cancelled on destruction).
// Borrows: the loop and the host.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/repl/command_menu.h"
#include "app/repl/mention_menu.h"
#include "app/repl/pastes.h"
#include "core/loop.h"
#include "tui/editor.h"
#include "tui/history.h"
#include "tui/input_handler.h"
#include "tui/keys.h"
#include "tui/layout.h"

namespace ik::app {

class InputController {
public:
    static constexpr std::chrono::milliseconds ctrl_c_window{ 2000 };

    class Host {
    public:
        virtual ~Host() = default;
        virtual bool busy() const = 0; // a reply or tool is running
        virtual bool approval_pending() const = 0;
        virtual void approval_key(const tui::KeyEvent& key) = 0;
        virtual void interrupt() = 0; // stop the running turn
        // `text` is sent; `shown` is what the transcript shows (long pastes
        // as their placeholders, pastes.h).
        virtual void submit(std::string text, std::string_view shown) = 0;
        virtual void scroll(const tui::InputAction& action) = 0;
        virtual void quit() = 0;
        virtual void suspend() = 0;
        virtual void invalidate() = 0; // Ctrl-L
        virtual void warn(std::string_view text) = 0;
        virtual void input_changed() = 0; // the input zone or the note changed
        virtual void next_mode() = 0; // Shift-Tab
        // Ctrl-O with no paste placeholder in the input: switch the
        // transcript between collapsed and expanded tool output and thinking.
        virtual void toggle_expanded() = 0;
        // Up on an empty input: puts the last queued message back into
        // `editor` for editing; false when nothing is queued.
        virtual bool recall_queued(tui::Editor& editor) = 0;
        // A picker (picker.h) is open: every key goes to picker_key().
        virtual bool picker_open() const = 0;
        virtual void picker_key(const tui::KeyEvent& key) = 0;
    };

    InputController(Loop& loop, Host& host);
    ~InputController();
    InputController(const InputController&) = delete;
    InputController& operator=(const InputController&) = delete;

    // Opens the history file (empty path: none). A failure is returned for
    // the REPL to show; input works without history.
    Result<void> open_history(const std::string& path);

    void feed(std::string_view bytes);

    tui::Editor& editor() { return m_editor; }
    const tui::Editor& editor() const { return m_editor; }
    bool searching() const { return m_input && m_input->searching(); }
    // "Ctrl-C again to quit" while armed; else empty.
    std::string_view note() const { return m_ctrl_c_armed ? std::string_view("Ctrl-C again to quit") : ""; }

    // The input zone at `cols` terminal columns: rows and cursor, into
    // `view` (which then borrows this controller's row buffers until the next call).
    void layout(int cols, tui::InputView& view);
    // The command menu's rows while it is open (else leaves `panel` empty).
    void menu(int cols, tui::PanelView& panel)
    {
        if (m_menu.open())
            m_menu.fill(cols, panel);
        else
            m_mentions.fill(cols, panel);
    }
    bool menu_open() const { return m_menu.open() || m_mentions.open(); }
    // Where @-mentions are completed from (mention_menu.h).
    void set_project_root(std::filesystem::path root) { m_mentions.set_root(std::move(root)); }

private:
    void handle_key(const tui::KeyEvent& key);
    bool menu_key(const tui::KeyEvent& key); // true: the menu used it
    void update_menus();
    void handle_action(tui::InputAction action);
    void on_cancel_key();
    void arm_ctrl_c();
    void disarm_ctrl_c();

    Loop& m_loop;
    Host& m_host;
    tui::Editor m_editor;
    tui::History m_history;
    std::unique_ptr<tui::InputHandler> m_input;
    tui::KeyDecoder m_decoder;
    CommandMenu m_menu;
    MentionMenu m_mentions;
    Pastes m_pastes;
    std::vector<tui::KeyEvent> m_keys;
    std::optional<Loop::TimerId> m_escape_timer;
    bool m_ctrl_c_armed = false; // Ctrl-C on an empty line once: the next quits
    std::optional<Loop::TimerId> m_ctrl_c_timer;
    std::vector<std::string> m_rows;
    std::vector<std::string_view> m_row_views;
};

} // namespace ik::app
