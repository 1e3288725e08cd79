// Each wire format end to end: ik -p against ik-mockllm streaming text,
// thinking, parallel tool calls and usage.
#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

class Formats : public IkTest, public ::testing::WithParamInterface<Wire> { };

TEST_P(Formats, StreamsTextToStdout)
{
    start_mock(R"([{"steps": [{"text": "Hello from the mock, streamed in pieces.", "chunk": 4}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "say hello" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Hello from the mock, streamed in pieces.\n");
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_THAT(requests[0], HasSubstr("say hello"));
    EXPECT_THAT(requests[0], HasSubstr("test-")); // the API key reached the server
}

TEST_P(Formats, ReadsThePromptFromStdin)
{
    start_mock(R"([{"steps": [{"text": "ok"}]}])");
    RunOptions o;
    o.stdin_data = "prompt from stdin\n";
    RunResult r = ik_for(GetParam(), {}, o);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "ok\n");
    ASSERT_EQ(m_mock->requests().size(), 1u);
    EXPECT_THAT(m_mock->requests()[0], HasSubstr("prompt from stdin"));
}

TEST_P(Formats, ThinkingAndUsageInJson)
{
    start_mock(R"([{"steps": [{"thinking": "Let me think about it.", "chunk": 5}, {"text": "Answer.", "chunk": 3},
                              {"usage": {"input": 120, "output": 45, "cached": 100, "reasoning": 30}}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "think", "--thinking", "high", "--output-format", "json" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr(R"("text":"Answer.")"));
    EXPECT_THAT(r.out, HasSubstr(R"("thinking":"Let me think about it.")"));
    EXPECT_THAT(r.out, HasSubstr(R"("usage":{"input":120,"output":45,"cached":100)"));
    EXPECT_THAT(r.out, HasSubstr(R"("finish_reason":"stop")"));
}

TEST_P(Formats, TwoToolCallsInOneReplyRunInOrderAndReturnTogetherInJson)
{
    write_work_file("notes.txt", "alpha\nTODO: beta\n");
    start_mock(R"([{"steps": [{"text": "Reading both.", "chunk": 4},
        {"tool_calls": [{"id": "call_a", "name": "read_file", "arguments": "{\"path\":\"notes.txt\"}"},
                        {"id": "call_b", "name": "grep", "arguments": "{\"pattern\":\"TODO\",\"path\":\".\"}"}],
         "chunk": 3}]},
        {"steps": [{"text": "Both read."}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "look", "--output-format", "json" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr(R"("name":"read_file","arguments":"{\"path\":\"notes.txt\"}")"));
    EXPECT_THAT(r.out, HasSubstr(R"("name":"grep","arguments":"{\"pattern\":\"TODO\",\"path\":\".\"}")"));
    if (GetParam() != Wire::gemini) { // Gemini has no call ids; ik makes them up
        EXPECT_THAT(r.out, HasSubstr(R"("id":"call_a")"));
        EXPECT_THAT(r.out, HasSubstr(R"("id":"call_b")"));
    }
    EXPECT_THAT(r.out, HasSubstr(R"("text":"Both read.")"));
    EXPECT_THAT(r.out, HasSubstr(R"("is_error":false)"));
    EXPECT_THAT(r.out, HasSubstr(R"("finish_reason":"stop")"));
    // Both results went back to the model together, in the second request.
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_THAT(requests[1], HasSubstr("alpha"));
    EXPECT_THAT(requests[1], HasSubstr("notes.txt:2:TODO: beta"));
}

TEST_P(Formats, StreamJsonHasOneEventPerLine)
{
    start_mock(R"([{"steps": [{"text": "abcdef", "chunk": 2}, {"usage": {"input": 3, "output": 3}}]}])");
    RunResult r = ik_for(GetParam(), { "-p", "x", "--output-format", "stream-json" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("{\"type\":\"text_delta\",\"text\":\"ab\"}\n"));
    EXPECT_THAT(r.out, HasSubstr("{\"type\":\"text_delta\",\"text\":\"cd\"}\n"));
    EXPECT_THAT(r.out, HasSubstr("\"type\":\"finish\""));
    for (size_t pos = 0; pos < r.out.size();) {
        size_t nl = r.out.find('\n', pos);
        ASSERT_NE(nl, std::string::npos);
        EXPECT_EQ(r.out[pos], '{');
        EXPECT_EQ(r.out[nl - 1], '}');
        pos = nl + 1;
    }
}

INSTANTIATE_TEST_SUITE_P(AllWireFormats, Formats,
    ::testing::Values(Wire::openai_chat, Wire::openai_responses, Wire::anthropic, Wire::gemini),
    [](const auto& p) { return wire_name(p.param); });
