#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "agent/approval.h"
#include "agent/tools/registry.h"
#include "core/json.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::agent;
using ik::testing::HasError;
using ik::testing::HasErrorMessage;
using ik::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

ApprovalRequest bash(std::string command)
{
    return make_approval_request("call_1", *find_tool("bash"), ToolPreview{ .command = std::move(command) });
}

ApprovalRequest file_tool(std::string_view tool)
{
    return make_approval_request("call_2", *find_tool(tool), ToolPreview{ .path = "src/a.cc", .diff = "-a\n+b\n" });
}

ApprovalPolicy policy(ApprovalMode mode, std::vector<std::string> allow = {}, std::vector<std::string> deny = {})
{
    auto p = ApprovalPolicy::make(mode, allow, deny);
    EXPECT_THAT(p, IsOk());
    return p.value_or(ApprovalPolicy{});
}

Verdict verdict(const ApprovalPolicy& p, const ApprovalRequest& r)
{
    return decide(p, SessionAllows{}, r).verdict;
}

} // namespace

TEST(Approval, NamesModes)
{
    // Parsing lives in one place, config::parse_approval (tests/unit/config).
    EXPECT_EQ(to_string(ApprovalMode::ask), "ask");
    EXPECT_EQ(to_string(ApprovalMode::auto_edit), "auto-edit");
    EXPECT_EQ(to_string(ApprovalMode::yolo), "yolo");
}

TEST(Approval, ParsesRules)
{
    auto r = parse_approval_rule("bash:  git   status ");
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->tool, "bash");
    EXPECT_EQ(r->prefix, "git status");
    EXPECT_THAT(parse_approval_rule("bsh:ls"), HasErrorMessage(HasSubstr("unknown tool 'bsh'")));
    EXPECT_THAT(parse_approval_rule("write_file:docs/"), HasError(ErrorCode::config));
    EXPECT_THAT(parse_approval_rule("bash:"), HasErrorMessage(HasSubstr("empty command prefix")));
    EXPECT_THAT(ApprovalPolicy::make(ApprovalMode::ask, std::vector<std::string>{ "ls" }, {}),
        HasErrorMessage(HasSubstr("in approval.allow")));
}

TEST(Approval, ModeMatrix)
{
    struct Row {
        ApprovalMode mode;
        Verdict read, write, edit, command;
    } rows[] = {
        { ApprovalMode::ask, Verdict::allow, Verdict::ask, Verdict::ask, Verdict::ask },
        { ApprovalMode::auto_edit, Verdict::allow, Verdict::allow, Verdict::allow, Verdict::ask },
        { ApprovalMode::yolo, Verdict::allow, Verdict::allow, Verdict::allow, Verdict::allow },
    };
    for (auto& row : rows) {
        auto p = policy(row.mode);
        SCOPED_TRACE(std::string(to_string(row.mode)));
        for (auto* t : { "read_file", "list_dir", "glob", "grep" })
            EXPECT_EQ(verdict(p, file_tool(t)), row.read) << t;
        EXPECT_EQ(verdict(p, file_tool("write_file")), row.write);
        EXPECT_EQ(verdict(p, file_tool("edit_file")), row.edit);
        EXPECT_EQ(verdict(p, bash("ls")), row.command);
    }
}

TEST(Approval, AllowRulesMatchSimpleCommandsAtWordBoundaries)
{
    auto p = policy(ApprovalMode::ask, { "bash:git status", "bash:ls" });
    EXPECT_EQ(verdict(p, bash("git status")), Verdict::allow);
    EXPECT_EQ(verdict(p, bash("  git  status --short")), Verdict::allow);
    EXPECT_EQ(verdict(p, bash("ls -la src")), Verdict::allow);
    EXPECT_EQ(verdict(p, bash("lsblk")), Verdict::ask);
    EXPECT_EQ(verdict(p, bash("git statusx")), Verdict::ask);
    EXPECT_EQ(verdict(p, bash("git push")), Verdict::ask);
    auto d = decide(p, SessionAllows{}, bash("ls"));
    EXPECT_EQ(d.source, DecisionSource::allow_rule);
    EXPECT_EQ(d.rule, "bash:ls");
}

TEST(Approval, CompoundCommandsDoNotSneakPastAnAllowPrefix)
{
    auto p = policy(ApprovalMode::ask, { "bash:git status", "bash:ls" });
    for (auto* c : { "git status; rm -rf ~", "git status && rm -rf ~", "git status || curl x | sh", "ls | sh",
             "ls $(rm -rf ~)", "ls `rm -rf ~`", "ls > ~/.bashrc", "ls < /etc/passwd", "ls & rm x", "ls\nrm -rf ~",
             "ls ${HOME}", "git status (x)", "ls \\\nrm" }) {
        EXPECT_EQ(verdict(p, bash(c)), Verdict::ask) << c;
        EXPECT_FALSE(is_simple_command(c)) << c;
    }
    EXPECT_TRUE(is_simple_command("git log --oneline -5 src/*.cc"));
}

TEST(Approval, DenyWinsAndSeesInsideCompoundCommands)
{
    auto p = policy(ApprovalMode::yolo, { "bash", "bash:rm" }, { "bash:rm -rf", "bash:git push" });
    for (auto* c : { "rm -rf build", "rm   -rf build", "echo hi; rm -rf /", "true && rm -rf x", "ls | xargs rm -rf",
             "FOO=1 rm -rf x", "sudo rm -rf /", "sudo -n rm -rf /", "(cd x && rm -rf y)", "echo $(rm -rf x)",
             "bash -c 'rm -rf x'", "git push --force", "cd repo\ngit push" }) {
        auto d = decide(p, SessionAllows{}, bash(c));
        EXPECT_EQ(d.verdict, Verdict::deny) << c;
        EXPECT_EQ(d.source, DecisionSource::deny_rule) << c;
    }
    EXPECT_EQ(verdict(p, bash("rm build/x.o")), Verdict::allow);
    EXPECT_EQ(verdict(p, bash("echo rm -rf")), Verdict::allow); // an argument, not a command
    EXPECT_EQ(verdict(p, bash("git pushy")), Verdict::allow);
}

TEST(Approval, UnknowableCommandsAskWhenBashDenyRulesExist)
{
    // Even yolo and a matching allow rule do not let a command past the deny
    // rules when its name is only known at run time (command_split_test.cc
    // has the full list).
    auto p = policy(ApprovalMode::yolo, { "bash", "bash:eval" }, { "bash:rm -rf" });
    for (auto* c : { "x=rm; $x -rf victim", "$(echo rm) -rf victim", "eval \"$cmd\"", "echo 'rm -rf x' | sh",
             "bash -c \"$c\"", "source ./run.sh" }) {
        auto d = decide(p, SessionAllows{}, bash(c));
        EXPECT_EQ(d.verdict, Verdict::ask) << c;
        EXPECT_EQ(d.source, DecisionSource::unknowable) << c;
        EXPECT_THAT(d.reason, HasSubstr("cannot be known before it runs")) << c;
    }
    // A literal eval is read: the deny rule itself catches it.
    EXPECT_EQ(verdict(p, bash("eval 'rm -rf victim'")), Verdict::deny);
    EXPECT_EQ(verdict(p, bash("/bin/rm -rf victim")), Verdict::deny);
    // Expansions in arguments are fine; so is everything without bash deny rules.
    EXPECT_EQ(verdict(p, bash("rm -r \"$dir\"; echo $HOME")), Verdict::allow);
    EXPECT_EQ(verdict(policy(ApprovalMode::yolo, {}, { "write_file" }), bash("$x -rf y")), Verdict::allow);
    EXPECT_EQ(verdict(policy(ApprovalMode::yolo), bash("$x -rf y")), Verdict::allow);
    // Headless: denied, and the message says why instead of suggesting yolo.
    auto req = bash("$x -rf victim");
    auto d = resolve_headless(decide(p, SessionAllows{}, req));
    EXPECT_EQ(d.verdict, Verdict::deny);
    EXPECT_EQ(d.source, DecisionSource::unknowable);
    EXPECT_EQ(to_string(d.source), "unknowable");
    EXPECT_THAT(denial_message(req, d), HasSubstr("runs something that cannot be known before it runs"));
    EXPECT_THAT(denial_message(req, d), HasSubstr("bash deny rules"));
    EXPECT_THAT(denial_message(req, d), Not(HasSubstr("yolo")));
}

TEST(Approval, AllowRulesStayConservative)
{
    auto p = policy(ApprovalMode::ask, { "bash:git status", "bash:rm" });
    EXPECT_EQ(verdict(p, bash("git status")), Verdict::allow);
    EXPECT_EQ(verdict(p, bash("git   status -s")), Verdict::allow);
    EXPECT_EQ(verdict(p, bash("git status; rm -rf ~")), Verdict::ask);
    EXPECT_EQ(verdict(p, bash("git status $(rm -rf ~)")), Verdict::ask);
    EXPECT_EQ(verdict(p, bash("git status > out")), Verdict::ask);
    EXPECT_EQ(verdict(p, bash("rm x\nrm -rf ~")), Verdict::ask);
    EXPECT_EQ(verdict(p, bash("rm a\\;b")), Verdict::ask);
}

TEST(Approval, DenyRulesApplyToWholeToolsEvenReadOnlyOnes)
{
    auto p = policy(ApprovalMode::yolo, {}, { "write_file", "grep" });
    EXPECT_EQ(verdict(p, file_tool("write_file")), Verdict::deny);
    EXPECT_EQ(verdict(p, file_tool("grep")), Verdict::deny);
    EXPECT_EQ(verdict(p, file_tool("edit_file")), Verdict::allow);
}

TEST(Approval, AutoEditOnlyAllowsEditsInsideTheProject)
{
    auto p = policy(ApprovalMode::auto_edit);
    p.project_root = "/work/repo";
    auto at = [&](std::string path) {
        return make_approval_request("c", *find_tool("edit_file"), ToolPreview{ .path = path, .full_path = path });
    };
    EXPECT_EQ(verdict(p, at("/work/repo/src/a.cc")), Verdict::allow);
    EXPECT_EQ(verdict(p, at("/work/repo")), Verdict::allow);
    EXPECT_EQ(verdict(p, at("/home/me/.bashrc")), Verdict::ask);
    EXPECT_EQ(verdict(p, at("/work/repo/../other/x")), Verdict::ask);
    EXPECT_EQ(verdict(p, at("/work/repository/x")), Verdict::ask);
    auto d = decide(p, SessionAllows{}, at("/etc/hosts"));
    EXPECT_THAT(d.reason, HasSubstr("asks before editing outside the project (/work/repo)"));
    EXPECT_EQ(verdict(policy(ApprovalMode::yolo), at("/etc/hosts")), Verdict::allow);
}

TEST(Approval, AllowRuleForAWholeToolAndForFileTools)
{
    auto p = policy(ApprovalMode::ask, { "edit_file" });
    EXPECT_EQ(verdict(p, file_tool("edit_file")), Verdict::allow);
    EXPECT_EQ(verdict(p, file_tool("write_file")), Verdict::ask);
}

TEST(Approval, AlwaysForThisSessionRemembersARule)
{
    auto p = policy(ApprovalMode::ask);
    SessionAllows session;
    auto req = bash("git diff --stat");
    EXPECT_EQ(decide(p, session, req).verdict, Verdict::ask);
    auto d = apply_user_answer(UserAnswer::always, req, session);
    EXPECT_EQ(d.verdict, Verdict::allow);
    EXPECT_EQ(d.rule, "bash:git diff");
    auto again = decide(p, session, bash("git diff HEAD~1"));
    EXPECT_EQ(again.verdict, Verdict::allow);
    EXPECT_EQ(again.source, DecisionSource::session_rule);
    EXPECT_EQ(decide(p, session, bash("git diff; rm x")).verdict, Verdict::ask);
    EXPECT_EQ(decide(p, session, bash("git push")).verdict, Verdict::ask);

    apply_user_answer(UserAnswer::always, file_tool("edit_file"), session);
    EXPECT_EQ(decide(p, session, file_tool("edit_file")).verdict, Verdict::allow);
    EXPECT_EQ(decide(p, session, file_tool("write_file")).verdict, Verdict::ask);

    EXPECT_EQ(apply_user_answer(UserAnswer::no, req, session).verdict, Verdict::deny);
    EXPECT_EQ(apply_user_answer(UserAnswer::yes, req, session).verdict, Verdict::allow);
}

TEST(Approval, SessionRuleSuggestions)
{
    EXPECT_EQ(session_rule_for(bash("ls -la")).text, "bash:ls");
    EXPECT_EQ(session_rule_for(bash("npm test")).text, "bash:npm test");
    EXPECT_EQ(session_rule_for(bash("python3 ./x.py")).text, "bash:python3");
    EXPECT_EQ(session_rule_for(bash("make && make install")).text, "bash:make && make install");
    EXPECT_EQ(session_rule_for(file_tool("write_file")).text, "write_file");
}

TEST(Approval, HeadlessTurnsAskIntoADenialThatSaysHowToAllow)
{
    auto p = policy(ApprovalMode::ask);
    auto req = bash("make test");
    auto d = resolve_headless(decide(p, SessionAllows{}, req));
    EXPECT_EQ(d.verdict, Verdict::deny);
    EXPECT_EQ(d.source, DecisionSource::headless);
    EXPECT_EQ(denial_message(req, d),
        "Not run: the command `make test` needs the user's approval (approval mode ask), and ik is running "
        "headless, so nobody "
        "can approve it. To allow it, run ik with --approval yolo, or add an allow rule such as "
        "\"bash:make test\" to approval.allow in the configuration.");
    auto edit = file_tool("edit_file");
    auto de = resolve_headless(decide(p, SessionAllows{}, edit));
    EXPECT_THAT(denial_message(edit, de), HasSubstr("this edit_file call on src/a.cc needs the user's approval ("));
    EXPECT_THAT(denial_message(edit, de), HasSubstr("--approval auto-edit (for files inside the project) or yolo"));
    // Allowed decisions pass through untouched.
    auto allowed = resolve_headless(decide(policy(ApprovalMode::yolo), SessionAllows{}, req));
    EXPECT_EQ(allowed.verdict, Verdict::allow);
}

TEST(Approval, DenyRuleMessageNamesTheRule)
{
    auto p = policy(ApprovalMode::yolo, {}, { "bash:rm -rf" });
    auto req = bash("rm -rf /");
    auto d = decide(p, SessionAllows{}, req);
    EXPECT_EQ(denial_message(req, d),
        "Not run: the command `rm -rf /` is denied by the approval rule \"bash:rm -rf\" "
        "in ik's configuration. Do not retry it; find another way or ask the user.");
}

TEST(Approval, RecordsSerialize)
{
    auto req = bash("rm -rf /");
    auto d = decide(policy(ApprovalMode::yolo, {}, { "bash:rm -rf" }), SessionAllows{}, req);
    auto rec = make_approval_record(req, d);
    mem::Arena arena("record");
    auto v = json::parse(arena, rec.to_json(arena));
    ASSERT_THAT(v, IsOk());
    json::Field f(*v);
    EXPECT_EQ(f["call_id"].string_or(""), "call_1");
    EXPECT_EQ(f["tool"].string_or(""), "bash");
    EXPECT_EQ(f["verdict"].string_or(""), "deny");
    EXPECT_EQ(f["source"].string_or(""), "deny_rule");
    EXPECT_EQ(f["rule"].string_or(""), "bash:rm -rf");
    EXPECT_EQ(f["command"].string_or(""), "rm -rf /");
    EXPECT_FALSE(f["path"].exists());
}

namespace {

TEST(ApprovalSandbox, LeavingTheSandboxAlwaysAsksAndHeadlessNamesTheWayOut)
{
    ToolPreview p{ .command = "curl example.com" };
    p.unsandboxed = true;
    p.justification = "needs the network";
    ApprovalRequest r = make_approval_request("c", *find_tool("bash"), p);
    SessionAllows none;
    for (auto mode : { ApprovalMode::ask, ApprovalMode::auto_edit, ApprovalMode::yolo }) {
        Decision d = decide(policy(mode, { "bash" }), none, r);
        EXPECT_EQ(d.verdict, Verdict::ask);
        EXPECT_EQ(d.source, DecisionSource::sandbox);
        EXPECT_THAT(d.reason, HasSubstr("needs the network"));
    }
    // An "always" answer does not carry over to the next unsandboxed run.
    SessionAllows session;
    (void)apply_user_answer(UserAnswer::always, r, session);
    EXPECT_EQ(decide(policy(ApprovalMode::ask), session, r).verdict, Verdict::ask);
    // Deny rules still win.
    EXPECT_EQ(decide(policy(ApprovalMode::yolo, {}, { "bash:curl" }), none, r).verdict, Verdict::deny);
    Decision headless = resolve_headless(decide(policy(ApprovalMode::yolo), none, r));
    EXPECT_EQ(headless.verdict, Verdict::deny);
    EXPECT_THAT(denial_message(r, headless), HasSubstr("--sandbox off"));
}

} // namespace

namespace {

namespace fs = std::filesystem;

// A real directory tree for the symlink cases, removed afterwards.
struct Tree {
    fs::path root = fs::temp_directory_path() / fmt::format("ik-approval-{}", ::getpid());
    Tree() { fs::create_directories(root / "repo/src"); }
    ~Tree()
    {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
};

ApprovalRequest edit_at(const fs::path& path)
{
    return make_approval_request(
        "c", *find_tool("write_file"), ToolPreview{ .path = path.string(), .full_path = path });
}

TEST(ApprovalBoundaries, SymlinksAreJudgedWhereTheyLand)
{
    Tree t;
    fs::create_directories(t.root / "outside");
    fs::create_directory_symlink(t.root / "outside", t.root / "repo/linkdir");
    std::ofstream(t.root / "outside/target") << "x";
    fs::create_symlink(t.root / "outside/target", t.root / "repo/linkfile");
    auto p = policy(ApprovalMode::auto_edit);
    p.project_root = t.root / "repo";
    EXPECT_EQ(verdict(p, edit_at(t.root / "repo/src/a.cc")), Verdict::allow);
    EXPECT_EQ(verdict(p, edit_at(t.root / "repo/linkdir/x")), Verdict::ask);
    EXPECT_EQ(verdict(p, edit_at(t.root / "repo/linkfile")), Verdict::ask);
}

TEST(ApprovalBoundaries, ProtectedPathsAskEvenInsideTheProject)
{
    Tree t;
    auto p = policy(ApprovalMode::auto_edit);
    p.project_root = t.root / "repo";
    for (auto rel : { ".git/config", ".git/hooks/pre-commit", ".ik/config.json", ".bashrc", "sub/.profile" }) {
        Decision d = decide(p, SessionAllows{}, edit_at(t.root / "repo" / rel));
        EXPECT_EQ(d.verdict, Verdict::ask) << rel;
        EXPECT_THAT(d.reason, HasSubstr("protected path")) << rel;
    }
    EXPECT_EQ(verdict(policy(ApprovalMode::yolo), edit_at(t.root / "repo/.git/config")), Verdict::allow);
}

TEST(ApprovalBoundaries, AutoEditApprovesNothingWhenTheRootIsHomeOrSlash)
{
    auto p = policy(ApprovalMode::auto_edit);
    p.project_root = "/";
    EXPECT_EQ(verdict(p, edit_at("/tmp/x.txt")), Verdict::ask);
    if (const char* home = std::getenv("HOME")) {
        p.project_root = home;
        EXPECT_EQ(verdict(p, edit_at(fs::path(home) / "notes.txt")), Verdict::ask);
    }
}

} // namespace
