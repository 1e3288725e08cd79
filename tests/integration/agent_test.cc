// The agent headless, end to end: the real ik binary against ik-mockllm,
// running real tools in a temp project, recording every event in a real
// SQLite store, and resuming from it — including after a kill -9.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class Agent : public IkTest {
protected:
    RunResult run(std::vector<std::string> args, RunOptions options = {})
    {
        return ik_for(Wire::anthropic, std::move(args), std::move(options));
    }
    bool exists(const std::string& relative) const { return std::filesystem::exists(work_dir() + "/" + relative); }
};

TEST_F(Agent, RunsAToolAndFeedsTheResultBack)
{
    start_mock(
        R"([{"steps": [{"tool_calls": [{"id": "t1", "name": "bash", "arguments": "{\"command\":\"echo hi from bash\"}"}]}]},
                   {"steps": [{"text": "The command printed hi."}]}])");
    RunResult r = run({ "-p", "run echo", "--approval", "yolo" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "The command printed hi.\n");
    EXPECT_THAT(r.err, HasSubstr("bash echo hi from bash"));
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[1], HasSubstr("hi from bash"));
    EXPECT_THAT(requests[1], HasSubstr("t1"));
}

TEST_F(Agent, HeadlessAskPolicyDeniesCommandsAndSaysHowToAllowThem)
{
    start_mock(
        R"([{"steps": [{"tool_calls": [{"id": "t1", "name": "bash", "arguments": "{\"command\":\"touch made.txt\"}"}]}]},
                   {"steps": [{"text": "Understood."}]}])");
    RunResult r = run({ "-p", "make a file" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(exists("made.txt"));
    EXPECT_THAT(r.err, HasSubstr("bash denied"));
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[1], HasSubstr("--approval"));
}

TEST_F(Agent, ConfigRulesAllowAPrefixAndDenyWins)
{
    write_config(R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 2, "max_retries": 0},
                     "rules": {"allow": ["bash:touch"], "deny": ["bash:touch secret.txt"]}})");
    start_mock(
        R"([{"steps": [{"tool_calls": [{"id": "a", "name": "bash", "arguments": "{\"command\":\"touch ok.txt\"}"},
                                              {"id": "b", "name": "bash", "arguments": "{\"command\":\"touch secret.txt\"}"}]}]},
                   {"steps": [{"text": "done"}]}])");
    RunResult r = run({ "-p", "touch two" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(exists("ok.txt"));
    EXPECT_FALSE(exists("secret.txt"));
}

TEST_F(Agent, DenyRulesHoldAgainstRespelledCommandsEvenUnderYolo)
{
    write_config(R"({"http": {"connect_timeout_s": 2, "idle_timeout_s": 2, "max_retries": 0},
                     "rules": {"deny": ["bash:rm -rf"]}})");
    std::filesystem::create_directories(work_dir() + "/victim");
    write_work_file("victim/keep.txt", "still here\n");
    start_mock(R"([{"steps": [{"tool_calls": [
                       {"id": "a", "name": "bash", "arguments": "{\"command\":\"x=rm; $x -rf victim\"}"},
                       {"id": "b", "name": "bash", "arguments": "{\"command\":\"/bin/rm -rf victim\"}"},
                       {"id": "c", "name": "bash", "arguments": "{\"command\":\"sh -c 'rm -r -f victim'\"}"}]}]},
                   {"steps": [{"text": "done"}]}])");
    RunResult r = run({ "-p", "clean up", "--approval", "yolo" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(exists("victim/keep.txt"));
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[1], HasSubstr("runs something that cannot be known before it runs"));
    EXPECT_THAT(requests[1], HasSubstr("is denied by the approval rule"));
    EXPECT_THAT(requests[1], Not(HasSubstr("--approval yolo")));
}

TEST_F(Agent, FileEditsRunUnderAutoEdit)
{
    write_work_file("main.c", "int main() { return 1; }\n");
    start_mock(R"([{"steps": [{"tool_calls": [{"id": "e", "name": "edit_file",
        "arguments": "{\"path\":\"main.c\",\"old_string\":\"return 1\",\"new_string\":\"return 0\"}"}]}]},
                   {"steps": [{"text": "Fixed."}]}])");
    RunResult r = run({ "-p", "fix main", "--approval", "auto-edit" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(work_dir() + "/main.c");
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "int main() { return 0; }\n");
}

TEST_F(Agent, ToolErrorsGoBackToTheModel)
{
    start_mock(
        R"([{"steps": [{"tool_calls": [{"id": "r", "name": "read_file", "arguments": "{\"path\":\"nope.txt\"}"}]}]},
                   {"steps": [{"text": "It does not exist."}]}])");
    RunResult r = run({ "-p", "read nope", "--output-format", "json" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr(R"("is_error":true)"));
    EXPECT_THAT(m_mock->requests()[1], HasSubstr("nope.txt"));
}

TEST_F(Agent, TheRoundBoundStopsTheLoopWithItsOwnExitCode)
{
    std::string call
        = R"({"steps": [{"tool_calls": [{"id": "l", "name": "list_dir", "arguments": "{\"path\":\".\"}"}]}]})";
    start_mock("[" + call + "," + call + "," + call + "," + call + "]");
    RunResult r = run({ "-p", "loop", "--max-tool-turns", "2" });
    EXPECT_EQ(r.exit_code, 5) << r.err;
    EXPECT_THAT(r.err, HasSubstr("2 tool rounds"));
    EXPECT_EQ(m_mock->requests().size(), 2u);
}

TEST_F(Agent, SessionsAreListedSearchedShownAndExported)
{
    start_mock(R"([{"steps": [{"text": "Paris is the capital."}]}])");
    ASSERT_EQ(run({ "-p", "capital of France?" }).exit_code, 0);
    RunResult list = ik({ "sessions" });
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_THAT(list.out, HasSubstr("capital of France?"));
    std::string id = list.out.substr(list.out.find('\n') + 1, 6);
    RunResult found = ik({ "sessions", "search", "Paris" });
    EXPECT_EQ(found.exit_code, 0) << found.err;
    EXPECT_THAT(found.out, HasSubstr("Paris"));
    RunResult shown = ik({ "sessions", "show", id });
    EXPECT_EQ(shown.exit_code, 0) << shown.err << list.out;
    EXPECT_THAT(shown.out, HasSubstr("Paris is the capital."));
    RunResult md = ik({ "sessions", "export", id, "--format", "markdown" });
    EXPECT_THAT(md.out, HasSubstr("capital of France?"));
    RunResult jsonl = ik({ "sessions", "export", id, "--format", "jsonl" });
    EXPECT_THAT(jsonl.out, HasSubstr(R"("kind":"assistant")"));
    EXPECT_NE(ik({ "sessions", "show", "ffffffffffff" }).exit_code, 0);
}

TEST_F(Agent, StoredToolResultsKeepTheirExitCodeAndVerdict)
{
    start_mock(
        R"([{"steps": [{"tool_calls": [{"id": "t1", "name": "bash", "arguments": "{\"command\":\"echo out; exit 3\"}"}]}]},
                   {"steps": [{"text": "It failed with 3."}]}])");
    ASSERT_EQ(run({ "-p", "run it", "--approval", "yolo" }).exit_code, 0);
    RunResult list = ik({ "sessions" });
    std::string id = list.out.substr(list.out.find('\n') + 1, 6);
    RunResult shown = ik({ "sessions", "show", id });
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_THAT(shown.out, HasSubstr("approval bash: allow echo out; exit 3\n"));
    EXPECT_THAT(shown.out, HasSubstr("tool result bash (exit 3)\n"));
    RunResult md = ik({ "sessions", "export", id, "--format", "markdown" });
    size_t first = md.out.find("**Tool call** `bash`");
    ASSERT_NE(first, std::string::npos) << md.out;
    EXPECT_EQ(md.out.find("**Tool call**", first + 1), std::string::npos) << "each call is listed once";
    RunResult jsonl = ik({ "sessions", "export", id, "--format", "jsonl" });
    EXPECT_THAT(jsonl.out, HasSubstr(R"("state":"ran","exit_code":3)"));
}

TEST_F(Agent, ContinueSendsThePreviousConversation)
{
    start_mock(R"([{"steps": [{"text": "First answer."}]}, {"steps": [{"text": "Second answer."}]}])");
    ASSERT_EQ(run({ "-p", "first question" }).exit_code, 0);
    RunResult r = run({ "-c", "-p", "second question" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[1], HasSubstr("first question"));
    EXPECT_THAT(requests[1], HasSubstr("First answer."));
    EXPECT_THAT(requests[1], HasSubstr("second question"));
}

TEST_F(Agent, KillDashNineMidStreamLosesAtMostTheLastBatch)
{
    // A slow reply: 40 pieces, 50 ms apart. ik is killed once some text is out.
    std::string steps;
    for (int i = 0; i < 40; ++i)
        steps += fmt::format(R"({{"text": "word{} "}}, {{"delay_ms": 50}},)", i);
    steps.pop_back();
    start_mock("[{\"steps\": [" + steps + "]}, {\"steps\": [{\"text\": \"resumed\"}]}]");
    RunOptions kill;
    kill.signal = SIGKILL;
    kill.signal_when_stdout_has = "word12 ";
    RunResult r = run({ "-p", "stream slowly" }, kill);
    EXPECT_EQ(r.term_signal, SIGKILL);

    // The next start marks the reply interrupted and keeps what was flushed:
    // at most ~250 ms (5 pieces) behind what was printed.
    RunResult again = run({ "-c", "-p", "go on" });
    EXPECT_EQ(again.exit_code, 0) << again.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[1], HasSubstr("stream slowly"));
    EXPECT_THAT(requests[1], HasSubstr("word0 word1 word2 word3 word4 word5 word6"));
    RunResult list = ik({ "sessions" });
    std::string id = list.out.substr(list.out.find('\n') + 1, 6);
    RunResult jsonl = ik({ "sessions", "export", id, "--format", "jsonl" });
    EXPECT_THAT(jsonl.out, HasSubstr(R"("kind":"interrupted")"));
}

} // namespace
