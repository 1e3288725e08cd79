// The task list in the REPL without a terminal: the panel in the frame after
// a todo call, /todo, the panel back on resume, a finished plan hidden when
// its turn ends.
#include <gmock/gmock.h>

#include "unit/app/repl_fixture.h"

namespace ik::app::test {
namespace {

using namespace agent::test;

class TodoReplTest : public ReplTest {
protected:
    void plan(const std::string& args)
    {
        ScriptedRound r1;
        r1.events = tool_call(0, fmt::format("c{}", ++m_calls), "todo", args);
        r1.events.push_back(finish(llm::FinishReason::tool_calls));
        model.rounds.push_back(r1);
        model.rounds.push_back(reply({ text("ok"), finish(llm::FinishReason::stop) }));
        ui->feed("plan it\r");
        settle();
    }
    int m_calls = 0;
};

TEST_F(TodoReplTest, TheListShowsAboveTheInputSlashTodoPrintsItAndResumeBringsItBack)
{
    open(settings());
    plan(
        R"({"todos": [{"content": "Read the code", "status": "in_progress"}, {"content": "Fix it", "status": "pending"}]})");
    EXPECT_TRUE(frame_has("◐ Read the code")) << ui->frame_text();
    EXPECT_TRUE(frame_has("☐ Fix it")) << ui->frame_text();
    // The call's block is titled with the step in progress.
    EXPECT_TRUE(scrollback_has("● todo  Read the code")) << ui->scrollback_text();
    ui->feed("/todo\r");
    settle();
    EXPECT_TRUE(scrollback_has("Todo list: 2 items · 1 in progress · 1 pending\n  ◐ Read the code\n  ☐ Fix it"))
        << ui->scrollback_text();

    std::string id(ui->session().id());
    ui->shutdown();
    ui.reset();
    open(settings(), id);
    ui->draw_now();
    EXPECT_TRUE(frame_has("◐ Read the code")) << ui->frame_text();

    plan(R"({"todos": [{"content": "Read the code", "status": "done"}, {"content": "Fix it", "status": "done"}]})");
    EXPECT_FALSE(frame_has("☑")) << "a finished plan goes when its turn ends: " << ui->frame_text();
    ui->feed("/todo\r");
    settle();
    EXPECT_TRUE(scrollback_has("Todo list: 2 items · 2 done")) << ui->scrollback_text();
}

TEST_F(TodoReplTest, SlashTodoWithoutAListSaysSo)
{
    open(settings());
    ui->feed("/todo\r");
    settle();
    EXPECT_TRUE(scrollback_has("No todo list.")) << ui->scrollback_text();
    EXPECT_FALSE(frame_has("☐"));
}

} // namespace
} // namespace ik::app::test
