#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"
#include "app/repl/todo_rows.h"
#include "tui/todo_panel.h"

namespace ik::app::slash {
namespace {

// /todo prints the model's task list (the todo tool's), all of it, with the
// panel's markers: the panel shows only a few rows, and hides a finished plan.
Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(todo));
    agent::TodoList list = host.session().task_list().list();
    if (list.empty()) {
        host.print("No todo list. (The model keeps one with the todo tool for tasks of several steps.)", Tone::dim);
        return {};
    }
    std::string out = fmt::format("Todo list: {}", agent::todo_summary(list));
    for (const agent::TodoItem& item : list.items)
        out += fmt::format("\n  {} {}", tui::todo_marker(todo_mark(item.status)), item.content);
    host.print(out);
    return {};
}

} // namespace

const SlashCommand todo{
    .name = "todo",
    .args = "",
    .help = "show the model's task list (the todo tool's)",
    .run = run,
    .busy_safe = true,
};

} // namespace ik::app::slash
