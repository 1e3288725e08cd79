// todo: the model's short plan for a multi-step task (agent/todo_list.h).
// Each call replaces the whole list, as Claude Code's TodoWrite does: the
// model never has to address an item by id, and the list it sends is the
// list the user sees. The list lives in the session (agent/todos.h); the
// result echoes it so the model reads back what it holds.
//
// Read-only for approval: it touches nothing outside ik's own memory, so it
// never asks, in any mode.
#include "agent/todo_list.h"
#include "agent/todos.h"
#include "agent/tools/internal/builtin.h"

namespace ik::agent::internal {
namespace {

constexpr std::string_view schema = R"({
  "type": "object",
  "properties": {
    "todos": {
      "type": "array",
      "description": "The whole list, in order; it replaces the previous one. [] clears it.",
      "maxItems": 50,
      "items": {
        "type": "object",
        "properties": {
          "content": {"type": "string", "description": "One short line: what to do (at most 500 bytes)."},
          "status": {"type": "string", "enum": ["pending", "in_progress", "done"]}
        },
        "required": ["content", "status"]
      }
    }
  },
  "required": ["todos"]
})";

ToolResult run(ToolContext& ctx, const json::value& args)
{
    if (!ctx.todos)
        return ToolResult::error("todo: this session keeps no task list");
    mem::Arena scratch(mem::root(), "todo-args");
    auto list = parse_todo_list(scratch, args);
    if (!list)
        return ToolResult::from(list.error());
    ctx.todos->replace(*list);
    ToolResult result;
    result.content = todo_list_text(ctx.todos->list());
    result.summary = todo_summary(ctx.todos->list());
    return result;
}

Result<ToolPreview> preview(ToolContext&, const json::value& args)
{
    // No command and no path: the REPL titles the call's block with this,
    // the step the model is on (the result's summary counts the rest).
    ToolPreview p;
    mem::Arena scratch(mem::root(), "todo-preview");
    if (auto list = parse_todo_list(scratch, args)) {
        for (const TodoItem& item : list->items)
            if (item.status == TodoStatus::in_progress)
                p.description = item.content;
        if (p.description.empty())
            p.description = list->empty() ? "cleared" : list->all_done() ? "all done" : "the plan";
    }
    return p;
}

} // namespace

const ToolDescriptor todo_tool{
    .name = todo_tool_name,
    .description = "Keep a short plan for a task of several steps, shown to the user above the input. Each call "
                   "replaces the whole list: send every item with its status (pending, in_progress, done). Keep "
                   "exactly one item in_progress while you work, mark each item done as soon as it is finished, and "
                   "add items you discover. Skip it for a task of one or two simple steps. [] clears the list.",
    .parameters = schema,
    .kind = ToolKind::reads,
    .run = run,
    .start = nullptr,
    .preview = preview,
};

} // namespace ik::agent::internal
