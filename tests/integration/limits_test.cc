// Hostile and quirky providers end to end: caps on lines and replies, the
// reply deadline against a stream kept alive by comments, provider quirks
// that must not run or retry anything, and outside text that is not UTF-8.
#include <filesystem>

#include <sys/stat.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;

class Limits : public IkTest { };

RunOptions within(int seconds)
{
    RunOptions o;
    o.timeout = std::chrono::seconds(seconds);
    return o;
}

TEST_F(Limits, AFiftyMegabyteLineEndsAtTheLineCapKeepingTheText)
{
    // One line of 50 MB that never ends: ik must stop at limits.sse_line_kb
    // (default 4 MiB) instead of buffering it.
    start_mock(R"([{"steps": [{"text": "before the flood"},
        {"raw": "data: {\"choices\": [{\"index\": 0, \"delta\": {\"content\": \""},
        {"flood": "xxxxxxxx", "total_bytes": 52428800}]}])");
    RunResult r = ik_for(Wire::openai_chat, { "-p", "x" }, within(30));
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_THAT(r.out, HasSubstr("before the flood"));
    EXPECT_THAT(r.err, HasSubstr("limits.sse_line_kb"));
    EXPECT_LT(r.seconds, 20);
}

TEST_F(Limits, AnEndlessStreamEndsAtTheReplyCap)
{
    write_config(R"({"http": {"idle_timeout_s": 5, "max_retries": 0}, "limits": {"reply_mb": 1}})");
    start_mock(R"([{"steps": [{"endless_text": "token token token token token token token token token token "}]}])");
    RunResult r = ik_for(Wire::anthropic, { "-p", "x" }, within(30));
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_THAT(r.err, HasSubstr("limits.reply_mb"));
    EXPECT_GT(r.out.size(), 1000000u);
    EXPECT_LE(r.out.size(), (1u << 20) + 1);
    EXPECT_EQ(r.out.substr(0, 12), "token token ");

    // The text so far is stored once, in the reply's batches, and the
    // interrupted event refers to them: show, export and resume join them.
    RunResult list = ik({ "sessions" });
    ASSERT_EQ(list.exit_code, 0) << list.err;
    std::string id = list.out.substr(list.out.find('\n') + 1, 6);
    RunResult shown = ik({ "sessions", "show", id });
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_THAT(shown.out, HasSubstr("limits.reply_mb"));
    EXPECT_THAT(shown.out, HasSubstr("  token token token"));
    EXPECT_GT(shown.out.size(), r.out.size() - 64) << "the whole text is shown, not only the last batch";
    RunResult jsonl = ik({ "sessions", "export", id, "--format", "jsonl" });
    EXPECT_THAT(jsonl.out, HasSubstr(R"("kind":"assistant_partial")"));
    EXPECT_THAT(jsonl.out, HasSubstr(R"("partials":true)"));
    RunResult md = ik({ "sessions", "export", id, "--format", "markdown" });
    std::string stored = r.out.substr(0, r.out.size() - 1); // ik -p ends the text with a newline
    EXPECT_THAT(md.out, HasSubstr(stored));

    m_mock.reset(); // stopped before the next one starts in the same directory
    // ~300k tokens of kept text may make the context manager summarise
    // first: enough responses for that and the answer.
    start_mock(R"([{"steps": [{"text": "summary"}]}, {"steps": [{"text": "resumed"}]}, {"steps": [{"text": "x"}]}])");
    RunResult resumed = ik_for(Wire::anthropic, { "-c", "-p", "go on" }, within(30));
    EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
    bool sent = false;
    for (const std::string& request : m_mock->requests())
        sent = sent
            || (request.size() > stored.size()
                && request.find(stored.substr(stored.size() - 100)) != std::string::npos);
    EXPECT_TRUE(sent) << "the kept text is sent again on resume";
}

// A reply longer than a batch is stored once: its final event refers to the
// batches written while it streamed and carries only the rest (the peak heap
// of a long reply, docs/perf.md); show, export, search and resume see the
// whole text.
TEST_F(Limits, ALongReplyIsStoredOnceAndReadWhole)
{
    std::string text = "firstword ";
    while (text.size() < 200000)
        text += "lorem ipsum dolor sit amet ";
    text += "lastword";
    start_mock(R"([{"steps": [{"text": ")" + text + R"(", "chunk": 997}]}])");
    RunResult r = ik_for(Wire::anthropic, { "-p", "x" }, within(30));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, text + "\n");

    RunResult list = ik({ "sessions" });
    ASSERT_EQ(list.exit_code, 0) << list.err;
    std::string id = list.out.substr(list.out.find('\n') + 1, 6);
    RunResult jsonl = ik({ "sessions", "export", id, "--format", "jsonl" });
    ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
    size_t final_at = jsonl.out.find(R"("kind":"assistant")");
    ASSERT_NE(final_at, std::string::npos) << jsonl.out.substr(0, 2000);
    std::string final_line = jsonl.out.substr(final_at, jsonl.out.find('\n', final_at) - final_at);
    EXPECT_THAT(final_line, HasSubstr(R"("partials":true)"));
    EXPECT_LT(final_line.size(), 20000u) << "the final event repeats the batches";
    EXPECT_THAT(final_line, ::testing::Not(HasSubstr("firstword")));

    RunResult shown = ik({ "sessions", "show", id });
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_THAT(shown.out, HasSubstr("  firstword lorem"));
    EXPECT_THAT(shown.out, HasSubstr("amet lastword"));
    EXPECT_GT(shown.out.size(), text.size());
    RunResult md = ik({ "sessions", "export", id, "--format", "markdown" });
    EXPECT_THAT(md.out, HasSubstr("## Assistant\n\n" + text + "\n"));
    for (const char* word : { "firstword", "lastword" }) {
        RunResult found = ik({ "sessions", "search", word });
        EXPECT_EQ(found.exit_code, 0) << found.err;
        EXPECT_THAT(found.out, HasSubstr(id)) << word;
        EXPECT_THAT(found.out, HasSubstr(" assistant ")) << word;
    }

    m_mock.reset();
    start_mock(R"([{"steps": [{"text": "summary"}]}, {"steps": [{"text": "resumed"}]}, {"steps": [{"text": "x"}]}])");
    RunResult resumed = ik_for(Wire::anthropic, { "-c", "-p", "go on" }, within(30));
    EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
    bool sent = false;
    for (const std::string& request : m_mock->requests())
        sent = sent || request.find("firstword lorem ipsum") != std::string::npos;
    EXPECT_TRUE(sent) << "the whole text is sent again on resume";
}

TEST_F(Limits, CommentsForeverAreEndedByTheReplyDeadline)
{
    write_config(R"({"http": {"idle_timeout_s": 2, "max_retries": 3}, "timeouts": {"reply_s": 1}})");
    start_mock(R"([{"steps": [{"text": "waiting"}, {"comments": "keep-alive", "interval_ms": 100}]}])");
    RunResult r = ik_for(Wire::openai_chat, { "-p", "x" }, within(20));
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_EQ(r.out, "waiting\n");
    EXPECT_THAT(r.err, HasSubstr("timeouts.reply_s"));
    EXPECT_LT(r.seconds, 8);
    EXPECT_EQ(m_mock->requests().size(), 1u) << "a deadline is not retried";
}

TEST_F(Limits, InvalidUtf8InThePromptIsRepairedWithANotice)
{
    start_mock(R"([{"steps": [{"text": "ok"}]}])");
    RunResult r = ik_for(Wire::openai_chat, { "-p", "caf\xff and \xc3" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "ok\n");
    EXPECT_THAT(r.err, HasSubstr("replaced 2 invalid UTF-8 byte(s) in the prompt"));
    ASSERT_EQ(m_mock->requests().size(), 1u);
    EXPECT_THAT(m_mock->requests()[0], HasSubstr("caf\xEF\xBF\xBD and \xEF\xBF\xBD"));
}

TEST_F(Limits, AgentsMdThatIsAFifoIsSkippedAndABinaryOneRepaired)
{
    start_mock(R"([{"steps": [{"text": "one"}]}, {"steps": [{"text": "two"}]}])");
    std::string agents = work_dir() + "/AGENTS.md";
    ASSERT_EQ(::mkfifo(agents.c_str(), 0644), 0);
    RunResult fifo = ik_for(Wire::openai_chat, { "-p", "x" }, within(15));
    EXPECT_FALSE(fifo.timed_out) << "ik waited on the FIFO";
    EXPECT_EQ(fifo.exit_code, 0) << fifo.err;
    std::filesystem::remove(agents);
    write_work_file("AGENTS.md", "rules \xff\xfe end\n");
    RunResult binary = ik_for(Wire::openai_chat, { "-p", "x" });
    EXPECT_EQ(binary.exit_code, 0) << binary.err;
    EXPECT_THAT(binary.err, HasSubstr("replaced 2 invalid UTF-8 byte(s) in the system prompt"));
    ASSERT_EQ(m_mock->requests().size(), 2u);
    EXPECT_THAT(m_mock->requests()[1], HasSubstr("rules \xEF\xBF\xBD\xEF\xBF\xBD end"));
}

TEST_F(Limits, AToolCallCutByMaxTokensIsNotRun)
{
    start_mock(R"([{"steps": [{"text": "Creating it."},
        {"tool_calls": [{"id": "toolu_1", "name": "bash", "arguments": "{\"command\": \"touch ran\"}"}]},
        {"finish": "length"}]}])");
    RunResult r = ik_for(Wire::anthropic, { "-p", "x", "--approval", "yolo" });
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("Creating it."));
    EXPECT_THAT(r.err, HasSubstr("the call was not run"));
    EXPECT_FALSE(std::filesystem::exists(work_dir() + "/ran"));
    EXPECT_EQ(m_mock->requests().size(), 1u);
}

TEST_F(Limits, GeminiBlockedPromptIsARefusal)
{
    start_mock(R"([{"steps": [{"raw": "data: {\"promptFeedback\": {\"blockReason\": \"SAFETY\"}}\n\n"}]}])");
    RunResult r = ik_for(Wire::gemini, { "-p", "x" });
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_THAT(r.err, HasSubstr("refused the prompt (promptFeedback.blockReason SAFETY)"));
    EXPECT_EQ(r.out, "");
}

TEST_F(Limits, InsufficientQuotaIsNotRetried)
{
    start_mock(
        R"([{"status": 429, "body": "{\"error\": {\"message\": \"You exceeded your current quota.\", \"type\": \"insufficient_quota\", \"code\": \"insufficient_quota\"}}"},
                   {"steps": [{"text": "never"}]}])");
    RunResult r = ik_for(Wire::openai_chat, { "-p", "x" });
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_THAT(r.err, HasSubstr("no quota left"));
    EXPECT_EQ(m_mock->requests().size(), 1u);
}
