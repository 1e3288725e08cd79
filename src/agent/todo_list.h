// The task list the model keeps with the `todo` tool: a short plan of items,
// each pending, in progress or done.
//
// A TodoList is a plain view — a span of items whose text lives elsewhere
// (the session's todo arena, todos.h, or a call's arguments) — so the REPL
// panel, the tool's result, a compaction's summary and, later, the editor
// protocol's `plan` all read the same small value. Its one JSON shape is the
// todo tool's arguments, {"todos": [{"content": "…", "status": "pending"}]}:
// to_json() writes it and parse_todo_list() reads it back with the tool's
// validation, so a stored call, a mark's snapshot and a live call are read
// by one function.
//
//   TodoList list = TRY(parse_todo_list(arena, args));   // validated
//   std::string text = todo_list_text(list);             // what the model reads back
//
// Borrows: the items and their text (see above); owns nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/arena.h"
#include "core/json.h"
#include "core/result.h"

namespace ik::agent {

// The tool's name, for the replay that finds its calls in the store.
inline constexpr std::string_view todo_tool_name = "todo";

enum class TodoStatus : uint8_t { pending, in_progress, done };

std::string_view to_string(TodoStatus status);
// "pending", "in_progress", "done"; "completed" (Claude Code's word, which
// models trained on it send) also means done.
std::optional<TodoStatus> parse_todo_status(std::string_view text);

struct TodoItem {
    std::string_view content;
    TodoStatus status = TodoStatus::pending;
};

// Bounds a list must keep: a plan, not a document.
inline constexpr size_t todo_max_items = 50;
inline constexpr size_t todo_max_content_bytes = 500;

struct TodoList {
    std::span<const TodoItem> items{};

    bool empty() const { return items.empty(); }
    size_t count(TodoStatus status) const;
    bool all_done() const { return count(TodoStatus::done) == items.size(); }
};

// Validates `args` (an object with `todos`) into a list whose item array is
// in `arena` and whose text points into `args`. invalid_argument naming the
// item and the field: "todo: todos[2].status must be one of …, got \"x\"".
// At most one item may be in_progress.
Result<TodoList> parse_todo_list(mem::Arena& arena, const json::value& args);
// The same from JSON text (a stored call's arguments, a mark's snapshot);
// empty text is the empty list.
Result<TodoList> parse_todo_list(mem::Arena& arena, std::string_view json_text);

// {"todos": [{"content": …, "status": …}, …]}, in `arena`.
json::value to_json(mem::Arena& arena, TodoList list);
// The same as text (heap).
std::string to_json_text(TodoList list);

// What the model reads back after a call, and what `ik sessions show` shows:
//   Todo list (3 items: 1 done, 1 in progress, 1 pending):
//   1. [done] Read the config loader
//   2. [in_progress] Add the tool
//   3. [pending] Write the tests
std::string todo_list_text(TodoList list);

// "3 items · 1 done · 1 in progress": the tool block's one line.
std::string todo_summary(TodoList list);

} // namespace ik::agent
