// The todo list's validation, its JSON and its text: what the tool accepts,
// what it tells the model when it does not, and what the model reads back.
#include <gmock/gmock.h>

#include "agent/todo_list.h"
#include "agent/todos.h"
#include "support/matchers.h"

namespace ik::agent {
namespace {

using ::ik::testing::HasError;
using ::ik::testing::IsOk;
using ::testing::HasSubstr;

class TodoListTest : public ::testing::Test {
protected:
    Result<TodoList> parse(std::string_view text) { return parse_todo_list(arena, text); }
    std::string error_of(std::string_view text)
    {
        auto r = parse(text);
        EXPECT_FALSE(r.has_value()) << text;
        return r ? std::string() : r.error().to_string();
    }
    mem::Arena arena{ "todo-test" };
};

TEST_F(TodoListTest, AValidListKeepsItsOrderTextAndStatuses)
{
    auto list = parse(R"({"todos": [{"content": "read", "status": "done"},
        {"content": "write", "status": "in_progress"}, {"content": "test", "status": "pending"}]})");
    ASSERT_THAT(list, IsOk());
    ASSERT_EQ(list->items.size(), 3u);
    EXPECT_EQ(list->items[0].content, "read");
    EXPECT_EQ(list->items[0].status, TodoStatus::done);
    EXPECT_EQ(list->items[1].status, TodoStatus::in_progress);
    EXPECT_EQ(list->items[2].status, TodoStatus::pending);
    EXPECT_EQ(list->count(TodoStatus::done), 1u);
    EXPECT_FALSE(list->all_done());
}

TEST_F(TodoListTest, AnEmptyArrayClearsAndCompletedMeansDoneAndExtraKeysAreIgnored)
{
    auto empty = parse(R"({"todos": []})");
    ASSERT_THAT(empty, IsOk());
    EXPECT_TRUE(empty->empty());
    auto list = parse(R"({"todos": [{"content": "x", "status": "completed", "id": "1", "activeForm": "Doing x"}]})");
    ASSERT_THAT(list, IsOk());
    EXPECT_EQ(list->items[0].status, TodoStatus::done);
    EXPECT_TRUE(list->all_done());
}

TEST_F(TodoListTest, BadInputIsAnErrorNamingTheItemAndTheField)
{
    EXPECT_THAT(error_of(R"({})"), HasSubstr("'todos' is required"));
    EXPECT_THAT(error_of(R"({"todos": "read, write"})"), HasSubstr("'todos' must be an array, got string"));
    EXPECT_THAT(error_of(R"([1])"), HasSubstr("arguments must be a JSON object"));
    EXPECT_THAT(error_of(R"({"todos": [{"content": "a", "status": "done"}, 7]})"),
        HasSubstr("todos[1] must be an object with 'content' and 'status', got number"));
    EXPECT_THAT(error_of(R"({"todos": [{"status": "done"}]})"), HasSubstr("todos[0].content is required"));
    EXPECT_THAT(error_of(R"({"todos": [{"content": 3, "status": "done"}]})"),
        HasSubstr("todos[0].content must be a string, got number"));
    EXPECT_THAT(
        error_of(R"({"todos": [{"content": "  ", "status": "done"}]})"), HasSubstr("todos[0].content is empty"));
    EXPECT_THAT(error_of(R"({"todos": [{"content": "a"}, {"content": "b"}]})"),
        HasSubstr("todos[0].status is required: one of \"pending\", \"in_progress\", \"done\""));
    EXPECT_THAT(error_of(R"({"todos": [{"content": "a", "status": "done"}, {"content": "b", "status": "started"}]})"),
        HasSubstr(R"(todos[1].status must be one of "pending", "in_progress", "done", got "started")"));
    EXPECT_THAT(error_of(R"({"todos": [{"content": "a", "status": true}]})"), HasSubstr("got boolean"));
    EXPECT_THAT(parse(R"({"todos": 1})"), HasError(ErrorCode::invalid_argument));
}

TEST_F(TodoListTest, AtMostOneItemIsInProgress)
{
    EXPECT_THAT(error_of(R"({"todos": [{"content": "a", "status": "in_progress"},
        {"content": "b", "status": "pending"}, {"content": "c", "status": "in_progress"}]})"),
        HasSubstr("todos[0] and todos[2] are both in_progress"));
}

TEST_F(TodoListTest, TheListAndEachItemAreBounded)
{
    std::string many = R"({"todos": [)";
    for (size_t i = 0; i <= todo_max_items; ++i)
        many += fmt::format(R"({}{{"content": "item {}", "status": "pending"}})", i ? "," : "", i);
    many += "]}";
    EXPECT_THAT(error_of(many), HasSubstr("at most 50 items, got 51"));
    std::string fits = fmt::format(R"({{"todos": [{{"content": "{}", "status": "pending"}}]}})", std::string(500, 'x'));
    EXPECT_THAT(parse(fits), IsOk());
    std::string big = fmt::format(R"({{"todos": [{{"content": "{}", "status": "pending"}}]}})", std::string(501, 'x'));
    EXPECT_THAT(error_of(big), HasSubstr("todos[0].content is 501 bytes; at most 500"));
    // An oversized status word is quoted cut short, not echoed whole.
    std::string word = fmt::format(R"({{"todos": [{{"content": "a", "status": "{}"}}]}})", std::string(5000, 'z'));
    EXPECT_LT(error_of(word).size(), 300u);
}

TEST_F(TodoListTest, EscapeSequencesNewlinesAndC1ControlsAreRefused)
{
    for (std::string_view content :
        { R"(\u001b]52;c;aGk=\u0007)", R"(two\nlines)", R"(tab\there)", "c1\u009bcsi", R"(del\u007f)" }) {
        std::string text = fmt::format(R"({{"todos": [{{"content": "{}", "status": "pending"}}]}})", content);
        EXPECT_THAT(error_of(text), HasSubstr("todos[0].content must be one line without control characters"))
            << content;
    }
    // Other Unicode is text.
    EXPECT_THAT(parse(R"({"todos": [{"content": "écrire les tests ✓ 日本", "status": "pending"}]})"), IsOk());
}

TEST_F(TodoListTest, TheTextTheModelReadsBackNumbersTheItemsWithTheirStatus)
{
    auto list = parse(R"({"todos": [{"content": "read", "status": "done"},
        {"content": "write", "status": "in_progress"}, {"content": "test", "status": "pending"}]})");
    ASSERT_THAT(list, IsOk());
    EXPECT_EQ(todo_list_text(*list),
        "Todo list (3 items: 1 done, 1 in progress, 1 pending):\n"
        "1. [done] read\n2. [in_progress] write\n3. [pending] test\n");
    EXPECT_EQ(todo_summary(*list), "3 items · 1 done · 1 in progress · 1 pending");
    EXPECT_EQ(todo_list_text({}), "Todo list cleared (no items).\n");
    EXPECT_EQ(todo_summary({}), "cleared");
}

TEST_F(TodoListTest, ToJsonIsTheToolsArgumentShapeAndParsesBackTheSame)
{
    auto list = parse(R"({"todos": [{"content": "a \"quoted\" step", "status": "completed"},
        {"content": "b", "status": "pending"}]})");
    ASSERT_THAT(list, IsOk());
    std::string text = to_json_text(*list);
    EXPECT_EQ(
        text, R"({"todos":[{"content":"a \"quoted\" step","status":"done"},{"content":"b","status":"pending"}]})");
    auto back = parse(text);
    ASSERT_THAT(back, IsOk());
    EXPECT_EQ(todo_list_text(*back), todo_list_text(*list));
}

TEST(TodosTest, ReplaceCopiesTheListInAndRestoreReadsASnapshot)
{
    mem::Arena session("session");
    Todos todos(session);
    EXPECT_TRUE(todos.list().empty());
    uint64_t before = todos.generation();
    {
        mem::Arena scratch("args");
        auto list = parse_todo_list(scratch, std::string_view(R"({"todos": [{"content": "a", "status": "pending"}]})"));
        ASSERT_THAT(list, IsOk());
        todos.replace(*list);
    } // the arguments are gone: the list is the session's own copy
    ASSERT_EQ(todos.list().items.size(), 1u);
    EXPECT_EQ(todos.list().items[0].content, "a");
    EXPECT_NE(todos.generation(), before);
    std::string snap = todos.snapshot();
    todos.clear();
    EXPECT_TRUE(todos.list().empty());
    todos.restore(snap);
    ASSERT_EQ(todos.list().items.size(), 1u);
    EXPECT_EQ(todos.list().items[0].content, "a");
    todos.restore("{not json");
    EXPECT_TRUE(todos.list().empty());
    // Replacing many times keeps one list's worth of memory.
    mem::Arena scratch("args");
    auto big = parse_todo_list(
        scratch, fmt::format(R"({{"todos": [{{"content": "{}", "status": "pending"}}]}})", std::string(400, 'x')));
    ASSERT_THAT(big, IsOk());
    for (int i = 0; i < 1000; ++i)
        todos.replace(*big);
    EXPECT_LT(session.subtree_reserved(), size_t{ 16 } * 1024);
}

} // namespace
} // namespace ik::agent
