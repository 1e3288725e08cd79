// `ik sessions` output formats, against a real SQLite store in a temp dir.
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "app/sessions_cmd.h"
#include "core/json.h"
#include "store/records.h"
#include "support/matchers.h"

namespace ik::app {
namespace {

using store::EventKind;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Collects what a command writes to a FILE*.
class Capture {
public:
    Capture()
        : m_file(open_memstream(&m_buf, &m_size))
    {
    }
    ~Capture()
    {
        if (m_file)
            std::fclose(m_file);
        std::free(m_buf);
    }
    std::FILE* file() { return m_file; }
    std::string text()
    {
        std::fflush(m_file);
        return std::string(m_buf, m_size);
    }

private:
    char* m_buf = nullptr;
    size_t m_size = 0;
    std::FILE* m_file;
};

class SessionsCmd : public ::testing::Test {
protected:
    void SetUp() override
    {
        char tmpl[] = "/tmp/ik-sessions-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        m_dir = tmpl;
        if (const char* home = std::getenv("HOME"))
            m_home = home;
        setenv("HOME", "/home/ada", 1);
        auto s = store::open_store("", m_dir + "/ik.db");
        ASSERT_TRUE(s.has_value()) << s.error().to_string();
        st = std::move(*s);
        id = *st->create_session({ .cwd = "/home/ada/src/ik", .model = "gpt-5" });
        ok(st->append(id, EventKind::user, R"({"text":"Fix the flaky websocket test\nin CI"})"));
        ok(st->append(id, EventKind::assistant,
            R"({"text":"Looking.","tool_calls":[{"id":"c1","name":"bash","arguments":"{\"command\":\"ls\"}"}]})"));
        ok(st->append(id, EventKind::tool_call, R"({"id":"c1","name":"bash","arguments":"{\"command\":\"ls\"}"})"));
        ok(st->append(
            id, EventKind::tool_result, R"({"id":"c1","name":"bash","text":"a.cc\n```\nb.cc","exit_code":0})"));
        ok(st->append(id, EventKind::usage, R"({"input":120,"output":30,"cached":0,"cost_usd":0.0042})"));
        store::Reply r = *st->begin_reply(id);
        ok(st->append_text(r, "Done: the test"));
        ok(st->flush(r));
        ok(st->end_reply(r, store::AssistantRecord{ .text = "Done: the test waits for the handshake now." }));
        other = *st->create_session({ .cwd = "/opt/elsewhere", .model = "claude" });
        ok(st->append(other, EventKind::user, R"({"text":"写一个函数 🎉"})"));
    }
    void TearDown() override
    {
        if (m_home)
            setenv("HOME", m_home->c_str(), 1);
        else
            unsetenv("HOME");
        st.reset();
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    template <typename R> void ok(const R& r) { ASSERT_TRUE(r.has_value()) << r.error().to_string(); }

    std::string m_dir;
    std::optional<std::string> m_home;
    std::unique_ptr<store::Store> st;
    std::string id;
    std::string other;
    Capture out;
    Capture err;
};

TEST_F(SessionsCmd, ListsNewestFirstAsATable)
{
    EXPECT_EQ(sessions_list(*st, {}, out.file(), err.file()), 0);
    std::string text = out.text();
    EXPECT_THAT(text,
        StartsWith("ID            UPDATED           EVENTS  TOKENS     COST  DIRECTORY                     TITLE\n"));
    size_t first = text.find(other), second = text.find(id);
    ASSERT_NE(first, std::string::npos);
    ASSERT_NE(second, std::string::npos);
    EXPECT_LT(first, second);
    EXPECT_THAT(text,
        ContainsRegex(id
            + "  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}       7     150  \\$0.0042  ~/src/ik                     "
              " "
              "Fix the flaky websocket test\n"));
    // No usage yet: dashes, not zeros that read like a free session.
    EXPECT_THAT(text, HasSubstr("     1       -        -  /opt/elsewhere                写一个函数 🎉\n"));
    EXPECT_EQ(err.text(), "");
}

TEST_F(SessionsCmd, ListFiltersByDirectoryAndSaysWhenEmpty)
{
    EXPECT_EQ(sessions_list(*st, { .cwd = "/opt/elsewhere" }, out.file(), err.file()), 0);
    EXPECT_THAT(out.text(), Not(HasSubstr(id)));
    Capture out2, err2;
    EXPECT_EQ(sessions_list(*st, { .cwd = "/nowhere" }, out2.file(), err2.file()), 0);
    EXPECT_EQ(out2.text(), "");
    EXPECT_EQ(err2.text(), "no sessions in /nowhere (2 in other directories: `ik sessions -a` lists them)\n");
}

TEST_F(SessionsCmd, ListSaysNoSessionsYetOnlyWhenTheStoreIsEmpty)
{
    auto empty = store::open_store("", m_dir + "/empty.db");
    ASSERT_TRUE(empty.has_value());
    EXPECT_EQ(sessions_list(**empty, { .cwd = "/nowhere" }, out.file(), err.file()), 0);
    EXPECT_THAT(err.text(), StartsWith("no sessions yet in "));
}

// Events as the turn loop wrote them before typed records (approval's
// `verdict`, tool_result without exit_code) read as what they say.
TEST_F(SessionsCmd, ShowReadsApprovalsAndToolStates)
{
    ok(st->append(id, EventKind::approval,
        R"({"call_id":"c2","tool":"bash","verdict":"deny","source":"headless","reason":"nobody to ask","command":"rm x"})"));
    ok(st->append(id, EventKind::tool_result,
        R"({"id":"c2","name":"bash","text":"Not run","is_error":true,"summary":"denied"})"));
    ok(st->append(id, EventKind::tool_result,
        R"({"id":"c3","name":"bash","text":"boom","is_error":true,"summary":"exit 3, 1 line","state":"ran","exit_code":3})"));
    ok(st->append(id, EventKind::eviction, R"({"first_exchange":2,"messages":5})"));
    EXPECT_EQ(sessions_show(*st, id, out.file(), err.file()), 0);
    std::string text = out.text();
    EXPECT_THAT(text, HasSubstr("#8 approval bash: deny rm x\n  nobody to ask\n"));
    EXPECT_THAT(text, Not(HasSubstr("?")));
    EXPECT_THAT(text, HasSubstr("#9 tool result bash (denied)\n  Not run\n"));
    EXPECT_THAT(text, HasSubstr("#10 tool result bash (exit 3)\n  boom\n"));
    EXPECT_THAT(text, HasSubstr("#11 memory cap: 5 messages left the window"));
}

TEST_F(SessionsCmd, ShowReportsACorruptEventByNumber)
{
    ok(st->append(id, EventKind::user, R"({"text":42})"));
    EXPECT_EQ(sessions_show(*st, id, out.file(), err.file()), 1);
    EXPECT_THAT(err.text(), HasSubstr("event 8 (user) cannot be read"));
}

TEST_F(SessionsCmd, SearchPrintsHitsWithSnippets)
{
    EXPECT_EQ(sessions_search(*st, "handshake", out.file(), err.file()), 0);
    std::string text = out.text();
    EXPECT_THAT(text, StartsWith(id + " #7 assistant  "));
    EXPECT_THAT(text, HasSubstr("~/src/ik  Fix the flaky websocket test\n"));
    EXPECT_THAT(text, HasSubstr("    Done: the test waits for the **handshake** now.\n"));
    Capture out2, err2;
    EXPECT_EQ(sessions_search(*st, "", out2.file(), err2.file()), 2);
    EXPECT_THAT(err2.text(), HasSubstr("search text is empty"));
}

TEST_F(SessionsCmd, ShowPrintsAReadableTranscript)
{
    EXPECT_EQ(sessions_show(*st, id.substr(0, 12), out.file(), err.file()), 0);
    std::string text = out.text();
    EXPECT_THAT(text,
        StartsWith("Session " + id
            + ": Fix the flaky websocket test\n"
              "Directory ~/src/ik  Model gpt-5  Started "));
    EXPECT_THAT(
        text, ContainsRegex("\n\\[[0-9]{2}:[0-9]{2}:[0-9]{2}\\] #1 user\n  Fix the flaky websocket test\n  in CI\n"));
    EXPECT_THAT(text, HasSubstr("#2 assistant\n  Looking.\n  → bash {\"command\":\"ls\"}\n"));
    EXPECT_THAT(text, HasSubstr("#3 tool call bash\n  {\"command\":\"ls\"}\n"));
    EXPECT_THAT(text, HasSubstr("#4 tool result bash (exit 0)\n  a.cc\n  ```\n  b.cc\n"));
    EXPECT_THAT(text, HasSubstr("#5 usage: 120 in, 30 out, 0 cached, $0.0042\n"));
    EXPECT_THAT(text, Not(HasSubstr("#6"))); // the partial batch
    EXPECT_THAT(text, HasSubstr("#7 assistant\n  Done: the test waits for the handshake now.\n"));
}

TEST_F(SessionsCmd, ShowRejectsUnknownAndBadIds)
{
    EXPECT_EQ(sessions_show(*st, "0000000000000", out.file(), err.file()), 2); // as `ik -r` with an unknown id
    EXPECT_THAT(err.text(), HasSubstr("no session id starts with"));
    Capture out2, err2;
    EXPECT_EQ(sessions_show(*st, "xyz", out2.file(), err2.file()), 2);
    EXPECT_THAT(err2.text(), HasSubstr("expected hex digits"));
}

TEST_F(SessionsCmd, ExportsJsonLinesVerbatim)
{
    EXPECT_EQ(sessions_export(*st, id, ExportFormat::jsonl, out.file(), err.file()), 0);
    std::string text = out.text();
    std::vector<std::string> lines;
    for (size_t at = 0; at < text.size();) {
        size_t nl = text.find('\n', at);
        lines.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    ASSERT_EQ(lines.size(), 8u);
    EXPECT_THAT(lines[0],
        StartsWith(R"({"type":"session","id":")" + id
            + R"(","cwd":"/home/ada/src/ik","model":"gpt-5","title":"Fix the flaky websocket test",)"));
    EXPECT_THAT(lines[0], HasSubstr(R"("event_count":7,"parent_id":null,"parent_call_id":null,"sub_agents":[]})"));
    EXPECT_THAT(lines[1],
        ContainsRegex(
            R"(^\{"type":"event","seq":1,"kind":"user","created_at":[0-9]+,"data":\{"text":"Fix the flaky websocket test\\nin CI"\}\}$)"));
    EXPECT_THAT(lines[6], HasSubstr(R"("kind":"assistant_partial")"));
    mem::Arena arena(mem::root(), "t");
    for (const std::string& line : lines)
        EXPECT_TRUE(json::parse(arena, line).has_value()) << line;
}

TEST_F(SessionsCmd, ExportsMarkdown)
{
    EXPECT_EQ(sessions_export(*st, id.substr(0, 6), ExportFormat::markdown, out.file(), err.file()), 0);
    std::string text = out.text();
    EXPECT_THAT(text,
        StartsWith("# Fix the flaky websocket test\n\n- Session: `" + id
            + "`\n- Directory: `/home/ada/src/ik`\n- Model: gpt-5\n"));
    EXPECT_THAT(text,
        HasSubstr("## User\n\nFix the flaky websocket test\nin CI\n\n## Assistant\n\nLooking.\n\n**Tool call** "
                  "`bash`\n\n```json\n{\"command\":\"ls\"}\n```\n"));
    // The output holds a ``` line, so its fence is longer.
    EXPECT_THAT(text, HasSubstr("**Tool result** `bash` (exit 0)\n\n````\na.cc\n```\nb.cc\n````\n"));
    EXPECT_THAT(text, HasSubstr("## Assistant\n\nDone: the test waits for the handshake now.\n"));
    EXPECT_THAT(text, Not(HasSubstr("usage")));
    EXPECT_EQ(text.find("Done: the test\n"), std::string::npos); // no partial batch
    // The assistant event lists its call; the tool_call event does not repeat it.
    size_t first = text.find("**Tool call**");
    ASSERT_NE(first, std::string::npos);
    EXPECT_EQ(text.find("**Tool call**", first + 1), std::string::npos);
}

TEST_F(SessionsCmd, ParsesExportFormats)
{
    EXPECT_EQ(*parse_export_format("jsonl"), ExportFormat::jsonl);
    EXPECT_EQ(*parse_export_format("md"), ExportFormat::markdown);
    EXPECT_THAT(parse_export_format("html"), ::ik::testing::HasErrorMessage(HasSubstr("expected jsonl or markdown")));
}

} // namespace
} // namespace ik::app
