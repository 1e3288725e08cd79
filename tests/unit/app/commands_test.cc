// Slash commands: the parser, the table, and each command's effect through
// the real REPL (scripted model, SQLite store in a temp dir). Every command
// line is recorded in the store before it runs.
#include <gmock/gmock.h>
#include <unistd.h>

#include "app/commands/completion.h"
#include "app/commands/mcp_prompts.h"
#include "app/mcp_setup.h"
#include "support/forked_child.h"
#include "support/valgrind.h"
#include "unit/app/repl_fixture.h"

namespace ik::app::test {
namespace {

using namespace ::ik::agent::test;
using ::testing::ElementsAre;

TEST(ParseCommand, SplitsNameAndTrimmedArguments)
{
    auto p = parse_command("/mark  before refactor ");
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->name, "mark");
    EXPECT_EQ(p->args, "before refactor");
    auto q = parse_command("/help");
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(q->name, "help");
    EXPECT_EQ(q->args, "");
    EXPECT_FALSE(parse_command("hello").has_value());
    EXPECT_FALSE(parse_command("/").has_value());
    EXPECT_FALSE(parse_command("/ x").has_value());
}

TEST(CommandTable, HasEveryCommandOnceWithHelp)
{
    std::vector<std::string> names;
    for (const SlashCommand& c : commands()) {
        names.emplace_back(c.name);
        EXPECT_FALSE(c.help.empty()) << c.name;
        EXPECT_NE(c.run, nullptr) << c.name;
        EXPECT_EQ(find_command(c.name), &c);
    }
    EXPECT_THAT(names,
        ElementsAre("help", "clear", "mark", "rewind", "model", "system", "mem", "sessions", "resume", "usage",
            "context", "compact", "hooks", "mcp", "init", "copy", "ps", "todo", "exit", "undo", "checkpoints",
            "agents"));
    EXPECT_EQ(find_command("nope"), nullptr);
    EXPECT_EQ(find_command("quit"), find_command("exit"));
    EXPECT_EQ(usage_error(*find_command("resume")).message(), "usage: /resume [ID]");
}

class CommandTest : public ReplTest {
protected:
    void SetUp() override
    {
        ReplTest::SetUp();
        open(settings());
    }
    void command(std::string_view line)
    {
        ui->feed(line);
        ui->feed("\r");
        settle();
    }
    std::vector<std::string> recorded_commands()
    {
        mem::Arena a(arena, "events");
        std::vector<std::string> out;
        if (ui->session().id().empty())
            return out; // no session row yet: commands wait for the first prompt
        auto events = db->load_events(a, ui->session().id());
        EXPECT_THAT(events, ::ik::testing::IsOk());
        if (!events)
            return out;
        for (const auto& e : *events)
            if (e.kind == store::EventKind::command)
                out.emplace_back(e.data);
        return out;
    }
    void chat(std::string_view prompt, std::string answer)
    {
        model.rounds.push_back(reply({ text(std::move(answer)), usage(100, 7), finish(llm::FinishReason::stop) }));
        ui->feed(prompt);
        ui->feed("\r");
        settle();
    }
};

TEST_F(CommandTest, HelpListsEveryCommand)
{
    command("/help");
    for (const SlashCommand& c : commands())
        EXPECT_TRUE(scrollback_has(fmt::format("/{}", c.name))) << c.name;
    EXPECT_THAT(recorded_commands(), ElementsAre()) << "a command alone stores no session";
    chat("hi", "hello");
    EXPECT_THAT(recorded_commands(), ElementsAre(R"({"text":"/help"})"));
}

TEST_F(CommandTest, UnknownCommandAndBadArgumentsGetOneLine)
{
    command("/frobnicate now");
    EXPECT_TRUE(scrollback_has("Unknown command /frobnicate: /help lists the commands."));
    command("/help me");
    EXPECT_TRUE(scrollback_has("usage: /help (takes no arguments)"));
    command("/resume a b");
    EXPECT_TRUE(scrollback_has("usage: /resume [ID]"));
    command("/resume");
    EXPECT_TRUE(scrollback_has("No other session in this directory"));
    command("/mark two words");
    EXPECT_TRUE(scrollback_has("usage: /mark [label]"));
    chat("hi", "hello");
    EXPECT_EQ(recorded_commands().size(), 5u); // recorded even when they fail
}

TEST_F(CommandTest, ClearEmptiesTheWindowAndTheScrollback)
{
    chat("hi", "hello there");
    EXPECT_EQ(ui->session().conversation().messages().size(), 2u);
    command("/clear");
    EXPECT_EQ(ui->session().conversation().messages().size(), 0u);
    EXPECT_FALSE(scrollback_has("hello there"));
    EXPECT_TRUE(scrollback_has("Conversation cleared."));
}

TEST_F(CommandTest, MarkAndRewind)
{
    chat("one", "first");
    command("/mark base");
    EXPECT_EQ(ui->session().marks().size(), 1u);
    chat("two", "second");
    EXPECT_EQ(ui->session().conversation().messages().size(), 4u);
    command("/rewind base");
    EXPECT_EQ(ui->session().conversation().messages().size(), 2u);
    EXPECT_TRUE(scrollback_has("Rewound to mark base to 2 messages."));
    command("/rewind nosuch");
    EXPECT_EQ(ui->session().conversation().messages().size(), 2u);
}

TEST_F(CommandTest, ModelShowsAndSwitches)
{
    command("/model");
    EXPECT_TRUE(scrollback_has("Model: fake/model"));
    ui->draw_now();
    EXPECT_THAT(ui->frame_text(), ::testing::HasSubstr("Switch model"));
    ui->feed("\x03"); // Ctrl-C closes the list without choosing
    ui->draw_now();
    EXPECT_THAT(ui->frame_text(), ::testing::Not(::testing::HasSubstr("Switch model")));
    EXPECT_EQ(ui->session().settings().model_spec, "fake/model");
    command("/model fake/other");
    EXPECT_EQ(ui->session().settings().model_spec, "fake/other");
    EXPECT_EQ(ui->session().settings().model, "other");
    command("/model nope/x");
    EXPECT_TRUE(scrollback_has("unknown provider in 'nope/x'"));
    EXPECT_EQ(ui->session().settings().model_spec, "fake/other");
    ui->draw_now();
    EXPECT_TRUE(frame_has("fake/other"));
}

TEST_F(CommandTest, SystemShowsAndReplaces)
{
    command("/system");
    EXPECT_TRUE(scrollback_has("You are ik."));
    command("/system Be terse.");
    // Like --system: added after ik's own prompt, which stays.
    EXPECT_EQ(ui->session().settings().system_prompt, "You are ik.\n\nBe terse.");
    command("/system Be kind.");
    EXPECT_EQ(ui->session().settings().system_prompt, "You are ik.\n\nBe kind.");
    chat("x", "y");
    EXPECT_EQ(model.systems.back(), "You are ik.\n\nBe kind.");
}

TEST_F(CommandTest, MemShowsTheLiveArenaReport)
{
    command("/mem");
    EXPECT_TRUE(scrollback_has("full arena report on"));
    EXPECT_TRUE(scrollback_has("reserved"));
}

TEST_F(CommandTest, UsageCountsTokens)
{
    chat("a", "b");
    chat("c", "d");
    command("/usage");
    EXPECT_TRUE(scrollback_has("Tokens this session: 200 in (0 cached), 14 out"));
    EXPECT_TRUE(scrollback_has("compactions."));
}

TEST_F(CommandTest, HooksSaysWhenNoneAreConfigured)
{
    command("/hooks");
    EXPECT_TRUE(scrollback_has("No hooks configured"));
    EXPECT_TRUE(find_command("hooks")->busy_safe);
}

TEST_F(CommandTest, McpSaysWhenNoServersAreConfigured)
{
    command("/mcp");
    EXPECT_TRUE(scrollback_has("No MCP servers configured"));
    EXPECT_TRUE(find_command("mcp")->busy_safe);
}

TEST_F(CommandTest, McpShowsEachServersStateToolsAndLastError)
{
    IK_SKIP_UNDER_VALGRIND("valgrind emulates posix_spawn; a failed exec is exit 127, not ENOENT");
    config::Config cfg;
    config::McpServerConfig calc;
    calc.name = "calc";
    calc.command = "python3";
    calc.args = { std::string(IK_TEST_DATA_DIR) + "/../support/mcp/stdio_server.py" };
    cfg.mcp.servers.push_back(calc);
    config::McpServerConfig gone;
    gone.name = "gone";
    gone.command = "/nonexistent/server";
    cfg.mcp.servers.push_back(gone);
    auto rt = start_mcp(loop, arena, cfg, work, ProjectTrust::report);
    ASSERT_NE(rt, nullptr);
    // A loaded machine may take a while to start python.
    auto deadline = Loop::now() + std::chrono::seconds(20);
    ASSERT_TRUE(loop.run_until([&] { return mcp_settled(*rt) || Loop::now() > deadline; }).has_value());
    command("/mcp");
    EXPECT_TRUE(scrollback_has("calc  ready  protocol 2025-11-25  (11 tools, 3 prompts, resources)"))
        << ui->scrollback_text();
    EXPECT_TRUE(scrollback_has("  /mcp__calc__explain\n"));
    EXPECT_TRUE(scrollback_has("  mcp__calc__add\n"));
    EXPECT_TRUE(scrollback_has("  mcp__calc__peek  (claims read-only)"));
    EXPECT_TRUE(scrollback_has("gone  failed  (0 tools)"));
    EXPECT_TRUE(scrollback_has("last error: cannot run /nonexistent/server"));
    // The server's prompts are commands: found, completed, listed by /help.
    const SlashCommand* explain = find_command("mcp__calc__explain");
    ASSERT_NE(explain, nullptr);
    ASSERT_NE(explain->mcp_prompt, nullptr);
    EXPECT_EQ(explain->args, "topic [depth]");
    EXPECT_EQ(commands_with_prefix("mcp__calc__").size(), 3U);
    command("/help");
    EXPECT_TRUE(scrollback_has("/mcp__calc__explain topic [depth] Explain a topic (MCP server calc)"))
        << ui->scrollback_text();
}

TEST(McpPromptArguments, NamedPositionalQuotedAndTheRestOfTheLine)
{
    McpPromptRef p;
    p.command = "mcp__calc__explain";
    p.usage = "topic [depth]";
    p.arguments = { { "topic", "", true }, { "depth", "", false } };
    EXPECT_EQ(*mcp_prompt_arguments(p, "recursion depth=2"), R"({"depth":"2","topic":"recursion"})");
    EXPECT_EQ(*mcp_prompt_arguments(p, R"(topic="tail calls")"), R"({"topic":"tail calls"})");
    EXPECT_EQ(*mcp_prompt_arguments(p, "a b c"), R"({"topic":"a","depth":"b c"})");
    EXPECT_EQ(*mcp_prompt_arguments(p, "depth=1 x=y"), R"({"depth":"1","topic":"x=y"})");
    EXPECT_EQ(*mcp_prompt_arguments(p, "'say \"hi\"'"), R"({"topic":"say \"hi\""})");
    auto missing = mcp_prompt_arguments(p, "depth=3");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().message(), "missing 'topic'; usage: /mcp__calc__explain topic [depth]");
    McpPromptRef none;
    none.command = "mcp__calc__greet";
    EXPECT_EQ(*mcp_prompt_arguments(none, ""), "{}");
    EXPECT_FALSE(mcp_prompt_arguments(none, "extra").has_value());
}

class HooksCommandTest : public ReplTest { };

TEST_F(HooksCommandTest, ListsEventMatcherTimeoutAndCommand)
{
    agent::SessionSettings s = settings();
    s.hooks.groups(agent::HookEvent::pre_tool_use)
        .push_back(agent::HookGroup{ "Edit|Write", { { "./fmt.sh", std::chrono::seconds(30) } } });
    s.hooks.groups(agent::HookEvent::stop).push_back(agent::HookGroup{ "", { { "make test" } } });
    open(std::move(s));
    ui->feed("/hooks");
    ui->feed("\r");
    settle();
    EXPECT_TRUE(scrollback_has("PreToolUse        Edit|Write      30 s  ./fmt.sh"));
    EXPECT_TRUE(scrollback_has("Stop              *               60 s  make test"));
}

TEST_F(CommandTest, ContextDrawsWhatFillsTheWindow)
{
    chat("what is in the window?", "this answer");
    command("/context");
    EXPECT_TRUE(scrollback_has("Context window of fake/model"));
    for (std::string_view part :
        { "system prompt", "tool definitions", "AGENTS.md", "messages", "tool results", "summary", "free" })
        EXPECT_TRUE(scrollback_has(part)) << part;
    EXPECT_TRUE(scrollback_has("bytes per token"));
    EXPECT_TRUE(find_command("context")->busy_safe) << "/context only reads";
    EXPECT_FALSE(find_command("compact")->busy_safe);
}

TEST_F(CommandTest, CompactOnAnEmptyWindowSaysSo)
{
    command("/compact");
    EXPECT_TRUE(scrollback_has("Nothing to compact yet."));
}

TEST_F(CommandTest, SessionsListsAndResumeSwitches)
{
    chat("remember the old session", "noted");
    std::string old_id(ui->session().id());
    // A second REPL session in the same store.
    command("/exit");
    EXPECT_TRUE(ui->done());
    ui->shutdown();
    ui.reset();
    open(settings());
    std::string new_id(ui->session().id());
    ASSERT_NE(old_id, new_id);
    command("/sessions");
    EXPECT_TRUE(scrollback_has(old_id.substr(0, 8)));
    command("/resume " + old_id.substr(0, 12));
    EXPECT_EQ(ui->session().id(), old_id);
    EXPECT_TRUE(scrollback_has("remember the old session")); // the history is shown again
    EXPECT_TRUE(scrollback_has("noted"));
    EXPECT_EQ(ui->session().conversation().messages().size(), 2u);
    command("/resume zzzz");
    EXPECT_EQ(ui->session().id(), old_id);
}

TEST_F(CommandTest, ResumeOfASessionAnotherLiveProcessHoldsIsRefused)
{
    IK_SKIP_UNDER_VALGRIND("the forked holder runs under valgrind too and exits with its error code");
    chat("the held conversation", "noted");
    std::string held(ui->session().id());
    // A fresh REPL on a fresh connection: this process no longer holds the
    // first session (closing the store released it).
    ui->shutdown();
    ui.reset();
    deps.reset();
    db.reset();
    auto reopened = store::open_store("", (dir / "ik.db").string());
    ASSERT_THAT(reopened, ::ik::testing::IsOk());
    db = std::move(*reopened);
    open(settings());
    std::string current(ui->session().id());

    std::string path = (dir / "ik.db").string();
    ::ik::testing::Child holder([&](int fd) {
        auto s = store::open_store("", path);
        if (!s || !(*s)->claim_session(held))
            return 2;
        ::ik::testing::signal_parent(fd);
        for (;;)
            ::pause();
    });
    ASSERT_TRUE(holder.wait_signal());
    mem::Arena a(arena, "events");
    int64_t before = db->session(a, held)->event_count;

    command("/resume " + held.substr(0, 12));
    EXPECT_TRUE(scrollback_has(fmt::format("session {} is in use by ik (pid {}) on host", held, holder.pid())))
        << ui->scrollback_text();
    EXPECT_EQ(ui->session().id(), current) << "the REPL stays in its own session";
    chat("typed after the refusal", "answered");
    EXPECT_EQ(db->session(a, held)->event_count, before) << "nothing was appended to the held session";
    EXPECT_NE(ui->session().id(), held);

    // Its holder gone, the session is taken over.
    holder.kill9();
    command("/resume " + held.substr(0, 12));
    EXPECT_EQ(ui->session().id(), held);
    EXPECT_TRUE(scrollback_has("the held conversation"));
}

TEST_F(CommandTest, CommandsThatChangeTheWindowWaitForTheReply)
{
    ScriptedRound r = reply({ text("streaming") });
    r.stall = true;
    model.rounds.push_back(r);
    ui->feed("go\r");
    ASSERT_TRUE(run_until([&] { return scrollback_has("streaming"); }));
    ui->feed("/clear\r");
    EXPECT_TRUE(scrollback_has("/clear has to wait until the reply is done"));
    ui->feed("\x03");
    settle();
}

} // namespace
} // namespace ik::app::test
