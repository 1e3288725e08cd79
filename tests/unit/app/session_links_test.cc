// How `ik sessions` shows sub-agents' sessions (app/session_links.h): the
// nesting of a listing (hostile shapes too: a parent not listed, a cycle, a
// deep chain), and list/show/search/export against a real SQLite store.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "app/session_links.h"
#include "app/sessions_cmd.h"
#include "support/matchers.h"

namespace ik::app {
namespace {

using store::EventKind;
using store::SessionInfo;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> shown(std::span<const SessionInfo> sessions)
{
    std::vector<std::string> out;
    for (const ListedSession& row : nest_sub_agents(sessions))
        out.push_back(fmt::format("{}{}", std::string(static_cast<size_t>(row.depth), '>'), row.info->id));
    return out;
}

TEST(NestSubAgents, PutsEachChildUnderItsListedParent)
{
    // Newest first, as listed: c2 and c1 are a's, g is c1's, o's parent is not listed.
    std::vector<SessionInfo> s = {
        { .id = "c2", .parent_id = "a" },
        { .id = "b" },
        { .id = "g", .parent_id = "c1" },
        { .id = "a" },
        { .id = "o", .parent_id = "gone" },
        { .id = "c1", .parent_id = "a" },
    };
    EXPECT_EQ(shown(s), (std::vector<std::string>{ "b", "a", ">c2", ">c1", ">>g", "o" }));
    auto rows = nest_sub_agents(s);
    EXPECT_EQ(listed_marker(rows[0]), "");
    EXPECT_EQ(listed_marker(rows[2]), "↳ ");
    EXPECT_EQ(listed_marker(rows[4]), "  ↳ ");
    EXPECT_EQ(listed_marker(rows[5]), "↳ sub-agent of gone: ");
}

TEST(NestSubAgents, ShowsEverySessionOnceWhateverTheStoreHolds)
{
    // A cycle and a session naming itself only a damaged store could hold.
    std::vector<SessionInfo> s = {
        { .id = "x", .parent_id = "y" },
        { .id = "y", .parent_id = "x" },
        { .id = "self", .parent_id = "self" },
    };
    auto rows = shown(s);
    std::sort(rows.begin(), rows.end());
    EXPECT_EQ(rows, (std::vector<std::string>{ ">y", "self", "x" }));
    // A chain far deeper than agents.max_depth is indented only so far.
    std::vector<std::string> ids(50);
    std::vector<SessionInfo> chain;
    for (size_t i = 0; i < ids.size(); ++i) {
        ids[i] = fmt::format("s{}", i);
        chain.push_back({ .id = ids[i], .parent_id = i == 0 ? std::string_view() : std::string_view(ids[i - 1]) });
    }
    auto deep = nest_sub_agents(chain);
    ASSERT_EQ(deep.size(), 50u);
    EXPECT_LE(deep.back().depth, 8);
    EXPECT_EQ(nest_sub_agents({}).size(), 0u);
}

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
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;
    std::FILE* file() { return m_file; }
    std::string text()
    {
        std::fflush(m_file);
        return { m_buf, m_size };
    }

private:
    char* m_buf = nullptr;
    size_t m_size = 0;
    std::FILE* m_file;
};

class SessionLinksCmd : public ::testing::Test {
protected:
    void SetUp() override
    {
        char tmpl[] = "/tmp/ik-links-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        m_dir = tmpl;
        auto s = store::open_store("", m_dir + "/ik.db");
        ASSERT_TRUE(s.has_value()) << s.error().to_string();
        st = std::move(*s);
        parent = *st->create_session({ .cwd = "/w", .model = "m" });
        ok(st->append(parent, EventKind::user, R"({"text":"hand it over"})"));
        // A description with an escape sequence: shown visibly, never obeyed (a terminal only).
        child = *st->create_session(
            { .cwd = "/w", .title = "scan \x1b[2Jtree", .parent_id = parent, .parent_call_id = "toolu_9" });
        ok(st->append(child, EventKind::user, R"({"text":"look for the okapi"})"));
        ok(st->append(child, EventKind::usage, R"({"input":1000,"output":200,"cached":0})"));
        ok(st->append(parent, EventKind::assistant, R"({"text":"it is done"})"));
    }
    void TearDown() override
    {
        st.reset();
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    template <typename R> void ok(const R& r) { ASSERT_TRUE(r.has_value()) << r.error().to_string(); }

    std::string m_dir;
    std::unique_ptr<store::Store> st;
    std::string parent;
    std::string child;
    Capture out;
    Capture err;
};

TEST_F(SessionLinksCmd, ListNestsTheChildUnderItsParent)
{
    EXPECT_EQ(sessions_list(*st, {}, out.file(), err.file()), 0);
    std::string text = out.text();
    size_t p = text.find(parent + "  "), c = text.find(child + "  ");
    ASSERT_NE(p, std::string::npos) << text;
    ASSERT_NE(c, std::string::npos) << text;
    EXPECT_LT(p, c);
    EXPECT_THAT(text, HasSubstr("↳ scan \x1b[2Jtree\n")); // a memory stream gets the exact text
    // A listing cut before the parent marks the child with its parent's id.
    ok(st->append(child, EventKind::user, R"({"text":"again"})"));
    Capture one, err1;
    EXPECT_EQ(sessions_list(*st, { .cwd = "", .limit = 1 }, one.file(), err1.file()), 0);
    EXPECT_THAT(one.text(), HasSubstr(fmt::format("↳ sub-agent of {}: scan", parent)));
}

TEST_F(SessionLinksCmd, ShowNamesTheParentOrTheSubAgents)
{
    EXPECT_EQ(sessions_show(*st, child, out.file(), err.file()), 0);
    EXPECT_THAT(out.text(), HasSubstr(fmt::format("Sub-agent of session {} (task call toolu_9)\n", parent)));
    EXPECT_THAT(out.text(), Not(HasSubstr("Sub-agents ")));
    Capture shown_parent, err2;
    EXPECT_EQ(sessions_show(*st, parent, shown_parent.file(), err2.file()), 0);
    EXPECT_THAT(shown_parent.text(),
        HasSubstr(fmt::format("Sub-agents 1:\n  {}       2 events    1.2k tokens  scan \x1b[2Jtree\n", child)));
    EXPECT_THAT(shown_parent.text(), Not(HasSubstr("Sub-agent of")));
}

TEST_F(SessionLinksCmd, SearchAndExportsCarryTheLink)
{
    EXPECT_EQ(sessions_search(*st, "okapi", out.file(), err.file()), 0);
    EXPECT_THAT(out.text(), HasSubstr(fmt::format("  (sub-agent of {})\n", parent)));
    Capture jsonl, e1;
    EXPECT_EQ(sessions_export(*st, child, ExportFormat::jsonl, jsonl.file(), e1.file()), 0);
    EXPECT_THAT(jsonl.text(),
        HasSubstr(fmt::format(R"("parent_id":"{}","parent_call_id":"toolu_9","sub_agents":[]}})", parent)));
    Capture parent_jsonl, e2;
    EXPECT_EQ(sessions_export(*st, parent, ExportFormat::jsonl, parent_jsonl.file(), e2.file()), 0);
    EXPECT_THAT(parent_jsonl.text(),
        HasSubstr(fmt::format(R"("parent_id":null,"parent_call_id":null,"sub_agents":["{}"]}})", child)));
    Capture md, e3;
    EXPECT_EQ(sessions_export(*st, parent, ExportFormat::markdown, md.file(), e3.file()), 0);
    EXPECT_THAT(md.text(), HasSubstr(fmt::format("- Sub-agent: `{}` scan \x1b[2Jtree (2 events)\n\n## User", child)));
}

} // namespace
} // namespace ik::app
