#include <gtest/gtest.h>

#include "agent/session_rule.h"
#include "agent/tools/registry.h"

namespace ik::agent {
namespace {

ApprovalRequest bash(std::string_view command)
{
    return make_approval_request("c", *find_tool("bash"), ToolPreview{ .command = std::string(command) });
}

ApprovalRequest edit(std::string_view full)
{
    return make_approval_request(
        "c", *find_tool("edit_file"), ToolPreview{ .path = "x", .full_path = std::string(full) });
}

TEST(SessionRule, ProgramAndSubcommandWithAnyArguments)
{
    EXPECT_EQ(derive_session_rule(bash("echo first")).shown, "echo *");
    EXPECT_EQ(derive_session_rule(bash("git status --short")).shown, "git status *");
    EXPECT_EQ(derive_session_rule(bash("npm test -- -u")).shown, "npm test *");
    EXPECT_EQ(derive_session_rule(bash("ls -la")).shown, "ls *");
    EXPECT_EQ(derive_session_rule(bash("make && make install")).shown, "make && make install");
}

TEST(SessionRule, AlwaysForEchoFirstAllowsEchoSecondButNotOtherPrograms)
{
    ApprovalPolicy policy;
    SessionAllows session;
    apply_user_answer(UserAnswer::always, bash("echo first"), session);
    EXPECT_EQ(decide(policy, session, bash("echo second")).verdict, Verdict::allow);
    EXPECT_EQ(decide(policy, session, bash("echo a; rm -rf x")).verdict, Verdict::ask);
    EXPECT_EQ(decide(policy, session, bash("rm -rf x")).verdict, Verdict::ask);
    apply_user_answer(UserAnswer::always, bash("git status"), session);
    EXPECT_EQ(decide(policy, session, bash("git status -s")).verdict, Verdict::allow);
    EXPECT_EQ(decide(policy, session, bash("git push")).verdict, Verdict::ask);
}

TEST(SessionRule, EditsGetAPathPatternOfTheirDirectory)
{
    SessionRule r = derive_session_rule(edit("/p/src/tui/a.cc"), "/p");
    EXPECT_EQ(r.shown, "edit_file src/tui/*");
    ApprovalPolicy policy;
    SessionAllows session;
    apply_user_answer(UserAnswer::always, edit("/p/src/tui/a.cc"), session);
    EXPECT_EQ(decide(policy, session, edit("/p/src/tui/b.cc")).verdict, Verdict::allow);
    EXPECT_EQ(decide(policy, session, edit("/p/src/tui/../../etc/x")).verdict, Verdict::ask);
    EXPECT_EQ(decide(policy, session, edit("/p/src/app/a.cc")).verdict, Verdict::ask);
    EXPECT_EQ(derive_session_rule(edit("/p/a.cc"), "/p").shown, "edit_file *");
}

} // namespace
} // namespace ik::agent
