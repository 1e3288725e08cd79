#include "app/repl/todo_rows.h"

#include "tui/styled_text.h"

namespace ik::app {

tui::TodoMark todo_mark(agent::TodoStatus status)
{
    switch (status) {
    case agent::TodoStatus::pending:
        return tui::TodoMark::pending;
    case agent::TodoStatus::in_progress:
        return tui::TodoMark::in_progress;
    case agent::TodoStatus::done:
        return tui::TodoMark::done;
    }
    return tui::TodoMark::pending;
}

const tui::TodoPanelView* TodoRows::view(const agent::Todos& todos, TurnState turn)
{
    agent::TodoList list = todos.list();
    if (list.empty() || (list.all_done() && turn == TurnState::idle))
        return nullptr;
    if (todos.generation() != m_generation) {
        m_generation = todos.generation();
        m_text.clear();
        m_rows.clear();
        m_text.reserve(list.items.size());
        for (const agent::TodoItem& item : list.items) {
            std::string& text = m_text.emplace_back();
            size_t column = 0;
            tui::append_sanitized(text, item.content, column);
        }
        for (size_t i = 0; i < list.items.size(); ++i)
            m_rows.push_back(tui::TodoRow{ m_text[i], todo_mark(list.items[i].status) });
        m_view.items = m_rows;
    }
    return &m_view;
}

} // namespace ik::app
