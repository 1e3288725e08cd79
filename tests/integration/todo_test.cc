// The todo tool end to end: the real ik binary, headless, with the mock
// scripting todo calls. The model reads the list back; text output carries
// nothing extra; stream-json shows the call like any other; the calls and
// results are stored and `ik sessions show` reads them as a list.
#include <string>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class Todo : public IkTest {
protected:
    RunResult run(std::vector<std::string> args) { return ik_for(Wire::anthropic, std::move(args), {}); }
    std::string newest_session()
    {
        RunResult list = ik({ "sessions", "-a" });
        EXPECT_EQ(list.exit_code, 0) << list.err;
        size_t line = list.out.find('\n');
        return line == std::string::npos ? "" : list.out.substr(line + 1, 12);
    }
};

std::string todo_call(const char* id, const std::string& arguments)
{
    return fmt::format(R"({{"steps": [{{"tool_calls": [{{"id": "{}", "name": "todo", "arguments": "{}"}}]}}]}})", id,
        json_escape(arguments));
}

const std::string first_plan = R"({"todos": [{"content": "Read the code", "status": "in_progress"},
    {"content": "Fix the bug", "status": "pending"}]})";
const std::string second_plan = R"({"todos": [{"content": "Read the code", "status": "done"},
    {"content": "Fix the bug", "status": "in_progress"}, {"content": "Run the tests", "status": "pending"}]})";

TEST_F(Todo, TheModelReadsTheListBackAndTextOutputHasOnlyTheAnswer)
{
    start_mock(
        "[" + todo_call("t1", first_plan) + "," + todo_call("t2", second_plan) + R"(, {"steps": [{"text": "done"}]}])");
    // The default approval mode asks before edits and commands: the todo
    // tool is not one of them, so headless never denies it.
    RunResult r = run({ "-p", "fix the bug" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "done\n");
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_THAT(requests[1],
        HasSubstr(
            R"(Todo list (2 items: 1 in progress, 1 pending):\n1. [in_progress] Read the code\n2. [pending] Fix the bug)"));
    EXPECT_THAT(requests[2], HasSubstr(R"(3. [pending] Run the tests)"));
    EXPECT_THAT(requests[2], Not(HasSubstr(R"("is_error":true)")));
    // The tool is offered with its schema.
    EXPECT_THAT(requests[0], HasSubstr(R"("name":"todo")"));

    // Stored: the calls and the results, read back as a list.
    std::string id = newest_session();
    RunResult shown = ik({ "sessions", "show", id });
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_THAT(shown.out, HasSubstr("tool call todo"));
    EXPECT_THAT(shown.out, HasSubstr("tool result todo"));
    EXPECT_THAT(shown.out, HasSubstr("1. [done] Read the code"));
    EXPECT_THAT(shown.out, HasSubstr("2. [in_progress] Fix the bug"));
    RunResult jsonl = ik({ "sessions", "export", id, "--format", "jsonl" });
    EXPECT_THAT(jsonl.out, HasSubstr(R"("name":"todo")"));
    EXPECT_THAT(jsonl.out, HasSubstr(R"("state":"ran")"));
}

TEST_F(Todo, StreamJsonShowsTheCallLikeAnyOther)
{
    start_mock("[" + todo_call("t1", first_plan) + R"(, {"steps": [{"text": "ok"}]}])");
    RunResult r = run({ "-p", "plan", "--output-format", "stream-json" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr(R"("name":"todo")"));
    EXPECT_THAT(r.out, HasSubstr(R"("id":"t1")"));
    EXPECT_THAT(r.out, HasSubstr("[in_progress] Read the code"));
}

TEST_F(Todo, HostileListsAreErrorsThatNameTheItemAndTheField)
{
    std::string huge
        = fmt::format(R"({{"todos": [{{"content": "{}", "status": "pending"}}]}})", std::string(2000, 'x'));
    std::string escape
        = R"({"todos": [{"content": "ok", "status": "done"}, {"content": "\u001b[2J\u001b]0;pwned\u0007", "status": "pending"}]})";
    std::string two
        = R"({"todos": [{"content": "a", "status": "in_progress"}, {"content": "b", "status": "in_progress"}]})";
    start_mock("[" + todo_call("t1", huge) + "," + todo_call("t2", escape) + "," + todo_call("t3", two) + ","
        + todo_call("t4", R"({"todos": "read the code, then fix it"})") + R"(, {"steps": [{"text": "gave up"}]}])");
    RunResult r = run({ "-p", "plan" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "gave up\n");
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 5u);
    EXPECT_THAT(requests[1], HasSubstr("todos[0].content is 2000 bytes; at most 500"));
    EXPECT_THAT(requests[2], HasSubstr("todos[1].content must be one line without control characters"));
    EXPECT_THAT(requests[3], HasSubstr("todos[0] and todos[1] are both in_progress"));
    EXPECT_THAT(requests[4], HasSubstr("todo: 'todos' must be an array, got string"));
    EXPECT_THAT(r.err, Not(HasSubstr("\x1b[2J")));
}

} // namespace
