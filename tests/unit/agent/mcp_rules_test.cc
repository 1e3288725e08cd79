// Approval rules over MCP tool names: a trailing '*', names of tools no
// server has listed yet, and the kinds McpTools gives MCP tools.
#include <gtest/gtest.h>

#include "agent/approval.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::agent;
using ik::testing::HasErrorMessage;
using ik::testing::IsOk;
using ::testing::HasSubstr;

namespace {

ApprovalRequest mcp_call(std::string tool, ToolKind kind = ToolKind::network)
{
    return ApprovalRequest{ "call_1", std::move(tool), kind, ToolPreview{} };
}

Verdict verdict(std::vector<std::string> allow, std::vector<std::string> deny, const ApprovalRequest& r,
    ApprovalMode mode = ApprovalMode::ask)
{
    auto p = ApprovalPolicy::make(mode, allow, deny);
    EXPECT_THAT(p, IsOk());
    return decide(p.value_or(ApprovalPolicy{}), SessionAllows{}, r).verdict;
}

TEST(McpRules, RulesMayNameToolsNoServerHasListedYet)
{
    EXPECT_THAT(parse_approval_rule("mcp__calc__add"), IsOk());
    EXPECT_THAT(parse_approval_rule("mcp__calc__*"), IsOk());
    EXPECT_THAT(parse_approval_rule("mcp__*"), IsOk());
    EXPECT_THAT(parse_approval_rule("read_*"), IsOk()); // read_file
    EXPECT_THAT(parse_approval_rule("mcp__calc"), HasErrorMessage(HasSubstr("unknown tool 'mcp__calc'")));
    EXPECT_THAT(parse_approval_rule("*"), HasErrorMessage(HasSubstr("unknown tool '*'")));
    EXPECT_THAT(parse_approval_rule("zz*"), HasErrorMessage(HasSubstr("unknown tool 'zz*'")));
    EXPECT_THAT(parse_approval_rule("mcp__*__*"), HasErrorMessage(HasSubstr("unknown tool")));
    EXPECT_THAT(parse_approval_rule("mcp__calc__add:x"), HasErrorMessage(HasSubstr("only bash rules")));
}

TEST(McpRules, TrailingStarMatchesByPrefixOnly)
{
    EXPECT_EQ(verdict({ "mcp__calc__*" }, {}, mcp_call("mcp__calc__add")), Verdict::allow);
    EXPECT_EQ(verdict({ "mcp__calc__*" }, {}, mcp_call("mcp__calculator__add")), Verdict::ask);
    EXPECT_EQ(verdict({ "mcp__calc__add" }, {}, mcp_call("mcp__calc__add2")), Verdict::ask);
    EXPECT_EQ(verdict({ "mcp__calc__*" }, { "mcp__calc__rm*" }, mcp_call("mcp__calc__rmdir")), Verdict::deny);
    EXPECT_EQ(verdict({ "mcp__*" }, {}, mcp_call("mcp__any__thing")), Verdict::allow);
}

TEST(McpRules, NetworkToolsAskUnlessAllowedAndTrustedReadsRun)
{
    EXPECT_EQ(verdict({}, {}, mcp_call("mcp__calc__add")), Verdict::ask);
    EXPECT_EQ(verdict({}, {}, mcp_call("mcp__calc__add"), ApprovalMode::auto_edit), Verdict::ask);
    EXPECT_EQ(verdict({}, {}, mcp_call("mcp__calc__add"), ApprovalMode::yolo), Verdict::allow);
    // McpTools gives a trusted readOnlyHint tool the kind `reads`.
    EXPECT_EQ(verdict({}, {}, mcp_call("mcp__calc__peek", ToolKind::reads)), Verdict::allow);
}

} // namespace
