// TodoRows — the session's task list as the REPL panel draws it.
//
// Turns the todo tool's list (agent/todos.h) into the panel's rows
// (tui/todo_panel.h): item text made safe for the terminal (the model wrote
// it), one marker per status. The rows are rebuilt only when the list
// changes (Todos::generation), so a frame costs nothing for them.
//
// When it shows: while the list has items, except that a list whose items
// are all done disappears once the turn has ended (the plan is finished;
// during the turn the user sees the last item ticked off). /todo still
// prints it.
//
// Owns: the sanitised rows. Borrows nothing beyond a call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agent/todos.h"
#include "tui/todo_panel.h"

namespace ik::app {

enum class TurnState : uint8_t { idle, running };

class TodoRows {
public:
    // The panel for `todos` now, or null when it is hidden. Valid until the next call.
    const tui::TodoPanelView* view(const agent::Todos& todos, TurnState turn);

private:
    uint64_t m_generation = 0; // of the list the rows were built from; 0: none
    std::vector<std::string> m_text;
    std::vector<tui::TodoRow> m_rows;
    tui::TodoPanelView m_view;
};

tui::TodoMark todo_mark(agent::TodoStatus status);

} // namespace ik::app
