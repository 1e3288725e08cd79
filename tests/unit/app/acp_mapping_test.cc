// The ACP message mapping (app/acp/acp_mapping.h): the protocol's names for
// ik's tool kinds, statuses, stop reasons and plans, and the shapes of the
// session/update payloads, checked as the JSON an editor receives.
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/todo_list.h"
#include "app/acp/acp_mapping.h"
#include "app/acp/acp_mcp_servers.h"
#include "app/acp/acp_prompt.h"

using namespace ik;
using namespace ik::app::acp;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

std::string text(const json::object& o)
{
    return boost::json::serialize(o);
}

TEST(AcpMapping, ToolKindsAreTheProtocols)
{
    EXPECT_EQ(tool_kind("read_file", agent::ToolKind::reads), "read");
    EXPECT_EQ(tool_kind("grep", agent::ToolKind::reads), "search");
    EXPECT_EQ(tool_kind("glob", agent::ToolKind::reads), "search");
    EXPECT_EQ(tool_kind("edit_file", agent::ToolKind::edits), "edit");
    EXPECT_EQ(tool_kind("bash", agent::ToolKind::runs), "execute");
    EXPECT_EQ(tool_kind("web_fetch", agent::ToolKind::network), "fetch");
    EXPECT_EQ(tool_kind("mcp__x__y", agent::ToolKind::network), "other");
    EXPECT_EQ(tool_kind("todo", agent::ToolKind::reads), "think");
}

TEST(AcpMapping, StopReasons)
{
    agent::TurnOutcome o;
    EXPECT_EQ(stop_reason(o), "end_turn");
    o.finish = llm::FinishReason::length;
    EXPECT_EQ(stop_reason(o), "max_tokens");
    o.finish = llm::FinishReason::refusal;
    EXPECT_EQ(stop_reason(o), "refusal");
    o.hit_tool_limit = true;
    EXPECT_EQ(stop_reason(o), "max_turn_requests");
    o.interrupted = true;
    EXPECT_EQ(stop_reason(o), "cancelled");
    agent::TurnOutcome failed;
    failed.error = Error(ErrorCode::provider, "boom");
    EXPECT_EQ(stop_reason(failed), std::nullopt);
}

TEST(AcpMapping, PermissionOptionsMapBackToAnswers)
{
    mem::Arena a(mem::root(), "test");
    std::string options = boost::json::serialize(permission_options(a));
    for (const char* kind : { "allow_once", "allow_always", "reject_once", "reject_always" })
        EXPECT_THAT(options, HasSubstr(fmt::format(R"("optionId":"{0}","name")", kind)));
    EXPECT_EQ(answer_for("allow_once")->answer, agent::UserAnswer::yes);
    EXPECT_EQ(answer_for("allow_always")->answer, agent::UserAnswer::always);
    EXPECT_EQ(answer_for("reject_once")->answer, agent::UserAnswer::no);
    EXPECT_TRUE(answer_for("reject_always")->reject_always);
    EXPECT_EQ(answer_for("yes please"), std::nullopt);
}

TEST(AcpMapping, ModesAreTheApprovalModes)
{
    mem::Arena a(mem::root(), "test");
    std::string s = text(mode_state(a, agent::ApprovalMode::auto_edit));
    EXPECT_THAT(s, HasSubstr(R"("currentModeId":"auto-edit")"));
    EXPECT_THAT(s, HasSubstr(R"({"id":"yolo","name":"Yolo")"));
    EXPECT_EQ(parse_mode("ask"), agent::ApprovalMode::ask);
    EXPECT_EQ(parse_mode("auto-edit"), agent::ApprovalMode::auto_edit);
    EXPECT_EQ(parse_mode("root"), std::nullopt);
}

TEST(AcpMapping, AToolCallHasKindTitleLocationsAndRawInput)
{
    mem::Arena a(mem::root(), "test");
    llm::ToolCall call{ "c1", "read_file", R"({"path":"src/a.cc","offset":12})" };
    std::string s = text(tool_call(a, call, "pending", "/p"));
    EXPECT_THAT(s, HasSubstr(R"("sessionUpdate":"tool_call","toolCallId":"c1","title":"Read src/a.cc","kind":"read")"));
    EXPECT_THAT(s, HasSubstr(R"("status":"pending")"));
    EXPECT_THAT(s, HasSubstr(R"("rawInput":{"path":"src/a.cc","offset":12})"));
    EXPECT_THAT(s, HasSubstr(R"("locations":[{"path":"/p/src/a.cc","line":12}])"));
    // Arguments that are not JSON: no rawInput, still a call.
    std::string bad = text(tool_call(a, llm::ToolCall{ "c2", "bash", "{oops" }, "pending", "/p"));
    EXPECT_THAT(bad, Not(HasSubstr("rawInput")));
    EXPECT_THAT(bad, HasSubstr(R"("kind":"execute")"));
    // A multi-line command is one short title line.
    std::string cmd
        = text(tool_call(a, llm::ToolCall{ "c3", "bash", R"({"command":"make\nrm -rf x"})" }, "pending", "/p"));
    EXPECT_THAT(cmd, HasSubstr(R"("title":"Run `make`")"));
}

TEST(AcpMapping, EditsAreDiffsWithOldAndNewText)
{
    mem::Arena a(mem::root(), "test");
    ToolOutput edit = diff_for(a, "edit_file", R"({"path":"a.txt","old_string":"x","new_string":"y"})", {}, "/p");
    edit.text = "edited";
    std::string s = text(tool_call_update(a, "c1", "completed", &edit));
    EXPECT_THAT(s,
        HasSubstr(R"("content":[{"type":"diff","path":"/p/a.txt","oldText":"x","newText":"y"},)"
                  R"({"type":"content","content":{"type":"text","text":"edited"}}])"));
    ToolOutput created = diff_for(a, "write_file", R"({"path":"/abs/n.txt","content":"new"})", std::nullopt, "/p");
    EXPECT_THAT(text(tool_call_update(a, "c2", "completed", &created)),
        HasSubstr(R"({"type":"diff","path":"/abs/n.txt","oldText":null,"newText":"new"})"));
    EXPECT_FALSE(diff_for(a, "bash", R"({"command":"ls"})", {}, "/p").has_diff);
    EXPECT_FALSE(diff_for(a, "edit_file", "not json", {}, "/p").has_diff);
}

TEST(AcpMapping, ThePlanIsTheTodoList)
{
    mem::Arena a(mem::root(), "test");
    auto args = json::parse(a,
        R"({"todos":[{"content":"one","status":"done"},{"content":"two","status":"in_progress"},{"content":"three","status":"pending"}]})");
    ASSERT_TRUE(args);
    auto list = agent::parse_todo_list(a, *args);
    ASSERT_TRUE(list);
    EXPECT_EQ(text(plan_update(a, *list)),
        R"({"sessionUpdate":"plan","entries":[{"content":"one","priority":"medium","status":"completed"},)"
        R"({"content":"two","priority":"medium","status":"in_progress"},)"
        R"({"content":"three","priority":"medium","status":"pending"}]})");
}

TEST(AcpMapping, SessionUpdateWrapsTheUpdate)
{
    mem::Arena a(mem::root(), "test");
    EXPECT_EQ(session_update("abc", text_chunk(a, "agent_message_chunk", "hi \"there\"")),
        R"({"sessionId":"abc","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"hi \"there\""}}})");
}

TEST(AcpPrompt, BlocksBecomeOnePromptWithMentionsAndEmbeddedFiles)
{
    mem::Arena a(mem::root(), "test");
    auto blocks = json::parse(a, R"([{"type":"text","text":"explain"},
        {"type":"resource_link","uri":"file:///proj/src/a%20b.cc","name":"a b.cc"}])");
    ASSERT_TRUE(blocks);
    auto spaced = prompt_content(json::Field(*blocks), "/proj");
    EXPECT_FALSE(spaced); // a mention cannot hold a space: refused, not mangled
    blocks = json::parse(a, R"([{"type":"text","text":"explain"},
        {"type":"resource_link","uri":"file:///proj/src/a.cc","name":"a.cc"},
        {"type":"resource","resource":{"uri":"file:///proj/b.h","text":"int b;"}}])");
    ASSERT_TRUE(blocks);
    auto out = prompt_content(json::Field(*blocks), "/proj");
    ASSERT_TRUE(out) << out.error().to_string();
    EXPECT_EQ(out->text, "explain @src/a.cc\n\n<file path=\"file:///proj/b.h\">\nint b;\n</file>");
    blocks = json::parse(a, R"([{"type":"image","data":"AAAA","mimeType":"image/png"}])");
    EXPECT_FALSE(prompt_content(json::Field(*blocks), "/proj"));
    blocks = json::parse(a, R"([{"type":"resource_link","uri":"https://example.com/x","name":"x"}])");
    EXPECT_FALSE(prompt_content(json::Field(*blocks), "/proj"));
    blocks = json::parse(a, R"({"type":"text"})");
    EXPECT_FALSE(prompt_content(json::Field(*blocks), "/proj"));
}

TEST(AcpMcpServers, StdioAndHttpServersAreTakenSseRefused)
{
    mem::Arena a(mem::root(), "test");
    auto v
        = json::parse(a, R"([{"name":"calc","command":"/bin/calc","args":["-v"],"env":[{"name":"K","value":"V"}]}])");
    auto servers = parse_mcp_servers(&*v);
    ASSERT_TRUE(servers);
    ASSERT_EQ(servers->size(), 1u);
    EXPECT_EQ((*servers)[0].command, "/bin/calc");
    EXPECT_EQ((*servers)[0].args[0], "-v");
    EXPECT_EQ((*servers)[0].env[0].second, "V");
    v = json::parse(a,
        R"([{"type":"http","name":"h","url":"http://127.0.0.1/mcp","headers":[{"name":"Authorization","value":"Bearer t"}]}])");
    auto http = parse_mcp_servers(&*v);
    ASSERT_TRUE(http) << http.error().message();
    ASSERT_EQ(http->size(), 1u);
    EXPECT_TRUE((*http)[0].is_http());
    EXPECT_EQ((*http)[0].url, "http://127.0.0.1/mcp");
    ASSERT_EQ((*http)[0].headers.size(), 1u);
    EXPECT_EQ((*http)[0].headers[0].first, "Authorization");
    EXPECT_EQ((*http)[0].headers[0].second, "Bearer t");
    v = json::parse(a, R"([{"type":"http","name":"h","url":"file:///etc/passwd","headers":[]}])");
    EXPECT_FALSE(parse_mcp_servers(&*v));
    v = json::parse(a, R"([{"type":"sse","name":"s","url":"http://127.0.0.1/","headers":[]}])");
    auto sse = parse_mcp_servers(&*v);
    ASSERT_FALSE(sse);
    EXPECT_THAT(sse.error().message(), HasSubstr("not supported"));
    v = json::parse(
        a, R"([{"name":"a","command":"x","args":[],"env":[]},{"name":"a","command":"y","args":[],"env":[]}])");
    EXPECT_FALSE(parse_mcp_servers(&*v));
    EXPECT_TRUE(parse_mcp_servers(nullptr));
}

} // namespace
