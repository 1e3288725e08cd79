// A sub-agent's stored session is linked to its parent's, end to end: the real
// ik runs a `task` call against the mock, then `ik sessions`, `show`, `search`
// and `export` show the link from both sides; `ik -r` resumes a sub-agent's
// session by id, and `ik -c` continues the parent even when that sub-agent
// wrote last.
#include <regex>
#include <string>

#include <fmt/format.h>

#include "fixture.h"

using namespace ik::testing;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class SessionLinks : public IkTest {
protected:
    RunResult run(std::vector<std::string> args) { return ik_for(Wire::anthropic, std::move(args), {}); }

    // The 12-hex-digit id on the line of `listing` that contains `marker`.
    static std::string id_on_line_with(const std::string& listing, const std::string& marker)
    {
        size_t at = listing.find(marker);
        if (at == std::string::npos)
            return {};
        size_t start = listing.rfind('\n', at);
        start = start == std::string::npos ? 0 : start + 1;
        std::smatch m;
        std::string line = listing.substr(start, at - start);
        return std::regex_search(line, m, std::regex("[0-9a-f]{12}")) ? m.str() : std::string();
    }
};

std::string task_call(const char* id, const std::string& arguments)
{
    return fmt::format(R"({{"steps": [{{"tool_calls": [{{"id": "{}", "name": "task", "arguments": "{}"}}]}}]}})", id,
        json_escape(arguments));
}

TEST_F(SessionLinks, ShowListSearchExportAndContinueKnowWhoseSubAgentItIs)
{
    start_mock("[" + task_call("toolu_scan1", R"({"prompt": "look for the zebra", "description": "zebra hunt"})")
        + R"(, {"steps": [{"text": "the zebra is in zoo.txt"}]}, {"steps": [{"text": "found it"}]}])");
    RunResult r = run({ "-p", "delegate the search" });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(r.out, "found it\n");

    // The list: the sub-agent's session under its parent, marked.
    RunResult list = ik({ "sessions" });
    ASSERT_EQ(list.exit_code, 0) << list.err;
    std::string parent = id_on_line_with(list.out, "delegate the search");
    std::string child = id_on_line_with(list.out, "↳ zebra hunt");
    ASSERT_FALSE(parent.empty()) << list.out;
    ASSERT_FALSE(child.empty()) << list.out;
    EXPECT_NE(parent, child);
    EXPECT_LT(list.out.find(parent), list.out.find(child)) << "the child is listed under its parent:\n" << list.out;
    RunResult all = ik({ "sessions", "-a" });
    EXPECT_THAT(all.out, HasSubstr("↳ zebra hunt"));

    // show CHILD names the parent and the task call; show PARENT lists the child.
    RunResult shown_child = ik({ "sessions", "show", child.substr(0, 8) });
    ASSERT_EQ(shown_child.exit_code, 0) << shown_child.err;
    EXPECT_THAT(shown_child.out, HasSubstr(fmt::format("Session {}: zebra hunt\n", child)));
    EXPECT_THAT(shown_child.out, HasSubstr(fmt::format("Sub-agent of session {} (task call toolu_scan1)\n", parent)));
    EXPECT_THAT(shown_child.out, HasSubstr("look for the zebra"));
    RunResult shown_parent = ik({ "sessions", "show", parent });
    ASSERT_EQ(shown_parent.exit_code, 0) << shown_parent.err;
    EXPECT_THAT(shown_parent.out, HasSubstr("Sub-agents 1:\n"));
    EXPECT_THAT(shown_parent.out, ::testing::ContainsRegex(child + " +[0-9]+ events +[-0-9.k]+ tokens +zebra hunt\n"));
    EXPECT_THAT(shown_parent.out, Not(HasSubstr("Sub-agent of session")));

    // Search: a hit in the child names the parent.
    RunResult found = ik({ "sessions", "search", "zebra" });
    ASSERT_EQ(found.exit_code, 0) << found.err;
    EXPECT_THAT(found.out, HasSubstr(fmt::format("(sub-agent of {})", parent)));

    // Exports carry the link.
    RunResult jsonl = ik({ "sessions", "export", child, "--format", "jsonl" });
    EXPECT_THAT(jsonl.out,
        HasSubstr(fmt::format(R"("parent_id":"{}","parent_call_id":"toolu_scan1","sub_agents":[])", parent)));
    RunResult parent_jsonl = ik({ "sessions", "export", parent, "--format", "jsonl" });
    EXPECT_THAT(parent_jsonl.out,
        HasSubstr(fmt::format(R"("parent_id":null,"parent_call_id":null,"sub_agents":["{}"])", child)));
    RunResult md = ik({ "sessions", "export", child, "--format", "markdown" });
    EXPECT_THAT(md.out, HasSubstr(fmt::format("- Sub-agent of: `{}` (task call `toolu_scan1`)\n", parent)));
}

// The mock stops a minute after it starts: the runs that need it come first.
TEST_F(SessionLinks, ASubAgentSessionResumesOnlyByIdAndContinueTakesTheParent)
{
    start_mock("[" + task_call("t1", R"({"prompt": "count the files", "description": "counter"})")
        + R"(, {"steps": [{"text": "7 files"}]}, {"steps": [{"text": "done"}]},)"
        + R"( {"steps": [{"text": "the child again"}]}, {"steps": [{"text": "the parent again"}]}])");
    ASSERT_EQ(run({ "-p", "xyzzy hands it over" }).exit_code, 0);
    RunResult list = ik({ "sessions" });
    std::string child = id_on_line_with(list.out, "↳ counter");
    ASSERT_FALSE(child.empty()) << list.out;
    RunResult resumed = run({ "-r", child, "-p", "how many again?" });
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    auto requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_THAT(requests[3], HasSubstr("count the files"));
    EXPECT_THAT(requests[3], Not(HasSubstr("xyzzy")));
    // The child wrote last now, yet `ik -c` continues the parent.
    RunResult again = run({ "-c", "-p", "and then?" });
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, "the parent again\n");
    requests = m_mock->requests();
    ASSERT_EQ(requests.size(), 5u);
    EXPECT_THAT(requests[4], HasSubstr("xyzzy hands it over"));
    EXPECT_THAT(requests[4], HasSubstr("and then?"));
    EXPECT_THAT(requests[4], Not(HasSubstr("how many again?")));
    EXPECT_THAT(requests[4], Not(HasSubstr("You are a sub-agent")));
    RunResult shown = ik({ "sessions", "show", child });
    EXPECT_THAT(shown.out, HasSubstr("how many again?"));
    EXPECT_THAT(shown.out, HasSubstr("Sub-agent of session")); // still linked after the resume
}

} // namespace
