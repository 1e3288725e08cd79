// Background processes end to end: the real ik binary starts a command with
// bash background: true on a pseudo-terminal, types into it, reads its
// output, stops it, and leaves nothing running when it exits.
#include <csignal>
#include <regex>
#include <string>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class Background : public IkTest {
protected:
    RunResult run(std::vector<std::string> args) { return ik_for(Wire::anthropic, std::move(args), {}); }
};

std::string call(const char* id, const char* name, const std::string& arguments)
{
    std::string escaped;
    for (char c : arguments) {
        if (c == '"' || c == '\\')
            escaped += '\\';
        escaped += c;
    }
    return fmt::format(
        R"({{"steps": [{{"tool_calls": [{{"id": "{}", "name": "{}", "arguments": "{}"}}]}}]}})", id, name, escaped);
}

std::vector<int> pids_in(const std::string& text)
{
    std::vector<int> pids;
    std::regex re("\\(pid ([0-9]+)\\)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
        pids.push_back(std::stoi((*it)[1]));
    return pids;
}

bool alive(int pid)
{
    return ::kill(pid, 0) == 0;
}

TEST_F(Background, StartTypeReadStopAndNothingOutlivesIk)
{
    std::string script = "["
        + call("t1", "bash",
            R"({"command": "[ -t 1 ] && echo on-a-tty; printf '\\033[1;32mgreen\\033[0m\\n'; read line; echo got:$line; sleep 300", "background": true})")
        + "," + call("t2", "bash", R"({"command": "sleep 300", "background": true})") + ","
        + call("t3", "process_input", R"({"id": "bg1", "text": "hello\n"})") + ","
        + call("t4", "bash", R"({"command": "sleep 1"})") + "," + call("t5", "process_output", R"({"id": "bg1"})") + ","
        + call("t6", "process_kill", R"({"id": "bg1"})") + "," + call("t7", "bash", R"({"command": "sleep 0.5"})") + ","
        + call("t8", "process_output", R"({"id": "bg1", "since": 999999})") + ","
        + call("t9", "process_output", R"({"id": "bg9"})") + R"(, {"steps": [{"text": "done"}]}])";
    start_mock(script);
    RunResult r = run({ "-p", "start a server", "--approval", "yolo" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "done\n");
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 10u);

    // Started: ids and pids come back at once.
    EXPECT_THAT(requests[1], HasSubstr("started background process bg1"));
    EXPECT_THAT(requests[2], HasSubstr("started background process bg2"));
    // process_output after the input: the pty, the typed line, no escapes.
    EXPECT_THAT(requests[5], HasSubstr("bg1 (running)"));
    EXPECT_THAT(requests[5], HasSubstr("on-a-tty"));
    EXPECT_THAT(requests[5], HasSubstr("got:hello"));
    EXPECT_THAT(requests[5], HasSubstr("green"));
    EXPECT_THAT(requests[5], Not(HasSubstr("\\u001b"))); // ESC, as JSON escapes it
    EXPECT_THAT(requests[5], HasSubstr("[next: "));
    // After process_kill: ended by a signal, nothing new past the end.
    EXPECT_THAT(requests[8], HasSubstr("bg1 (ended by SIGTERM)"));
    EXPECT_THAT(requests[8], HasSubstr("(no new output)"));
    EXPECT_THAT(requests[9], HasSubstr("no background process 'bg9'"));

    // bg2 was never stopped: ik's exit ended it (and bg1's group).
    std::vector<int> pids = pids_in(requests[2]); // both results are in it
    ASSERT_EQ(pids.size(), 2u) << requests[2];
    for (int pid : pids)
        EXPECT_FALSE(alive(pid)) << pid;
}

TEST_F(Background, BadArgumentsAreErrorsForTheModel)
{
    start_mock("[" + call("t1", "process_input", R"({"id": "bg1"})") + ","
        + call("t2", "process_kill", R"({"id": "nope"})") + R"(, {"steps": [{"text": "ok"}]}])");
    RunResult r = run({ "-p", "x", "--approval", "yolo" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_THAT(requests[1], HasSubstr("'text' is required"));
    EXPECT_THAT(requests[2], HasSubstr("no background process 'nope'"));
}

} // namespace
