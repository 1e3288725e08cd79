// Hooks' logic without a turn: which commands a matcher selects, the JSON a
// command reads, how its exit status and output are read, how its word
// combines with the approval policy, and a real command run on the loop.
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "agent/hooks/hook_matcher.h"
#include "agent/hooks/hook_payload.h"
#include "agent/hooks/hook_permission.h"
#include "agent/hooks/hook_run.h"
#include "core/arena.h"
#include "core/json.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::agent;
using namespace std::chrono_literals;
using ik::testing::IsOk;
using ::testing::HasSubstr;

namespace {

HookSettings settings_with(HookEvent event, std::string matcher, std::string command = "true")
{
    HookSettings s;
    s.groups(event).push_back(HookGroup{ std::move(matcher), { HookCommand{ std::move(command) } } });
    return s;
}

ProcessResult exited(int code, std::string out = {}, std::string err = {})
{
    ProcessResult r;
    r.exit_code = code;
    r.out = std::move(out);
    r.err = std::move(err);
    return r;
}

// The parsed document, kept alive by the caller (Field borrows it).
json::value doc(mem::Arena& arena, const std::string& text)
{
    auto v = json::parse(arena, text);
    EXPECT_THAT(v, IsOk()) << text;
    return v ? *v : json::value();
}

HookOutcome read(HookEvent event, const ProcessResult& r)
{
    return interpret_hook(event, r, "./hook.sh", 60s);
}

TEST(HookMatcher, EmptyStarAndAbsentSelectEveryTool)
{
    for (std::string m : { "", "*" }) {
        EXPECT_TRUE(matcher_selects(m, "bash"));
        EXPECT_TRUE(matcher_selects(m, "write_file"));
    }
}

TEST(HookMatcher, IkNamesAndClaudeCodeAliases)
{
    EXPECT_TRUE(matcher_selects("bash", "bash"));
    EXPECT_TRUE(matcher_selects("Bash", "bash"));
    EXPECT_TRUE(matcher_selects("Read", "read_file"));
    EXPECT_TRUE(matcher_selects("Write", "write_file"));
    EXPECT_TRUE(matcher_selects("Edit", "edit_file"));
    EXPECT_TRUE(matcher_selects("Glob", "glob"));
    EXPECT_TRUE(matcher_selects("Grep", "grep"));
    EXPECT_FALSE(matcher_selects("Bash", "read_file"));
    EXPECT_FALSE(matcher_selects("bash", "Bash")); // case-sensitive, as in Claude Code
    EXPECT_EQ(claude_tool_name("list_dir"), "LS");
    EXPECT_EQ(claude_tool_name("mystery"), "");
}

TEST(HookMatcher, RegularExpressionsMatchTheWholeName)
{
    EXPECT_TRUE(matcher_selects("Edit|Write", "edit_file"));
    EXPECT_TRUE(matcher_selects("Edit|Write", "write_file"));
    EXPECT_FALSE(matcher_selects("Edit|Write", "bash"));
    EXPECT_TRUE(matcher_selects(".*_file", "read_file"));
    EXPECT_FALSE(matcher_selects("Edi", "edit_file")); // not a substring search
    EXPECT_FALSE(matcher_selects("(", "bash")); // invalid: selects nothing
}

TEST(HookMatcher, SelectsByEventInConfigOrder)
{
    HookSettings s;
    s.groups(HookEvent::pre_tool_use).push_back(HookGroup{ "Bash", { { "a" }, { "b" } } });
    s.groups(HookEvent::pre_tool_use).push_back(HookGroup{ "Write", { { "c" } } });
    s.groups(HookEvent::pre_tool_use).push_back(HookGroup{ "", { { "d" } } });
    auto got = select_hooks(s, HookEvent::pre_tool_use, "bash");
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0]->command, "a");
    EXPECT_EQ(got[1]->command, "b");
    EXPECT_EQ(got[2]->command, "d");
    EXPECT_TRUE(select_hooks(s, HookEvent::post_tool_use, "bash").empty());
    // Stop and UserPromptSubmit ignore the matcher; SessionStart matches the source.
    auto stop = settings_with(HookEvent::stop, "Bash");
    EXPECT_EQ(select_hooks(stop, HookEvent::stop, {}).size(), 1u);
    auto start = settings_with(HookEvent::session_start, "resume");
    EXPECT_TRUE(select_hooks(start, HookEvent::session_start, "startup").empty());
    EXPECT_EQ(select_hooks(start, HookEvent::session_start, "resume").size(), 1u);
    EXPECT_FALSE(stop.empty());
    EXPECT_TRUE(HookSettings{}.empty());
}

TEST(HookEvents, NamesRoundTrip)
{
    for (size_t i = 0; i < hook_event_count; ++i) {
        auto e = static_cast<HookEvent>(i);
        EXPECT_EQ(parse_hook_event(to_string(e)), e);
    }
    EXPECT_EQ(parse_hook_event("preToolUse"), std::nullopt);
}

TEST(HookPayload, PreToolUseCarriesIkAndClaudeCodeNames)
{
    mem::Arena arena(mem::root(), "test");
    auto args = json::parse(arena, R"({"path": "src/a.cc", "content": "x"})");
    ASSERT_THAT(args, IsOk());
    HookSubject subject{ .session_id = "s-1", .cwd = "/proj" };
    std::string text = pre_tool_payload(subject, "write_file", "call-7", &*args, "");
    auto v = json::parse(arena, text);
    ASSERT_THAT(v, IsOk());
    json::Field f(*v);
    EXPECT_EQ(f["session_id"].string_or(""), "s-1");
    EXPECT_EQ(f["transcript_path"].string_or("?"), "");
    EXPECT_EQ(f["cwd"].string_or(""), "/proj");
    EXPECT_EQ(f["hook_event_name"].string_or(""), "PreToolUse");
    EXPECT_EQ(f["tool_name"].string_or(""), "Write");
    EXPECT_EQ(f["ik_tool_name"].string_or(""), "write_file");
    EXPECT_EQ(f["tool_use_id"].string_or(""), "call-7");
    EXPECT_EQ(f["tool_input"]["path"].string_or(""), "src/a.cc");
    EXPECT_EQ(f["tool_input"]["file_path"].string_or(""), "/proj/src/a.cc");
    EXPECT_EQ(f["tool_input"]["content"].string_or(""), "x");
}

TEST(HookPayload, BashAndUnparsedArguments)
{
    mem::Arena arena(mem::root(), "test");
    auto args = json::parse(arena, R"({"command": "rm -rf /", "timeout_ms": 5000})");
    ASSERT_THAT(args, IsOk());
    HookSubject subject{ .session_id = "", .cwd = "/p" };
    json::value f_doc = doc(arena, pre_tool_payload(subject, "bash", "c", &*args, ""));
    json::Field f(f_doc);
    EXPECT_EQ(f["tool_name"].string_or(""), "Bash");
    EXPECT_EQ(f["tool_input"]["command"].string_or(""), "rm -rf /");
    EXPECT_EQ(f["tool_input"]["timeout"].integer_or(0), 5000);
    json::value bad_doc = doc(arena, pre_tool_payload(subject, "bash", "c", nullptr, "{not json"));
    json::Field bad(bad_doc);
    EXPECT_EQ(bad["tool_input"].size(), 0u);
    EXPECT_EQ(bad["tool_input_text"].string_or(""), "{not json");
}

TEST(HookPayload, OtherEvents)
{
    mem::Arena arena(mem::root(), "test");
    HookSubject subject{ .session_id = "s", .cwd = "/p" };
    ToolResult result;
    result.content = "out\n";
    result.exit_code = 0;
    auto args = json::parse(arena, R"({"command": "ls"})");
    json::value post_doc = doc(arena, post_tool_payload(subject, "bash", "c", &*args, "", result));
    json::Field post(post_doc);
    EXPECT_EQ(post["hook_event_name"].string_or(""), "PostToolUse");
    EXPECT_EQ(post["tool_response"]["content"].string_or(""), "out\n");
    EXPECT_EQ(post["tool_response"]["exit_code"].integer_or(-1), 0);
    EXPECT_TRUE(post["tool_response"]["success"].boolean_or(false));
    // A prompt with quotes, newlines and an escape sequence stays one JSON string.
    json::value prompt_doc = doc(arena, prompt_payload(subject, "say \"hi\"\n\x1b[31m"));
    json::Field prompt(prompt_doc);
    EXPECT_EQ(prompt["prompt"].string_or(""), "say \"hi\"\n\x1b[31m");
    json::value stop_doc = doc(arena, stop_payload(subject, true));
    json::Field stop(stop_doc);
    EXPECT_TRUE(stop["stop_hook_active"].boolean_or(false));
    json::value start_doc = doc(arena, session_start_payload(subject, "resume"));
    json::Field start(start_doc);
    EXPECT_EQ(start["source"].string_or(""), "resume");
}

TEST(HookOutcomeTest, ExitCodes)
{
    auto ok = read(HookEvent::pre_tool_use, exited(0, "some text"));
    EXPECT_FALSE(ok.blocked);
    EXPECT_EQ(ok.permission, HookPermission::none);
    EXPECT_TRUE(ok.context.empty()); // plain stdout counts only for prompt and session start

    auto blocked = read(HookEvent::pre_tool_use, exited(2, "", "no rm please\n"));
    EXPECT_TRUE(blocked.blocked);
    EXPECT_EQ(blocked.permission, HookPermission::deny);
    EXPECT_EQ(blocked.reason, "no rm please");

    auto silent = read(HookEvent::stop, exited(2));
    EXPECT_TRUE(silent.blocked);
    EXPECT_THAT(silent.reason, HasSubstr("exit 2"));

    auto failed = read(HookEvent::post_tool_use, exited(1, "", "boom"));
    EXPECT_FALSE(failed.blocked);
    ASSERT_EQ(failed.notices.size(), 1u);
    EXPECT_THAT(failed.notices[0], HasSubstr("failed (exit 1): boom"));

    ProcessResult timed_out;
    timed_out.timed_out = true;
    auto t = interpret_hook(HookEvent::pre_tool_use, timed_out, "sleep 100", 1s);
    EXPECT_FALSE(t.blocked);
    EXPECT_EQ(t.permission, HookPermission::none);
    ASSERT_EQ(t.notices.size(), 1u);
    EXPECT_THAT(t.notices[0], HasSubstr("timed out after 1 s"));
}

TEST(HookOutcomeTest, JsonDecisions)
{
    auto deny = read(HookEvent::pre_tool_use,
        exited(0,
            R"({"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny",
                "permissionDecisionReason": "not on main"}})"));
    EXPECT_TRUE(deny.blocked);
    EXPECT_EQ(deny.permission, HookPermission::deny);
    EXPECT_EQ(deny.reason, "not on main");

    auto allow = read(HookEvent::pre_tool_use, exited(0, R"({"hookSpecificOutput": {"permissionDecision": "allow"}})"));
    EXPECT_EQ(allow.permission, HookPermission::allow);
    EXPECT_FALSE(allow.blocked);
    auto ask = read(HookEvent::pre_tool_use, exited(0, R"({"hookSpecificOutput": {"permissionDecision": "ask"}})"));
    EXPECT_EQ(ask.permission, HookPermission::ask);
    auto legacy = read(HookEvent::pre_tool_use, exited(0, R"({"decision": "approve"})"));
    EXPECT_EQ(legacy.permission, HookPermission::allow);

    auto block = read(HookEvent::stop, exited(0, R"({"decision": "block", "reason": "tests fail"})"));
    EXPECT_TRUE(block.blocked);
    EXPECT_EQ(block.reason, "tests fail");

    auto context = read(HookEvent::user_prompt_submit,
        exited(0, R"({"hookSpecificOutput": {"additionalContext": "branch: main"}, "systemMessage": "hi"})"));
    EXPECT_EQ(context.context, "branch: main");
    ASSERT_EQ(context.notices.size(), 1u);
    EXPECT_THAT(context.notices[0], HasSubstr("hi"));

    auto plain = read(HookEvent::session_start, exited(0, "today is Monday\n"));
    EXPECT_EQ(plain.context, "today is Monday");
    // Malformed JSON is plain text, not a decision.
    auto malformed = read(HookEvent::pre_tool_use, exited(0, R"({"decision": "block")"));
    EXPECT_FALSE(malformed.blocked);
    // Invalid UTF-8 from a hook is repaired before it goes anywhere.
    auto bytes = read(HookEvent::pre_tool_use, exited(2, "", "bad \xff byte"));
    EXPECT_EQ(bytes.reason, "bad \xef\xbf\xbd byte");
}

TEST(HookOutcomeTest, MergeKeepsTheStrongestWord)
{
    HookOutcome all;
    merge(all, read(HookEvent::pre_tool_use, exited(0, R"({"hookSpecificOutput": {"permissionDecision": "allow"}})")));
    merge(all, read(HookEvent::pre_tool_use, exited(2, "", "no")));
    merge(all, read(HookEvent::pre_tool_use, exited(0, R"({"hookSpecificOutput": {"permissionDecision": "allow"}})")));
    EXPECT_TRUE(all.blocked);
    EXPECT_EQ(all.permission, HookPermission::deny);
    EXPECT_EQ(all.reason, "no");
}

Decision policy(Verdict verdict, DecisionSource source)
{
    return Decision{ .verdict = verdict, .source = source, .rule = {}, .reason = "policy" };
}

TEST(HookPermissionTest, DenyWinsAndBoundariesHold)
{
    auto d = apply_hook_permission(policy(Verdict::allow, DecisionSource::read_only), HookPermission::deny, "why");
    EXPECT_EQ(d.verdict, Verdict::deny);
    EXPECT_EQ(d.source, DecisionSource::hook);
    EXPECT_EQ(d.reason, "why");

    auto a = apply_hook_permission(policy(Verdict::ask, DecisionSource::mode), HookPermission::allow, "");
    EXPECT_EQ(a.verdict, Verdict::allow);
    EXPECT_EQ(a.source, DecisionSource::hook);
    // allow never lifts a deny rule, ik's own files, or the sandbox's ask.
    for (auto source : { DecisionSource::deny_rule, DecisionSource::private_path }) {
        auto kept = apply_hook_permission(policy(Verdict::deny, source), HookPermission::allow, "");
        EXPECT_EQ(kept.verdict, Verdict::deny);
        EXPECT_EQ(kept.source, source);
    }
    for (auto source : { DecisionSource::sandbox, DecisionSource::unknowable }) {
        auto kept = apply_hook_permission(policy(Verdict::ask, source), HookPermission::allow, "");
        EXPECT_EQ(kept.verdict, Verdict::ask);
        EXPECT_EQ(kept.source, source);
    }
    auto ask = apply_hook_permission(policy(Verdict::allow, DecisionSource::allow_rule), HookPermission::ask, "check");
    EXPECT_EQ(ask.verdict, Verdict::ask);
    EXPECT_EQ(resolve_headless(ask).verdict, Verdict::deny);
    EXPECT_EQ(apply_hook_permission(policy(Verdict::ask, DecisionSource::mode), HookPermission::none, "").verdict,
        Verdict::ask);
}

std::optional<HookOutcome> run_hooks(
    Loop& loop, HookEvent event, std::vector<const HookCommand*> commands, std::string payload)
{
    std::optional<HookOutcome> got;
    auto run = HookRun::start(
        loop, event, std::move(commands), std::move(payload), "/tmp", [&](HookOutcome o) { got = std::move(o); });
    EXPECT_FALSE(got.has_value()); // never from inside start()
    EXPECT_THAT(loop.run_until([&] { return got.has_value(); }), IsOk());
    return got;
}

TEST(HookRunTest, CommandReadsTheEventAndTheProjectDir)
{
    Loop loop;
    HookCommand c{
        R"(read -r line; case "$line" in *'"tool_name":"Bash"'*) echo "$CLAUDE_PROJECT_DIR $IK_PROJECT_DIR $PWD" >&2; exit 2;; esac)"
    };
    auto got = run_hooks(loop, HookEvent::pre_tool_use, { &c }, R"({"tool_name":"Bash"})");
    ASSERT_TRUE(got);
    EXPECT_TRUE(got->blocked);
    EXPECT_EQ(got->reason, "/tmp /tmp /tmp");
}

TEST(HookRunTest, TheFirstBlockEndsTheRunAndATimeoutIsANotice)
{
    Loop loop;
    HookCommand slow{ "sleep 30", 1s };
    HookCommand block{ "echo stop >&2; exit 2" };
    std::string marker = fmt::format("/tmp/ik-hook-test-never-{}", ::getpid());
    HookCommand never{ "touch " + marker };
    auto start = Loop::now();
    auto got = run_hooks(loop, HookEvent::stop, { &slow, &block, &never }, "{}");
    ASSERT_TRUE(got);
    EXPECT_LT(Loop::now() - start, 10s);
    EXPECT_TRUE(got->blocked);
    EXPECT_EQ(got->reason, "stop");
    ASSERT_EQ(got->notices.size(), 1u);
    EXPECT_THAT(got->notices[0], HasSubstr("timed out after 1 s"));
    EXPECT_FALSE(std::filesystem::exists(marker)); // not started after the block
    std::filesystem::remove(marker);
}

TEST(HookRunTest, CancelKillsTheCommand)
{
    Loop loop;
    HookCommand slow{ "sleep 30" };
    std::optional<HookOutcome> got;
    auto run = HookRun::start(loop, HookEvent::stop, { &slow }, "{}", "/tmp", [&](HookOutcome o) { got = o; });
    loop.after(200ms, [&] { run->cancel(); });
    auto start = Loop::now();
    EXPECT_THAT(loop.run_until([&] { return got.has_value(); }), IsOk());
    EXPECT_LT(Loop::now() - start, 10s);
    EXPECT_TRUE(run->cancelled());
    EXPECT_FALSE(got->blocked);
}

TEST(HookRunTest, EnvironmentReplacesInheritedProjectDirs)
{
    std::string a = "IK_PROJECT_DIR=/elsewhere", b = "PATH=/bin";
    char* env[] = { a.data(), b.data(), nullptr };
    auto out = hook_environment(env, "/proj");
    EXPECT_THAT(out, ::testing::ElementsAre("PATH=/bin", "IK_PROJECT_DIR=/proj", "CLAUDE_PROJECT_DIR=/proj"));
}

} // namespace
