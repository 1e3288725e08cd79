#include <algorithm>
#include <set>

#include "core/json.h"
#include "tool_fixture.h"

using namespace ik;
using namespace ik::agent;
using namespace ik::agent::testing;
using ::testing::HasSubstr;

TEST(Registry, EveryToolHasAValidSchemaAndOneWayToRun)
{
    std::set<std::string_view> names;
    for (auto* t : all_tools()) {
        EXPECT_TRUE(names.insert(t->name).second) << "duplicate " << t->name;
        EXPECT_NE(t->run == nullptr, t->start == nullptr) << t->name;
        EXPECT_NE(t->preview, nullptr) << t->name; // approval judges every call by its preview
        mem::Arena arena("schema");
        auto schema = json::parse(arena, t->parameters, t->name);
        ASSERT_THAT(schema, ik::testing::IsOk());
        json::Field f(*schema);
        EXPECT_EQ(f["type"].string_or(""), "object") << t->name;
        ASSERT_TRUE(f["properties"].as_object()) << t->name;
        EXPECT_FALSE(t->description.empty());
    }
    EXPECT_EQ(names,
        (std::set<std::string_view>{ "bash", "read_file", "write_file", "edit_file", "list_dir", "glob", "grep",
            "skill", "process_output", "process_input", "process_kill", "todo", "web_fetch", "task", "agent_send",
            "agent_wait", "agent_kill" }));
}

TEST(Registry, SpecsMirrorTheTable)
{
    auto specs = tool_specs();
    ASSERT_EQ(specs.size(), all_tools().size());
    // Without skills the skill tool is not offered.
    auto base = tool_specs(ToolSet::without_skills);
    ASSERT_EQ(base.size(), all_tools().size() - 1);
    EXPECT_TRUE(std::none_of(base.begin(), base.end(), [](const llm::ToolSpec& s) { return s.name == "skill"; }));
    EXPECT_EQ(specs[0].name, "bash");
    EXPECT_EQ(specs[0].parameters, all_tools()[0]->parameters);
    EXPECT_EQ(find_tool("grep")->name, "grep");
    EXPECT_TRUE(find_tool("read_file")->read_only());
    EXPECT_FALSE(find_tool("edit_file")->read_only());
    EXPECT_EQ(find_tool("edit_file")->kind, ToolKind::edits);
    EXPECT_EQ(find_tool("write_file")->kind, ToolKind::edits);
    EXPECT_EQ(find_tool("bash")->kind, ToolKind::runs);
    EXPECT_EQ(find_tool("grep")->kind, ToolKind::reads);
    EXPECT_EQ(find_tool("rm"), nullptr);
}

using RegistryCalls = ToolTest;

TEST_F(RegistryCalls, UnknownToolIsAnErrorResult)
{
    auto r = call("delete_everything", "{}");
    EXPECT_TRUE(r.is_error);
    EXPECT_THAT(r.content, HasSubstr("unknown tool 'delete_everything'; available tools: bash, read_file"));
}

TEST_F(RegistryCalls, EmptyArgumentsMeanAnEmptyObject)
{
    write("f.txt", "x");
    auto r = call("list_dir", "");
    EXPECT_FALSE(r.is_error) << r.content;
    EXPECT_THAT(r.content, HasSubstr("f.txt"));
}

TEST_F(RegistryCalls, ReadOnlyCallsCanRunTogether)
{
    write("a.txt", "a\n");
    write("b.txt", "b\n");
    ToolContext ctx{ m_loop, dir() };
    // grep runs on a worker thread, so the completions may come in any order.
    std::optional<std::string> read, grep, bash;
    auto r1 = start_tool(ctx, "read_file", R"({"path": "a.txt"})", [&](ToolResult r) { read = r.content; });
    auto r2 = start_tool(ctx, "grep", R"({"pattern": "b"})", [&](ToolResult r) { grep = r.content; });
    auto r3 = start_tool(ctx, "bash", R"({"command": "echo c"})", [&](ToolResult r) { bash = r.content; });
    EXPECT_FALSE(read || grep || bash);
    ASSERT_THAT(m_loop.run_until([&] { return read && grep && bash; }), ik::testing::IsOk());
    EXPECT_EQ(*read, "     1\ta\n");
    EXPECT_EQ(*grep, "b.txt:1:b\n");
    EXPECT_EQ(*bash, "c\n[exit code 0]");
}

TEST_F(RegistryCalls, DestroyingASyncRunSuppressesItsCompletion)
{
    ToolContext ctx{ m_loop, dir() };
    bool called = false;
    auto run = start_tool(ctx, "list_dir", "{}", [&](ToolResult) { called = true; });
    run.reset();
    ASSERT_THAT(m_loop.run_once(10), ik::testing::IsOk());
    EXPECT_FALSE(called);
}

TEST_F(RegistryCalls, TheCompletionMayDestroyTheRun)
{
    ToolContext ctx{ m_loop, dir() };
    std::unique_ptr<ToolRun> run;
    bool called = false;
    run = start_tool(ctx, "bash", R"({"command": "true"})", [&](ToolResult) {
        run.reset();
        called = true;
    });
    ASSERT_THAT(m_loop.run_until([&] { return called; }), ik::testing::IsOk());
    run = start_tool(ctx, "list_dir", "{}", [&](ToolResult) { run.reset(); });
    ASSERT_THAT(m_loop.run_until([&] { return !run; }), ik::testing::IsOk());
}

TEST_F(RegistryCalls, PreviewOfReadOnlyToolIsEmptyAndUnknownIsNotFound)
{
    ToolContext ctx{ m_loop, dir() };
    auto p = preview_tool(ctx, "grep", R"({"pattern": "x"})");
    ASSERT_THAT(p, ik::testing::IsOk());
    EXPECT_TRUE(p->command.empty() && p->diff.empty());
    EXPECT_THAT(preview_tool(ctx, "nope", "{}"), ik::testing::HasError(ErrorCode::not_found));
    EXPECT_THAT(preview_tool(ctx, "bash", "not json"), ik::testing::HasError(ErrorCode::invalid_argument));
}
