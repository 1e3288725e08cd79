// The REPL's behaviour end to end minus the tty: streaming, keys while
// streaming, Ctrl-C/Ctrl-D, approvals, tool blocks, the status line.
#include <thread>

#include <gmock/gmock.h>
#include <unistd.h>

#include "unit/app/repl_fixture.h"

namespace ik::app::test {
namespace {

using namespace ::ik::agent::test;
using ::testing::HasSubstr;

TEST_F(ReplTest, StreamsAReplyAsMarkdownAndCountsTokens)
{
    model.rounds.push_back(
        reply({ text("# Title\n\nSome **bo"), text("ld** text\n"), usage(1234, 56), finish(llm::FinishReason::stop) }));
    open(settings());
    ui->feed("hello\r");
    settle();
    EXPECT_TRUE(scrollback_has("› hello"));
    EXPECT_TRUE(scrollback_has("Title"));
    EXPECT_TRUE(scrollback_has("Some bold text")); // markup rendered, not shown
    EXPECT_FALSE(scrollback_has("**"));
    EXPECT_TRUE(frame_has("fake/model"));
    EXPECT_TRUE(frame_has("1.2k")); // tokens in, on the status line
    EXPECT_TRUE(frame_has("Title"));
}

TEST_F(ReplTest, ThinkingIsCollapsedToOneDimLineAndCtrlOShowsIt)
{
    model.rounds.push_back(
        reply({ thinking("let me think about this"), text("answer"), finish(llm::FinishReason::stop) }));
    open(settings());
    ui->feed("q\r");
    settle();
    EXPECT_TRUE(frame_has("✻ Thought for"));
    EXPECT_TRUE(frame_has("… 1 line (Ctrl-O)"));
    EXPECT_FALSE(frame_has("let me think"));
    EXPECT_TRUE(frame_has("answer"));
    ui->feed("\x0f"); // Ctrl-O
    ui->draw_now();
    EXPECT_TRUE(frame_has("let me think about this"));
    EXPECT_FALSE(frame_has("(Ctrl-O)"));
    ui->feed("\x0f");
    ui->draw_now();
    EXPECT_FALSE(frame_has("let me think"));
}

TEST_F(ReplTest, KeyPressIsDrawnWhileAReplyStreamsAndCtrlCStopsIt)
{
    ScriptedRound r = reply({ text("partial reply") });
    r.stall = true;
    model.rounds.push_back(r);
    open(settings());
    ui->feed("go\r");
    ASSERT_TRUE(run_until([&] { return frame_has("partial reply"); }));
    EXPECT_TRUE(ui->session().busy());
    ui->feed("x");
    ASSERT_TRUE(run_until([&] { return frame_has("› x"); }));
    ui->feed("\x03"); // Ctrl-C: stops the reply, keeps the typed text
    settle();
    EXPECT_FALSE(ui->session().busy());
    EXPECT_TRUE(scrollback_has("Interrupted."));
    EXPECT_EQ(ui->editor().text(), "x");
    EXPECT_FALSE(ui->done());
}

TEST_F(ReplTest, AKeyJustAfterAnOutputFrameIsDrawnWithoutWaitingForTheSlot)
{
    open(settings());
    // Output (as a streamed reply's) is drawn by the frame timer, 50 ms
    // after the last frame.
    ui->print("some output");
    ASSERT_TRUE(run_until([&] { return frame_has("some output"); }));
    uint64_t frames = ui->screen().frames_written();
    ui->feed("x"); // well within 16 ms of that frame: drawn at once all the same
    EXPECT_EQ(ui->screen().frames_written(), frames + 1);
    EXPECT_TRUE(frame_has("› x"));
}

TEST_F(ReplTest, KeysOfOneReadAreOneFrameAndKeyFramesAreSpaced)
{
    open(settings());
    // set_size() just drew a frame: wait out the 16 ms between key frames.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    uint64_t frames = ui->screen().frames_written();
    ui->feed("ab");
    auto drawn = Loop::now();
    EXPECT_EQ(ui->screen().frames_written(), frames + 1);
    EXPECT_TRUE(frame_has("› ab"));
    // Another key right away waits for the next 16 ms slot (a burst of
    // reads is not a frame each), then is drawn by the frame timer.
    ui->feed("c");
    if (Loop::now() - drawn < std::chrono::milliseconds(16)) { // not so slow a machine (valgrind)
        EXPECT_EQ(ui->screen().frames_written(), frames + 1);
    }
    ASSERT_TRUE(run_until([&] { return frame_has("› abc"); }));
    EXPECT_EQ(ui->screen().frames_written(), frames + 2);

    // A read bigger than the 16 KiB buffer is still one frame, drawn after
    // its last chunk.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    std::string keys = std::string(20000, 'k') + "END";
    ASSERT_EQ(::write(fds[1], keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
    frames = ui->screen().frames_written();
    ui->read_input(fds[0]);
    ::close(fds[0]);
    ::close(fds[1]);
    EXPECT_EQ(ui->screen().frames_written(), frames + 1);
    EXPECT_EQ(ui->editor().text(), "abc" + keys);
    EXPECT_TRUE(frame_has("kkkkEND"));
}

TEST_F(ReplTest, CtrlCClearsTheInputThenQuitsOnTheSecondPressOnAnEmptyLine)
{
    open(settings());
    ui->feed("abc");
    ui->feed("\x03");
    EXPECT_EQ(ui->editor().text(), "");
    EXPECT_FALSE(ui->done());
    ui->feed("\x03");
    EXPECT_FALSE(ui->done());
    ui->draw_now();
    EXPECT_TRUE(frame_has("Ctrl-C again to quit"));
    ui->feed("\x03");
    EXPECT_TRUE(ui->done());
}

TEST_F(ReplTest, TypingBetweenTwoCtrlCsDisarmsQuit)
{
    open(settings());
    ui->feed("\x03");
    ui->feed("a\x03"); // clears "a"
    ui->feed("\x03"); // first press again on the empty line
    EXPECT_FALSE(ui->done());
}

TEST_F(ReplTest, CtrlDQuitsOnAnEmptyLineOnly)
{
    open(settings());
    ui->feed("ab\x02\x04"); // Ctrl-B, Ctrl-D: deletes the 'b'
    EXPECT_FALSE(ui->done());
    EXPECT_EQ(ui->editor().text(), "a");
    ui->feed("\x15\x04"); // Ctrl-U, then Ctrl-D on the empty line
    EXPECT_TRUE(ui->done());
}

TEST_F(ReplTest, CtrlZCallsTheSuspendHook)
{
    open(settings());
    ui->feed("\x1a");
    EXPECT_EQ(suspended, 1);
}

TEST_F(ReplTest, MultiLineInputGrowsTheInputZone)
{
    open(settings());
    ui->feed("one\ntwo\nthree"); // Ctrl-J inserts newlines
    ui->draw_now();
    EXPECT_TRUE(frame_has("› one"));
    EXPECT_TRUE(frame_has("  two"));
    EXPECT_TRUE(frame_has("  three"));
}

TEST_F(ReplTest, ResizeReflowsAtOnce)
{
    open(settings());
    ui->print(std::string(70, 'a') + " " + std::string(20, 'b'));
    ui->set_size({ 24, 80 });
    size_t frames = ui->screen().frames_written();
    ui->set_size({ 20, 40 });
    EXPECT_EQ(ui->screen().frames_written(), frames + 1);
    EXPECT_TRUE(frame_has(std::string(40, 'a')));
}

TEST_F(ReplTest, ToolCallsAreShownCompactly)
{
    ScriptedRound r1;
    r1.events = tool_call(0, "c1", "bash", R"({"command":"echo hello-from-tool"})");
    r1.events.push_back(finish(llm::FinishReason::tool_calls));
    model.rounds.push_back(r1);
    model.rounds.push_back(reply({ text("done"), finish(llm::FinishReason::stop) }));
    open(settings());
    ui->feed("run it\r");
    settle();
    EXPECT_TRUE(scrollback_has("echo hello-from-tool"));
    EXPECT_TRUE(scrollback_has("exit 0"));
    EXPECT_TRUE(scrollback_has("hello-from-tool\n"));
    EXPECT_TRUE(scrollback_has("done"));
}

TEST_F(ReplTest, CtrlCStopsARunningTool)
{
    ScriptedRound r1;
    r1.events = tool_call(0, "c1", "bash", R"({"command":"sleep 30"})");
    r1.events.push_back(finish(llm::FinishReason::tool_calls));
    model.rounds.push_back(r1);
    open(settings());
    ui->feed("wait\r");
    ASSERT_TRUE(run_until([&] { return frame_has("Running bash"); }));
    auto started = Loop::now();
    ui->feed("\x03");
    settle();
    EXPECT_LT(Loop::now() - started, std::chrono::seconds(5));
    EXPECT_TRUE(scrollback_has("Interrupted."));
    EXPECT_FALSE(ui->done());
}

class ApprovalTest : public ReplTest {
protected:
    void script(std::string_view file)
    {
        ScriptedRound r1;
        r1.events = tool_call(0, "c1", "bash", fmt::format(R"({{"command":"touch {}"}})", file));
        r1.events.push_back(finish(llm::FinishReason::tool_calls));
        model.rounds.push_back(r1);
        model.rounds.push_back(reply({ text("ok"), finish(llm::FinishReason::stop) }));
    }
};

TEST_F(ApprovalTest, YesRunsTheCommand)
{
    script("made.txt");
    open(settings(agent::ApprovalMode::ask));
    ui->feed("make it\r");
    ASSERT_TRUE(run_until([&] { return ui->approval_pending(); }));
    ui->draw_now();
    EXPECT_TRUE(frame_has("touch made.txt"));
    EXPECT_TRUE(frame_has("Run this command?"));
    ui->feed("x"); // other keys are ignored while asking
    EXPECT_TRUE(ui->approval_pending());
    ui->feed("y");
    settle();
    EXPECT_TRUE(std::filesystem::exists(work / "made.txt"));
    EXPECT_TRUE(scrollback_has("✓ approved: touch made.txt"));
    EXPECT_EQ(ui->editor().text(), "");
}

TEST_F(ApprovalTest, NoDeniesTheCommand)
{
    script("not.txt");
    open(settings(agent::ApprovalMode::ask));
    ui->feed("make it\r");
    ASSERT_TRUE(run_until([&] { return ui->approval_pending(); }));
    ui->feed("n");
    settle();
    EXPECT_FALSE(std::filesystem::exists(work / "not.txt"));
    // One block says it, once: no raw JSON, no exit code.
    EXPECT_TRUE(scrollback_has("● bash  touch not.txt\n  ⎿ denied · by you\n"));
    EXPECT_FALSE(scrollback_has("exit 1"));
    EXPECT_FALSE(scrollback_has("not run"));
    EXPECT_TRUE(scrollback_has("ok")); // the model got the denial and answered
}

TEST_F(ApprovalTest, AlwaysRemembersForTheSession)
{
    script("a1.txt");
    script("a2.txt");
    open(settings(agent::ApprovalMode::ask));
    ui->feed("one\r");
    ASSERT_TRUE(run_until([&] { return ui->approval_pending(); }));
    ui->feed("a");
    settle();
    ui->feed("two\r");
    settle(); // no second prompt
    EXPECT_TRUE(std::filesystem::exists(work / "a1.txt"));
    EXPECT_TRUE(std::filesystem::exists(work / "a2.txt"));
}

TEST_F(ApprovalTest, CtrlCAnswersNoAndCancels)
{
    script("c.txt");
    open(settings(agent::ApprovalMode::ask));
    ui->feed("make it\r");
    ASSERT_TRUE(run_until([&] { return ui->approval_pending(); }));
    ui->feed("\x03");
    settle();
    EXPECT_FALSE(ui->approval_pending());
    EXPECT_FALSE(std::filesystem::exists(work / "c.txt"));
    EXPECT_TRUE(scrollback_has("Interrupted.")) << ui->scrollback_text();
    EXPECT_FALSE(ui->done());
}

TEST_F(ReplTest, FramesAreRateCappedWhileStreaming)
{
    // 400 deltas delivered in one burst become a handful of frames, not 400.
    std::vector<ScriptedEvent> events;
    for (int i = 0; i < 400; ++i)
        events.push_back(text(fmt::format("word{} ", i)));
    events.push_back(finish(llm::FinishReason::stop));
    model.rounds.push_back(reply(events));
    open(settings());
    uint64_t before = ui->screen().frames_written();
    ui->feed("go\r");
    settle();
    EXPECT_LT(ui->screen().frames_written() - before, 10u);
    EXPECT_TRUE(scrollback_has("word399"));
}

} // namespace
} // namespace ik::app::test
