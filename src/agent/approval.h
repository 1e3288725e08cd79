// The approval policy: which tool calls run without asking.
//
// A decision is a pure function of the policy (the --approval mode and the
// allow/deny rules from config), the session's "always" answers, and what
// the call would do (ApprovalRequest: the tool, and the command or the edit
// diff from preview_tool()). In order:
//
//   1. a deny rule that matches        -> deny   (deny always wins)
//   1a. bash deny rules exist and the command runs something they cannot
//      see (command_split.h: a name from $x or $(…), eval, source, a shell
//      reading stdin)                  -> ask, whatever the mode and rules
//   1b. a command outside the OS sandbox (`sandbox: false`, or no sandbox
//      backend works here)             -> ask, whatever the mode and rules
//   1c. a file tool on ik's own configuration, credentials or store
//      (private_dirs)                  -> deny, in every mode
//   2. a read-only tool on a path inside the project root (real path,
//      symlinks resolved) -> allow; in a home directory's credentials
//      (~/.ssh, ~/.aws, …) -> ask unless yolo
//   3. a config allow rule that matches -> allow
//   4. a session ("always") rule        -> allow
//   5. the mode: yolo -> allow; auto-edit -> allow write_file/edit_file on
//      files inside the project root that are not protected (.git/, .ik/,
//      shell start-up files, ik's directories), ask for everything else
//      (reads outside the project too); ask -> ask
//
// The decision is made on real paths; confinement_for() then tells the file
// tool to open beneath the project root, so nothing swapped in afterwards
// escapes (tools/internal/confined.h).
//
// Rules are "TOOL" or "bash:PREFIX" ("bash:git status", "bash:ls"). A bash
// allow rule matches only a simple command — one without `;`, `&`, `|`,
// `$`, backticks, redirections, parentheses, braces, backslashes or
// newlines — that starts with the prefix at a word boundary, so
// "bash:git status" never lets "git status; rm -rf ~" through.
//
// A bash deny rule is matched against every simple command split_command()
// finds in the line (every part of a compound command, substitutions,
// `bash -c '…'`, eval, find -exec), each with quotes removed, its name a
// basename and wrappers such as sudo/env/xargs stripped. It matches when the
// command name is the rule's first word, the command's short options contain
// every letter of the rule's short options ("rm -rf" matches `rm -fr` and
// `rm -r -f`; case-sensitive, so not `rm -Rf`), its long options contain the
// rule's (`--force` is not `-f`), and the rule's other words are the
// command's first other words in order (a word right after an option may be
// skipped as its argument: "git push" matches `git -C dir push`). Deny rules
// are a safety net, not a sandbox: scripts, interpreters (`python -c`) and
// other programs with the same effect are not seen (docs/safety.md).
//
// Headless mode cannot ask: resolve_headless() turns `ask` into a denial (an
// unknowable command keeps its source, so the message says why rather than
// suggesting yolo), and denial_message() is the tool result telling the model
// (and the user reading the transcript) why and how to allow it.
//
// Everything here owns its strings (heap); decisions are rare and small.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/tools/tool.h"
#include "core/result.h"

namespace ik::agent {

enum class ApprovalMode { ask, auto_edit, yolo };

// "ask", "auto-edit" (or "auto_edit"), "yolo". The error lists the choices.
std::string_view to_string(ApprovalMode mode);

struct ApprovalRule {
    std::string tool;
    std::string prefix; // bash only; empty: the whole tool
    std::string text; // as written, for messages and records
};

// "bash", "bash:git status", "write_file". Fails (config) on an unknown tool
// or a prefix on a tool other than bash.
Result<ApprovalRule> parse_approval_rule(std::string_view text);

struct ApprovalPolicy {
    ApprovalMode mode = ApprovalMode::ask;
    std::vector<ApprovalRule> allow;
    std::vector<ApprovalRule> deny;
    // auto-edit allows edits only under this directory (absolute; the
    // project root from instructions.h). Empty: anywhere.
    std::filesystem::path project_root;
    // ik's own configuration and data directories: no file tool reads or
    // writes there, in any mode.
    std::vector<std::filesystem::path> private_dirs;

    // Parses the rule lists from config; errors name the bad rule.
    static Result<ApprovalPolicy> make(
        ApprovalMode mode, std::span<const std::string> allow, std::span<const std::string> deny);
};

// What the call would do. Build it with make_approval_request().
struct ApprovalRequest {
    std::string call_id;
    std::string tool;
    ToolKind kind = ToolKind::reads; // from the tool's descriptor
    ToolPreview preview; // command (bash) or path + diff (file tools)
    std::string agent{}; // the sub-agent whose call this is ("sub-agent 'scan'"); empty: the main agent
};

ApprovalRequest make_approval_request(std::string_view call_id, const ToolDescriptor& tool, ToolPreview preview);

enum class Verdict { allow, deny, ask };

enum class DecisionSource {
    read_only, // read-only tools always run
    deny_rule, // a config deny rule matched
    allow_rule, // a config allow rule matched
    session_rule, // the user said "always" earlier in this session
    mode, // the --approval mode decided
    headless, // would have asked, but nobody can answer
    sandbox, // the command would run outside the OS sandbox: always asks
    private_path, // a file tool on ik's own configuration or data: always denied
    unknowable, // bash deny rules exist and the command runs something they cannot see
    user, // the user answered the prompt
    hook, // a PreToolUse hook decided (agent/hooks/hook_permission.h)
};

struct Decision {
    Verdict verdict = Verdict::ask;
    DecisionSource source = DecisionSource::mode;
    std::string rule; // the rule that matched, if any
    std::string reason; // one sentence, for the record and the UI
};

// The "always for this session" answers. Owned by the session.
class SessionAllows {
public:
    void add(ApprovalRule rule) { m_rules.push_back(std::move(rule)); }
    std::span<const ApprovalRule> rules() const { return m_rules; }

private:
    std::vector<ApprovalRule> m_rules;
};

// The pure decision (see the top of this file).
Decision decide(const ApprovalPolicy& policy, const SessionAllows& session, const ApprovalRequest& request);

// Where an allowed file-tool call may open files (ToolContext::beneath):
// the project root's real path when the call's path is inside it, so a link
// swapped in after this decision cannot lead the open outside; empty when
// the path is outside (it was approved where it is) or for commands.
std::filesystem::path confinement_for(const ApprovalPolicy& policy, const ApprovalRequest& request);

// Headless: `ask` becomes a denial (source headless); others pass through.
Decision resolve_headless(Decision decision);

// The rule an "always" answer adds: derive_session_rule() (session_rule.h),
// which the prompt shows before the user answers.
ApprovalRule session_rule_for(const ApprovalRequest& request);

enum class UserAnswer { yes, always, no };

// The decision for an answer at the prompt; `always` also remembers
// session_rule_for(request) in `session`.
Decision apply_user_answer(UserAnswer answer, const ApprovalRequest& request, SessionAllows& session);

// The tool result the model gets for a denied call: why, and how to allow it.
std::string denial_message(const ApprovalRequest& request, const Decision& decision);

// What the caller appends to the store for every decision: the record type
// of store/records.h, viewing `request` and `decision` (which must outlive it).
store::ApprovalRecord make_approval_record(const ApprovalRequest& request, const Decision& decision);

std::string_view to_string(Verdict verdict);
std::string_view to_string(DecisionSource source);

// Exposed for tests: does `command` contain shell operators that could chain
// another command? And does a bash prefix rule match (deny: any command that
// split_command() finds in `command`)?
bool is_simple_command(std::string_view command);
bool allow_prefix_matches(std::string_view prefix, std::string_view command);
bool deny_prefix_matches(std::string_view prefix, std::string_view command);

} // namespace ik::agent
