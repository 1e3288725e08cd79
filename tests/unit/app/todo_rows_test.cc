// The REPL's task-list rows: shown while there is something to do, a
// finished list kept only while its turn runs, model text made safe, and
// the rows rebuilt only when the list changes.
#include <gmock/gmock.h>

#include "app/repl/todo_rows.h"
#include "support/matchers.h"

namespace ik::app {
namespace {

using ::ik::testing::IsOk;

void set(agent::Todos& todos, std::string_view json)
{
    mem::Arena scratch("args");
    auto list = agent::parse_todo_list(scratch, json);
    ASSERT_THAT(list, IsOk());
    todos.replace(*list);
}

TEST(TodoRows, ShownWhileSomethingIsLeftAndAFinishedListOnlyWhileTheTurnRuns)
{
    mem::Arena session("session");
    agent::Todos todos(session);
    TodoRows rows;
    EXPECT_EQ(rows.view(todos, TurnState::running), nullptr);
    set(todos, R"({"todos": [{"content": "a", "status": "done"}, {"content": "b", "status": "in_progress"}]})");
    const tui::TodoPanelView* view = rows.view(todos, TurnState::idle);
    ASSERT_NE(view, nullptr);
    ASSERT_EQ(view->items.size(), 2u);
    EXPECT_EQ(view->items[0].text, "a");
    EXPECT_EQ(view->items[0].mark, tui::TodoMark::done);
    EXPECT_EQ(view->items[1].mark, tui::TodoMark::in_progress);
    set(todos, R"({"todos": [{"content": "a", "status": "done"}, {"content": "b", "status": "done"}]})");
    ASSERT_NE(rows.view(todos, TurnState::running), nullptr);
    EXPECT_EQ(rows.view(todos, TurnState::running)->items[1].mark, tui::TodoMark::done);
    EXPECT_EQ(rows.view(todos, TurnState::idle), nullptr);
    todos.clear();
    EXPECT_EQ(rows.view(todos, TurnState::running), nullptr);
}

TEST(TodoRows, TheRowsAreRebuiltOnlyWhenTheListChanges)
{
    mem::Arena session("session");
    agent::Todos todos(session);
    TodoRows rows;
    set(todos, R"({"todos": [{"content": "first", "status": "pending"}]})");
    const char* before = rows.view(todos, TurnState::idle)->items[0].text.data();
    EXPECT_EQ(rows.view(todos, TurnState::idle)->items[0].text.data(), before);
    set(todos, R"({"todos": [{"content": "second", "status": "pending"}]})");
    EXPECT_EQ(rows.view(todos, TurnState::idle)->items[0].text, "second");
    // Another session's list with the same text is still a change.
    agent::Todos other(session);
    set(other, R"({"todos": [{"content": "second", "status": "done"}, {"content": "x", "status": "pending"}]})");
    EXPECT_EQ(rows.view(other, TurnState::idle)->items.size(), 2u);
}

TEST(TodoRows, RestoredTextWithControlCharactersIsMadeSafe)
{
    // A store written by hand can hold anything; restore() validates, and
    // refuses this, but the rows never rely on it: they sanitise too.
    mem::Arena session("session");
    agent::Todos todos(session);
    agent::TodoItem item{ "bad\x1b]0;title\x07text", agent::TodoStatus::pending };
    todos.replace(agent::TodoList{ std::span<const agent::TodoItem>(&item, 1) });
    TodoRows rows;
    const tui::TodoPanelView* view = rows.view(todos, TurnState::idle);
    ASSERT_NE(view, nullptr);
    EXPECT_EQ(view->items[0].text.find('\x1b'), std::string_view::npos);
    EXPECT_EQ(view->items[0].text.find('\x07'), std::string_view::npos);
}

} // namespace
} // namespace ik::app
