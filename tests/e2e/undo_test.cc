// /undo and /checkpoints in the REPL (issue 12): the real binary in tmux, a
// turn that edits a file, a later edit of the user's, and the y/N question
// that protects it.
#include <sstream>

#include "repl_fixture.h"

namespace ik::testing {
namespace {

std::string file_text(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST_F(ReplE2e, UndoAsksBeforeOverwritingALaterChangeAndRestoresWhenTold)
{
    start(R"([{"steps": [{"tool_calls": [{"id": "e1", "name": "edit_file",
                 "arguments": "{\"path\":\"a.txt\",\"old_string\":\"one\",\"new_string\":\"two\"}"}]}]},
              {"steps": [{"text": "Changed it."}]}])");
    std::ofstream(root + "/work/a.txt") << "one\n";
    launch("--approval yolo --sandbox off");
    send("change a.txt");
    ASSERT_TRUE(tmux->wait_for("Changed it.")) << tmux->screen();
    ASSERT_EQ(file_text(root + "/work/a.txt"), "two\n");

    send("/checkpoints");
    ASSERT_TRUE(tmux->wait_for("on disk")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), ::testing::HasSubstr("M a.txt"));

    std::ofstream(root + "/work/a.txt", std::ios::trunc) << "the user's own text\n";
    send("/undo");
    ASSERT_TRUE(tmux->wait_for("Undo anyway")) << tmux->screen();
    tmux->keys({ "Enter" }); // the default: No
    ASSERT_TRUE(tmux->wait_for("Not undone.")) << tmux->screen();
    EXPECT_EQ(file_text(root + "/work/a.txt"), "the user's own text\n");

    send("/undo");
    ASSERT_TRUE(tmux->wait_for("Undo anyway")) << tmux->screen();
    tmux->keys({ "Down" });
    tmux->keys({ "Enter" });
    ASSERT_TRUE(tmux->wait_for("Undid \"change a.txt\"")) << tmux->screen();
    EXPECT_EQ(file_text(root + "/work/a.txt"), "one\n");
    send("/exit");
    expect_restored("ik-exit=0");
}

TEST_F(ReplE2e, RewindOffersToRestoreTheFilesTheLaterTurnsChanged)
{
    start(R"([{"steps": [{"tool_calls": [{"id": "e1", "name": "edit_file",
                 "arguments": "{\"path\":\"a.txt\",\"old_string\":\"one\",\"new_string\":\"two\"}"}]}]},
              {"steps": [{"text": "Changed it."}]}])");
    std::ofstream(root + "/work/a.txt") << "one\n";
    launch("--approval yolo --sandbox off");
    send("/mark before");
    ASSERT_TRUE(tmux->wait_for("before")) << tmux->screen();
    send("change a.txt");
    ASSERT_TRUE(tmux->wait_for("Changed it.")) << tmux->screen();
    ASSERT_EQ(file_text(root + "/work/a.txt"), "two\n");

    send("/rewind before");
    ASSERT_TRUE(tmux->wait_for("Also restore the files the 1 turn after the mark changed?")) << tmux->screen();
    tmux->keys({ "Down" });
    tmux->keys({ "Enter" });
    ASSERT_TRUE(tmux->wait_for("Undid \"change a.txt\"")) << tmux->screen();
    EXPECT_EQ(file_text(root + "/work/a.txt"), "one\n");
    send("/exit");
    expect_restored("ik-exit=0");
}

} // namespace
} // namespace ik::testing
