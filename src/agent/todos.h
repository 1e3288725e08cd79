// Todos — a session's current task list (the `todo` tool's state).
//
// The list is small and replaced whole by each call, so it lives in a child
// arena of the session's ("todo", visible in /mem) that is reset and refilled
// on each replace: the memory of a list the model has replaced is given back
// at once, however many times it plans. The session owns one; the todo tool
// reaches it through ToolContext::todos, the REPL panel and /todo read it,
// resume and /rewind set it from the store (replay.cc), /clear empties it.
//
//   todos.replace(TRY(parse_todo_list(scratch, args)));   // copies the text in
//   draw(todos.list());                                   // a view into the arena
//
// Owns: the todo arena (a child of the parent given) and what is in it.
// Borrows: the parent arena, which outlives it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/todo_list.h"
#include "core/arena.h"

namespace ik::agent {

class Todos {
public:
    explicit Todos(mem::Arena& parent);
    ~Todos();
    Todos(const Todos&) = delete;
    Todos& operator=(const Todos&) = delete;

    // Valid until the next replace() or clear().
    TodoList list() const { return m_list; }
    // Changes with every replace(), clear() and restore(), and is never the
    // same for two lists of two sessions: a view can cache what it drew.
    uint64_t generation() const { return m_generation; }
    // Copies `list` (which may point anywhere but into this object) in.
    void replace(TodoList list);
    void clear();
    // The list as the tool's arguments JSON (a mark's snapshot), and back.
    std::string snapshot() const { return to_json_text(m_list); }
    // A snapshot, or a stored call's arguments. Text that is not a valid list
    // (a store written by another build) empties the list: a plan is
    // advisory, and the model can always send it again.
    void restore(std::string_view json_text);

private:
    mem::Arena& m_arena; // reset by each replace
    TodoList m_list;
    uint64_t m_generation = 0;
};

// The note a compaction appends to its summary message while the list is
// not empty, so the model still knows its plan when the call that set it
// has left the window; empty when there is no list.
std::string todo_compaction_note(TodoList list);

} // namespace ik::agent
