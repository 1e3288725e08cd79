// The web_fetch tool's own logic: its arguments, its preview for approval,
// how approval treats it, and the address check reached through the tool
// (no server needed: a refused address is refused before connecting).
#include <gmock/gmock.h>

#include "agent/approval.h"
#include "tool_fixture.h"

using namespace ik;
using namespace ik::agent;
using ik::testing::HasError;
using ik::testing::IsOk;
using ::testing::HasSubstr;

namespace {

class WebFetchTool : public ik::agent::testing::ToolTest { };

TEST_F(WebFetchTool, BadArgumentsAreToolErrors)
{
    for (const char* args : { R"({})", R"({"url": 5})", R"({"url": "file:///etc/passwd"})",
             R"({"url": "ftp://example.com/"})", R"({"url": "https://example.com", "max_bytes": 10})",
             R"({"url": "https://example.com", "max_bytes": 5000000})" }) {
        ToolResult r = call("web_fetch", args);
        EXPECT_TRUE(r.is_error) << args;
        EXPECT_THAT(r.content, HasSubstr("web_fetch")) << args;
    }
    EXPECT_THAT(call("web_fetch", R"({"url": "file:///etc/passwd"})").content,
        HasSubstr("only http and https URLs can be fetched"));
}

TEST_F(WebFetchTool, PreviewShowsTheUrlAndApprovalTreatsItLikeACommand)
{
    ToolContext ctx{ m_loop, dir() };
    auto preview = preview_tool(ctx, "web_fetch", R"({"url": "https://example.com/x"})");
    ASSERT_THAT(preview, IsOk());
    EXPECT_EQ(preview->command, "https://example.com/x");
    EXPECT_THAT(preview_tool(ctx, "web_fetch", R"({"url": "gopher://x/"})"), HasError(ErrorCode::invalid_argument));

    const ToolDescriptor* tool = find_tool("web_fetch");
    ASSERT_NE(tool, nullptr);
    EXPECT_EQ(tool->kind, ToolKind::network);
    ApprovalRequest req = make_approval_request("c1", *tool, *preview);
    auto decide_in = [&](ApprovalMode mode, std::vector<std::string> allow, std::vector<std::string> deny) {
        auto p = ApprovalPolicy::make(mode, allow, deny);
        EXPECT_THAT(p, IsOk());
        return decide(*p, SessionAllows{}, req).verdict;
    };
    EXPECT_EQ(decide_in(ApprovalMode::ask, {}, {}), Verdict::ask);
    EXPECT_EQ(decide_in(ApprovalMode::auto_edit, {}, {}), Verdict::ask);
    EXPECT_EQ(decide_in(ApprovalMode::yolo, {}, {}), Verdict::allow);
    EXPECT_EQ(decide_in(ApprovalMode::ask, { "web_fetch" }, {}), Verdict::allow);
    EXPECT_EQ(decide_in(ApprovalMode::yolo, {}, { "web_fetch" }), Verdict::deny);
    SessionAllows session;
    apply_user_answer(UserAnswer::always, req, session);
    auto p = ApprovalPolicy::make(ApprovalMode::ask, {}, {});
    EXPECT_EQ(decide(*p, session, req).verdict, Verdict::allow);
    std::string message = denial_message(req, resolve_headless(decide(*p, SessionAllows{}, req)));
    EXPECT_THAT(message, HasSubstr("this web_fetch call"));
    EXPECT_THAT(message, HasSubstr("\"web_fetch\""));
}

TEST_F(WebFetchTool, LoopbackAndMetadataAddressesAreRefusedByDefault)
{
    ToolResult r = call("web_fetch", R"({"url": "http://127.0.0.1:9/"})");
    EXPECT_TRUE(r.is_error);
    EXPECT_THAT(r.content, HasSubstr("(127.0.0.1, a loopback address)"));
    EXPECT_THAT(r.content, HasSubstr("\"127.0.0.1:9\""));
    r = call("web_fetch", R"({"url": "http://[::ffff:169.254.169.254]/latest/meta-data/"})");
    EXPECT_TRUE(r.is_error);
    EXPECT_THAT(r.content, HasSubstr("a link-local address"));
    r = call("web_fetch", R"({"url": "http://0.0.0.0:9/"})");
    EXPECT_THAT(r.content, HasSubstr("an unspecified address"));
}

} // namespace
