// libFuzzer harness for the todo tool's list (agent/todo_list.h): the input
// is the arguments JSON a model sends. Properties: no crash, no sanitizer
// report; an accepted list keeps its bounds (items, bytes, no control
// bytes, one item in progress at most), and its JSON reads back as the same list.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/todo_list.h"
#include "core/arena.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace ik::agent;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    ik::mem::Arena arena("fuzz");
    auto list = parse_todo_list(arena, text);
    if (!list)
        return 0;
    if (list->items.size() > todo_max_items || list->count(TodoStatus::in_progress) > 1)
        std::abort();
    for (const TodoItem& item : list->items) {
        if (item.content.empty() || item.content.size() > todo_max_content_bytes)
            std::abort();
        for (char c : item.content)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                std::abort();
    }
    auto back = parse_todo_list(arena, std::string_view(to_json_text(*list)));
    if (!back || todo_list_text(*back) != todo_list_text(*list))
        std::abort();
    (void)todo_summary(*list);
    return 0;
}
