#include "agent/todo_list.h"

#include <vector>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ik::agent {
namespace {

constexpr std::string_view statuses = R"("pending", "in_progress", "done")";

// A byte that would move the cursor, ring a bell or start an escape sequence
// on a terminal, or break the one-line rows of the REPL panel: C0, DEL, and
// the C1 controls (U+0080..U+009F, two bytes in UTF-8).
bool has_control(std::string_view text)
{
    for (size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f)
            return true;
        if (c == 0xc2 && i + 1 < text.size()) {
            auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9f)
                return true;
        }
    }
    return false;
}

Result<TodoItem> parse_item(const json::value& v, size_t index)
{
    if (!v.is_object())
        return fail(ErrorCode::invalid_argument,
            "todo: todos[{}] must be an object with 'content' and 'status', got {}", index, json::kind_name(v));
    const json::object& o = v.get_object();
    const json::value* content = o.if_contains("content");
    if (!content || content->is_null())
        return fail(ErrorCode::invalid_argument, "todo: todos[{}].content is required", index);
    if (!content->is_string())
        return fail(ErrorCode::invalid_argument, "todo: todos[{}].content must be a string, got {}", index,
            json::kind_name(*content));
    std::string_view text = content->get_string();
    if (text.find_first_not_of(" \t") == std::string_view::npos)
        return fail(ErrorCode::invalid_argument, "todo: todos[{}].content is empty", index);
    if (text.size() > todo_max_content_bytes)
        return fail(ErrorCode::invalid_argument, "todo: todos[{}].content is {} bytes; at most {} (one short line)",
            index, text.size(), todo_max_content_bytes);
    if (has_control(text))
        return fail(
            ErrorCode::invalid_argument, "todo: todos[{}].content must be one line without control characters", index);
    const json::value* status = o.if_contains("status");
    if (!status || status->is_null())
        return fail(ErrorCode::invalid_argument, "todo: todos[{}].status is required: one of {}", index, statuses);
    if (!status->is_string())
        return fail(ErrorCode::invalid_argument, "todo: todos[{}].status must be one of {}, got {}", index, statuses,
            json::kind_name(*status));
    std::string_view word = status->get_string();
    auto parsed = parse_todo_status(word);
    if (!parsed) {
        // The model's word, cut and quoted: it is model text going back to the model.
        std::string shown = boost::json::serialize(json::value(word.substr(0, 40)));
        return fail(
            ErrorCode::invalid_argument, "todo: todos[{}].status must be one of {}, got {}", index, statuses, shown);
    }
    return TodoItem{ text, *parsed };
}

} // namespace

std::string_view to_string(TodoStatus status)
{
    switch (status) {
    case TodoStatus::pending:
        return "pending";
    case TodoStatus::in_progress:
        return "in_progress";
    case TodoStatus::done:
        return "done";
    }
    return "pending";
}

std::optional<TodoStatus> parse_todo_status(std::string_view text)
{
    if (text == "pending")
        return TodoStatus::pending;
    if (text == "in_progress")
        return TodoStatus::in_progress;
    if (text == "done" || text == "completed")
        return TodoStatus::done;
    return std::nullopt;
}

size_t TodoList::count(TodoStatus status) const
{
    size_t n = 0;
    for (const TodoItem& item : items)
        n += item.status == status;
    return n;
}

Result<TodoList> parse_todo_list(mem::Arena& arena, const json::value& args)
{
    if (!args.is_object())
        return fail(
            ErrorCode::invalid_argument, "todo: arguments must be a JSON object, got {}", json::kind_name(args));
    const json::value* todos = args.get_object().if_contains("todos");
    if (!todos || todos->is_null())
        return fail(ErrorCode::invalid_argument,
            R"(todo: 'todos' is required: the whole list, [{{"content": "…", "status": "pending"}}, …] ([] clears it))");
    if (!todos->is_array())
        return fail(ErrorCode::invalid_argument, "todo: 'todos' must be an array, got {}", json::kind_name(*todos));
    const json::array& array = todos->get_array();
    if (array.size() > todo_max_items)
        return fail(ErrorCode::invalid_argument, "todo: at most {} items, got {}; keep the plan short", todo_max_items,
            array.size());
    auto* items = arena.make_array<TodoItem>(array.size());
    std::optional<size_t> in_progress;
    for (size_t i = 0; i < array.size(); ++i) {
        TodoItem item = TRY(parse_item(array[i], i));
        if (item.status == TodoStatus::in_progress) {
            if (in_progress)
                return fail(ErrorCode::invalid_argument,
                    "todo: todos[{}] and todos[{}] are both in_progress; keep one item in_progress at a time",
                    *in_progress, i);
            in_progress = i;
        }
        ::new (&items[i]) TodoItem(item);
    }
    return TodoList{ std::span<const TodoItem>(items, array.size()) };
}

Result<TodoList> parse_todo_list(mem::Arena& arena, std::string_view json_text)
{
    if (json_text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return TodoList{};
    json::value v = TRY(json::parse(arena, json_text, "todo list"));
    return parse_todo_list(arena, v);
}

json::value to_json(mem::Arena& arena, TodoList list)
{
    json::array todos(json::storage(arena));
    todos.reserve(list.items.size());
    for (const TodoItem& item : list.items) {
        json::object o(json::storage(arena));
        o["content"] = item.content;
        o["status"] = to_string(item.status);
        todos.emplace_back(std::move(o));
    }
    json::object root(json::storage(arena));
    root["todos"] = std::move(todos);
    return root;
}

std::string to_json_text(TodoList list)
{
    mem::Arena scratch(mem::root(), "todo-json");
    return boost::json::serialize(to_json(scratch, list));
}

namespace {

// "3 items", "1 done", "1 in progress", "1 pending": the counts that are not zero.
std::vector<std::string> count_parts(TodoList list)
{
    std::vector<std::string> parts;
    parts.push_back(fmt::format("{} item{}", list.items.size(), list.items.size() == 1 ? "" : "s"));
    if (size_t done = list.count(TodoStatus::done))
        parts.push_back(fmt::format("{} done", done));
    if (list.count(TodoStatus::in_progress))
        parts.emplace_back("1 in progress");
    if (size_t pending = list.count(TodoStatus::pending))
        parts.push_back(fmt::format("{} pending", pending));
    return parts;
}

} // namespace

std::string todo_summary(TodoList list)
{
    if (list.empty())
        return "cleared";
    return fmt::format("{}", fmt::join(count_parts(list), " · "));
}

std::string todo_list_text(TodoList list)
{
    if (list.empty())
        return "Todo list cleared (no items).\n";
    std::vector<std::string> parts = count_parts(list);
    std::string out = parts.size() == 1
        ? fmt::format("Todo list ({}):\n", parts[0])
        : fmt::format("Todo list ({}: {}):\n", parts[0], fmt::join(parts.begin() + 1, parts.end(), ", "));
    for (size_t i = 0; i < list.items.size(); ++i)
        out += fmt::format("{}. [{}] {}\n", i + 1, to_string(list.items[i].status), list.items[i].content);
    return out;
}

} // namespace ik::agent
