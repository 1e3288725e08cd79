// Issue 13's daily-use features, each driven end to end: the command menu
// and did-you-mean, Shift-Tab modes, typing while a reply runs, and the
// summary left on the normal screen.
#include <iterator>

#include "repl_fixture.h"

namespace ik::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ReplE2e, SlashOpensAMenuTabCompletesEnterRunsTheSelectionAndATypoGetsADidYouMean)
{
    ASSERT_NO_FATAL_FAILURE(start("[]"));
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->type("/co");
    ASSERT_TRUE(tmux->wait_for("/context")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("/compact [focus]"));
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("/usage")));
    // Down selects the second entry; Tab puts it in the input.
    tmux->keys({ "Down", "Tab" });
    ASSERT_TRUE(tmux->wait_for("› /compact")) << tmux->screen();
    // It takes arguments, so a space follows and the menu closes.
    ASSERT_TRUE(tmux->wait_gone("/context")) << tmux->screen();
    tmux->type("x");
    ASSERT_TRUE(tmux->wait_for("› /compact x")) << tmux->screen();
    tmux->keys({ "C-u" });
    ASSERT_TRUE(tmux->wait_gone("/compact")) << tmux->screen();
    // A prefix and Enter runs what the menu selects.
    send("/us");
    ASSERT_TRUE(tmux->wait_for("Tokens this session")) << tmux->screen();
    send("/comapct");
    ASSERT_TRUE(tmux->wait_for("Unknown command /comapct: did you mean /compact?")) << tmux->screen();
    // Escape hides the menu; a path is not a command and opens none.
    tmux->type("/he");
    ASSERT_TRUE(tmux->wait_for("list commands and keys")) << tmux->screen();
    tmux->keys({ "Escape" });
    ASSERT_TRUE(tmux->wait_gone("list commands and keys")) << tmux->screen();
    tmux->keys({ "C-u" });
    tmux->type("/etc/hosts");
    ASSERT_TRUE(tmux->wait_for("› /etc/hosts")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("quit ik")));
    tmux->keys({ "C-u", "C-d" });
    expect_restored("ik-exit=0");
}

TEST_F(ReplE2e, ShiftTabSwitchesToAutoEditWhichWritesWithoutAsking)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"tool_calls": [{"id": "call_1", "name": "write_file",
        "arguments": "{\"path\": \"made.txt\", \"content\": \"hello\\n\"}"}]}]},
        {"steps": [{"text": "WROTE-IT"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->keys({ "BTab" });
    ASSERT_TRUE(tmux->wait_for("⏵ auto-edit")) << tmux->screen();
    send("write it");
    ASSERT_TRUE(tmux->wait_for("WROTE-IT")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("y yes")));
    EXPECT_TRUE(fs::exists(root + "/work/made.txt"));
    // ask, auto-edit, ask: yolo only when ik was started in it.
    tmux->keys({ "BTab" });
    ASSERT_TRUE(tmux->wait_gone("⏵ auto-edit")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("yolo")));
    tmux->keys({ "C-d" });
    expect_restored("");
}

TEST_F(ReplE2e, ShiftTabReachesYoloOnlyWhenStartedInIt)
{
    ASSERT_NO_FATAL_FAILURE(start("[]"));
    ASSERT_NO_FATAL_FAILURE(launch("--approval yolo"));
    ASSERT_TRUE(tmux->wait_for("⏵ yolo")) << tmux->screen();
    tmux->keys({ "BTab" });
    ASSERT_TRUE(tmux->wait_gone("⏵ yolo")) << tmux->screen();
    tmux->keys({ "BTab" });
    ASSERT_TRUE(tmux->wait_for("⏵ auto-edit")) << tmux->screen();
    tmux->keys({ "BTab" });
    ASSERT_TRUE(tmux->wait_for("⏵ yolo")) << tmux->screen();
    tmux->keys({ "C-d" });
    expect_restored("");
}

TEST_F(ReplE2e, EnterDuringAReplyQueuesTheMessageAndSendsItWhenTheReplyEnds)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "FIRST-PART"}, {"delay_ms": 2500}, {"text": " FIRST-END"}]},
        {"steps": [{"text": "SECOND-ANSWER"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("one");
    ASSERT_TRUE(tmux->wait_for("FIRST-PART")) << tmux->screen();
    send("two");
    ASSERT_TRUE(tmux->wait_for("queued › two")) << tmux->screen();
    // Up gives it back for editing; Enter queues it again.
    tmux->keys({ "Up" });
    ASSERT_TRUE(tmux->wait_for("› two")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_gone("queued › two")) << tmux->screen();
    tmux->type(" edited");
    tmux->keys({ "Enter" });
    ASSERT_TRUE(tmux->wait_for("queued › two edited")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("SECOND-ANSWER")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("queued ›")));
    auto requests = mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[1], HasSubstr("two edited"));
    EXPECT_THAT(requests[1], HasSubstr("FIRST-PART FIRST-END"));
    tmux->keys({ "C-d" });
    expect_restored("");
}

TEST_F(ReplE2e, EscapeStopsTheReplyAndGivesQueuedMessagesBackToTheInput)
{
    ASSERT_NO_FATAL_FAILURE(
        start(R"([{"steps": [{"text": "streaming begins"}, {"stall": true, "stall_ms": 20000}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("go");
    ASSERT_TRUE(tmux->wait_for("streaming begins")) << tmux->screen();
    send("later");
    ASSERT_TRUE(tmux->wait_for("queued › later")) << tmux->screen();
    tmux->keys({ "Escape" });
    ASSERT_TRUE(tmux->wait_for("Interrupted.")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("› later")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("queued ›")));
    EXPECT_EQ(mock->requests().size(), 1u);
    tmux->keys({ "C-u", "C-d" });
    expect_restored("");
}

TEST_F(ReplE2e, LeavingKeepsASummaryAndTheLineThatResumes)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "REMEMBER-ME"}, {"usage": {"input": 1200, "output": 30}}]},
        {"steps": [{"text": "AGAIN"}]}])"));
    // Nothing stored: nothing to resume, no summary.
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->keys({ "C-d" });
    ASSERT_TRUE(tmux->wait_for("ik-exit=0")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("Resume with")));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("hello");
    ASSERT_TRUE(tmux->wait_for("REMEMBER-ME")) << tmux->screen();
    send("/quit");
    ASSERT_TRUE(tmux->wait_for("Resume with: ik -r ")) << tmux->screen();
    std::string s = tmux->screen();
    EXPECT_THAT(s, HasSubstr("1 prompt · in 1.2k · out 30"));
    size_t at = s.find("Resume with: ik -r ") + std::string("Resume with: ik -r ").size();
    std::string id = s.substr(at, s.find_first_of(" \n", at) - at);
    EXPECT_EQ(id.size(), 8u) << s;
    // The line works as printed.
    ASSERT_NO_FATAL_FAILURE(launch("-r " + id));
    ASSERT_TRUE(tmux->wait_for("REMEMBER-ME")) << tmux->screen();
    tmux->keys({ "C-d" });
    ASSERT_TRUE(tmux->wait_for("ik-exit=0")) << tmux->screen();
}

TEST_F(ReplE2e, CopyPutsTheLastReplyOnTheClipboardThroughOsc52)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "COPY ME: 日本語 & \"quotes\""}]}])"));
    // tmux takes OSC 52 into its paste buffer when set-clipboard is on.
    tmux->command({ "set-option", "-s", "set-clipboard", "on" });
    ASSERT_NO_FATAL_FAILURE(launch());
    send("/copy");
    ASSERT_TRUE(tmux->wait_for("no reply to copy yet")) << tmux->screen();
    send("say it");
    ASSERT_TRUE(tmux->wait_for("COPY ME")) << tmux->screen();
    send("/copy");
    ASSERT_TRUE(tmux->wait_for("Copied the last reply")) << tmux->screen();
    EXPECT_EQ(tmux->command({ "show-buffer" }), "COPY ME: 日本語 & \"quotes\"");
    tmux->keys({ "C-d" });
    expect_restored("");
}

TEST_F(ReplE2e, InitAsksTheModelForAnAgentsFileWrittenThroughAnApprovedEdit)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"tool_calls": [{"id": "call_1", "name": "write_file",
        "arguments": "{\"path\": \"AGENTS.md\", \"content\": \"# Notes for agents\\n\"}"}]}]},
        {"steps": [{"text": "WROTE-AGENTS"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("/init");
    ASSERT_TRUE(tmux->wait_for("y yes")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("AGENTS.md"));
    tmux->type("y");
    ASSERT_TRUE(tmux->wait_for("WROTE-AGENTS")) << tmux->screen();
    std::ifstream in(root + "/work/AGENTS.md");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "# Notes for agents\n");
    auto requests = mock->requests();
    ASSERT_GE(requests.size(), 1u);
    EXPECT_THAT(requests[0], HasSubstr("Write an AGENTS.md file at the root of this project"));
    tmux->keys({ "C-d" });
    expect_restored("");
}

TEST_F(ReplE2e, ModelWithoutANameListsTheCatalogToChooseFrom)
{
    ASSERT_NO_FATAL_FAILURE(start("[]"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("/model");
    ASSERT_TRUE(tmux->wait_for("Switch model")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("anthropic/"));
    // Typing narrows the list; Enter switches to the selection.
    tmux->type("4.1-mini");
    ASSERT_TRUE(tmux->wait_gone("anthropic/")) << tmux->screen();
    tmux->keys({ "Enter" });
    ASSERT_TRUE(tmux->wait_for("Model: openai/gpt-4.1-mini")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("openai/gpt-4.1-mini · in")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("Switch model")));
    tmux->keys({ "C-d" });
    expect_restored("");
}

TEST_F(ReplE2e, ResumeWithoutAnIdListsThisDirectorysSessionsToChooseFrom)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "OLD-ANSWER"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("/resume");
    ASSERT_TRUE(tmux->wait_for("No other session in this directory")) << tmux->screen();
    send("an old question");
    ASSERT_TRUE(tmux->wait_for("OLD-ANSWER")) << tmux->screen();
    tmux->keys({ "C-d" });
    ASSERT_TRUE(tmux->wait_for("ik-exit=0")) << tmux->screen();
    ASSERT_NO_FATAL_FAILURE(launch());
    send("/resume");
    ASSERT_TRUE(tmux->wait_for("Resume a session")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("an old question"));
    tmux->keys({ "Enter" });
    ASSERT_TRUE(tmux->wait_for("Resumed session")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("OLD-ANSWER"));
    tmux->keys({ "C-d" });
    expect_restored("");
}

TEST_F(ReplE2e, AtCompletesProjectFilesAndAttachesTheMentionedFile)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "SEEN-IT"}]}])"));
    fs::create_directories(root + "/work/src");
    std::ofstream(root + "/work/src/main.cc") << "int main() { return 42; }\n";
    std::ofstream(root + "/work/.gitignore") << "build/\n";
    fs::create_directories(root + "/work/build");
    std::ofstream(root + "/work/build/main.o") << "object";
    ASSERT_NO_FATAL_FAILURE(launch());
    tmux->type("explain @mai");
    ASSERT_TRUE(tmux->wait_for("@src/main.cc")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("build/main.o")));
    tmux->keys({ "Tab" });
    ASSERT_TRUE(tmux->wait_for("› explain @src/main.cc")) << tmux->screen();
    tmux->type("please");
    tmux->keys({ "Enter" });
    ASSERT_TRUE(tmux->wait_for("attached src/main.cc (1 lines)")) << tmux->screen();
    ASSERT_TRUE(tmux->wait_for("SEEN-IT")) << tmux->screen();
    auto requests = mock->requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_THAT(requests[0], HasSubstr("explain @src/main.cc please"));
    EXPECT_THAT(requests[0], HasSubstr("return 42;"));
    tmux->keys({ "C-d" });
    expect_restored("");
}

TEST_F(ReplE2e, ALongPasteIsAPlaceholderInTheInputAndWholeInTheRequest)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "GOT-THE-PASTE"}]}])"));
    ASSERT_NO_FATAL_FAILURE(launch());
    std::string lines;
    for (int i = 1; i <= 30; ++i)
        lines += fmt::format("pasted line {}\n", i);
    tmux->command({ "set-buffer", lines });
    tmux->command({ "paste-buffer", "-p", "-t", "0" });
    ASSERT_TRUE(tmux->wait_for("› [pasted 30 lines #1]")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("pasted line 7")));
    tmux->type(" sum these");
    tmux->keys({ "Enter" });
    ASSERT_TRUE(tmux->wait_for("GOT-THE-PASTE")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), HasSubstr("› [pasted 30 lines #1] sum these"));
    auto requests = mock->requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_THAT(requests[0], HasSubstr("pasted line 1\\npasted line 2\\n"));
    EXPECT_THAT(requests[0], HasSubstr("pasted line 30\\n sum these"));
    // Ctrl-O puts a held paste's text itself back into the input.
    tmux->command({ "paste-buffer", "-p", "-t", "0" });
    ASSERT_TRUE(tmux->wait_for("› [pasted 30 lines #2]")) << tmux->screen();
    tmux->keys({ "C-o" });
    ASSERT_TRUE(tmux->wait_for("pasted line 30")) << tmux->screen();
    EXPECT_THAT(tmux->screen(), Not(HasSubstr("[pasted 30 lines #2]")));
    tmux->keys({ "C-c" });
    tmux->keys({ "C-d" });
    expect_restored("");
}

} // namespace
} // namespace ik::testing
