// Terminal safety (docs/safety.md): text from a model, a tool or a provider
// reaches a terminal visibly ("␛]52;", "^G"), never as the escape sequence
// itself; a pipe gets the exact bytes. stdout is made a terminal with a
// pseudo-terminal (RunOptions::stdout_tty); stderr is visible even in a pipe.
#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// OSC 52 (write the clipboard, BEL-terminated) and CSI 2J (clear the screen),
// as the model's text; `json` is the same text inside a JSON script.
const std::string hostile = "Copy \x1b]52;c;ZXZpbA==\x07 then \x1b[2J done.";
const std::string hostile_json = R"(Copy \u001b]52;c;ZXZpbA==\u0007 then \u001b[2J done.)";
const std::string shown = "Copy ␛]52;c;ZXZpbA==^G then ␛[2J done.";

class Terminal : public IkTest {
protected:
    RunResult run(std::vector<std::string> args, RunOptions options = {})
    {
        return ik_for(Wire::anthropic, std::move(args), std::move(options));
    }
    static RunOptions on_a_terminal()
    {
        RunOptions o;
        o.stdout_tty = true;
        return o;
    }
    // The id of the only session, from `ik sessions`.
    std::string session_id()
    {
        RunResult list = ik({ "sessions" });
        return list.out.substr(list.out.find('\n') + 1, 6);
    }
};

TEST_F(Terminal, HeadlessTextOnATerminalShowsEscapesVisibly)
{
    start_mock(R"([{"steps": [{"text": ")" + hostile_json + R"(", "chunk": 3}]}])");
    RunResult r = run({ "-p", "hi" }, on_a_terminal());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, shown + "\n");
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
    EXPECT_EQ(r.out.find('\x07'), std::string::npos);
}

TEST_F(Terminal, HeadlessTextToAPipeIsExact)
{
    start_mock(R"([{"steps": [{"text": ")" + hostile_json + R"(\r\nline\rover", "chunk": 3}]}])");
    RunResult r = run({ "-p", "hi" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, hostile + "\r\nline\rover\n");
}

TEST_F(Terminal, StreamJsonOnATerminalShowsC1ControlsVisibly)
{
    // U+009B is CSI on a terminal that honours C1 controls; JSON leaves it raw.
    start_mock(R"([{"steps": [{"text": "a\u009b2Jb"}]}, {"steps": [{"text": "a\u009b2Jb"}]}])");
    RunResult tty = run({ "-p", "hi", "--output-format", "stream-json" }, on_a_terminal());
    EXPECT_EQ(tty.exit_code, 0) << tty.err;
    EXPECT_THAT(tty.out, HasSubstr(R"("text":"a␛[2Jb")"));
    EXPECT_THAT(tty.out, Not(HasSubstr("\xc2\x9b")));
    RunResult pipe = run({ "-p", "hi", "--output-format", "stream-json" });
    EXPECT_THAT(pipe.out,
        HasSubstr("\"text\":\"a\xc2\x9b"
                  "2Jb\""));
}

TEST_F(Terminal, ToolLinesOnStderrAreAlwaysVisible)
{
    start_mock(R"([{"steps": [{"tool_calls": [{"id": "t1", "name": "bash",
                       "arguments": "{\"command\":\"printf '\\\\033]52;c;eA==\\\\007' # \\u001b[2J\"}"}]}]},
                   {"steps": [{"text": "Done."}]}])");
    RunResult r = run({ "-p", "copy", "--approval", "yolo" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("ik: bash printf '\\033]52;c;eA==\\007' # ␛[2J"));
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
}

TEST_F(Terminal, ProviderErrorBodiesOnStderrAreVisible)
{
    start_mock(R"([{"status": 400, "body": "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",)"
               R"(\"message\":\"bad \\u001b]52;c;ZXZpbA==\\u0007 request\"}}"}])");
    RunResult r = run({ "-p", "x" });
    EXPECT_NE(r.exit_code, 0);
    EXPECT_THAT(r.err, HasSubstr("bad ␛]52;c;ZXZpbA==^G request"));
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
}

TEST_F(Terminal, SessionsShowAndExportOnATerminalAreVisibleAndExactInAPipe)
{
    // The model's text and a tool's output, both with escapes, stored.
    start_mock(R"([{"steps": [{"tool_calls": [{"id": "t1", "name": "bash",
                       "arguments": "{\"command\":\"printf '\\\\033]52;c;eA==\\\\007'\"}"}]}]},
                   {"steps": [{"text": ")"
        + hostile_json + R"("}]}])");
    ASSERT_EQ(run({ "-p", "go", "--approval", "yolo" }).exit_code, 0);
    std::string id = session_id();

    RunResult show = ik({ "sessions", "show", id }, {}, on_a_terminal());
    EXPECT_EQ(show.exit_code, 0) << show.err;
    EXPECT_THAT(show.out, HasSubstr(shown));
    EXPECT_THAT(show.out, HasSubstr("␛]52;c;eA==^G"));
    EXPECT_EQ(show.out.find('\x1b'), std::string::npos) << show.out;

    RunResult md = ik({ "sessions", "export", id, "--format", "markdown" }, {}, on_a_terminal());
    EXPECT_EQ(md.exit_code, 0) << md.err;
    EXPECT_THAT(md.out, HasSubstr(shown));
    EXPECT_EQ(md.out.find('\x1b'), std::string::npos) << md.out;

    RunResult piped_show = ik({ "sessions", "show", id });
    EXPECT_THAT(piped_show.out, HasSubstr(hostile));
    EXPECT_THAT(piped_show.out, HasSubstr("\x1b]52;c;eA==\x07"));
    RunResult piped_md = ik({ "sessions", "export", id, "--format", "markdown" });
    EXPECT_THAT(piped_md.out, HasSubstr(hostile));
}

} // namespace
