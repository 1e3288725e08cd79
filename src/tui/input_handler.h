// Key bindings: one decoded key event -> an edit, and an action for the REPL.
//
// InputHandler applies readline-style keys to an Editor and a History and
// tells the REPL what else the key means: submit the text, cancel (Ctrl-C;
// the REPL decides between stopping a stream, clearing the input and
// quitting), end of input (Ctrl-D on an empty line), scroll the scrollback,
// redraw, or suspend. It never touches the terminal. The binding table is in
// docs/tui.md ("Input").
//
// While Ctrl-R search is active, keys refine the query; Enter (or any motion
// key) accepts the match into the editor, Esc / Ctrl-G restores the text and
// cursor from before the search. search_prompt() is the status the renderer
// shows in place of the prompt.
//
// Borrows: the editor and the history, which must outlive the handler.
// Owns: the search state.
#pragma once

#include <optional>
#include <string>

#include "core/error.h"
#include "tui/editor.h"
#include "tui/history.h"
#include "tui/keys.h"

namespace ik::tui {

enum class ScrollKind : uint8_t { page_up, page_down, lines_up, lines_down, top, bottom };

struct InputAction {
    enum class Kind : uint8_t { none, submit, cancel, eof, scroll, redraw, suspend };
    Kind kind = Kind::none;
    std::string text; // submit: the input (already added to history, editor cleared)
    ScrollKind scroll = ScrollKind::page_up;
    int lines = 0; // lines_up / lines_down
    std::optional<Error> warning; // submit: history could not be saved (the submit still happens)
};

class InputHandler {
public:
    static constexpr int wheel_lines = 3;

    InputHandler(Editor& editor, History& history)
        : m_editor(&editor)
        , m_history(&history)
        , m_search(history)
    {
    }

    InputAction handle(const KeyEvent& event);

    bool searching() const { return m_searching; }
    // "(reverse-i-search)`query': match" while searching, else empty.
    std::string search_prompt() const { return m_searching ? m_search.prompt() : std::string(); }

private:
    InputAction handle_search(const KeyEvent& event);
    InputAction handle_char(const KeyEvent& event);
    InputAction submit();
    void history_previous();
    void history_next();
    void start_search();
    void end_search(bool accept);

    Editor* m_editor;
    History* m_history;
    HistorySearch m_search;
    bool m_searching = false;
    std::string m_saved_text; // restored when a search is cancelled
    utf8::Bytes m_saved_cursor;
};

} // namespace ik::tui
