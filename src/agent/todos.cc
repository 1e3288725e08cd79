#include "agent/todos.h"

#include <fmt/format.h>

namespace ik::agent {
namespace {

uint64_t next_generation()
{
    static uint64_t generation = 0; // the loop thread's; sessions live there
    return ++generation;
}

} // namespace

Todos::Todos(mem::Arena& parent)
    : m_arena(parent.make_child("todo", { .cap = 0, .block_size = 1024 }))
{
}

Todos::~Todos()
{
    m_arena.destroy();
}

void Todos::replace(TodoList list)
{
    m_arena.reset();
    auto* items = m_arena.make_array<TodoItem>(list.items.size());
    for (size_t i = 0; i < list.items.size(); ++i)
        ::new (&items[i]) TodoItem{ m_arena.copy(list.items[i].content), list.items[i].status };
    m_list = TodoList{ std::span<const TodoItem>(items, list.items.size()) };
    m_generation = next_generation();
}

void Todos::clear()
{
    m_list = {};
    m_arena.reset();
    m_generation = next_generation();
}

void Todos::restore(std::string_view json_text)
{
    mem::Arena scratch(mem::root(), "todo-restore");
    auto list = parse_todo_list(scratch, json_text);
    if (list)
        replace(*list);
    else
        clear();
}

std::string todo_compaction_note(TodoList list)
{
    if (list.empty())
        return {};
    return fmt::format("\n\nThe todo list as it stands (the todo tool's state; update it with the todo tool):\n{}",
        todo_list_text(list));
}

} // namespace ik::agent
