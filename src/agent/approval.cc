#include "agent/approval.h"

#include <cstdlib>
#include <optional>

#include <boost/json/serialize.hpp>

#include "agent/command_split.h"
#include "agent/deny_rule.h"
#include "agent/mcp_resource_tools.h"
#include "agent/session_rule.h"
#include "agent/tools/registry.h"
#include "mcp/naming.h"

namespace ik::agent {

namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

bool is_edit_tool(const ApprovalRequest& request)
{
    return request.kind == ToolKind::edits;
}

std::string collapse_spaces(std::string_view s)
{
    std::string out;
    for (char c : s) {
        if (is_space(c) || c == '\r') {
            if (!out.empty() && out.back() != ' ')
                out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

bool starts_with_word(std::string_view text, std::string_view prefix)
{
    return !prefix.empty() && text.starts_with(prefix)
        && (text.size() == prefix.size() || is_space(text[prefix.size()]));
}

// "mcp__calc__*" matches every tool whose name starts with "mcp__calc__".
bool rule_matches_tool(const ApprovalRule& rule, const ApprovalRequest& request)
{
    if (rule.tool.ends_with('*'))
        return std::string_view(request.tool).starts_with(std::string_view(rule.tool).substr(0, rule.tool.size() - 1));
    return rule.tool == request.tool;
}

// A rule may name a tool that does not exist yet: an MCP server's tools are
// listed only after it starts, so any well-formed mcp__server__tool name is
// accepted, and so is a trailing '*' over MCP names or built-in ones.
bool known_rule_tool(std::string_view tool)
{
    if (tool.ends_with('*')) {
        std::string_view prefix = tool.substr(0, tool.size() - 1);
        if (prefix.empty() || prefix.find('*') != std::string_view::npos)
            return false;
        if (prefix.starts_with(mcp::tool_prefix) || std::string_view(mcp::tool_prefix).starts_with(prefix))
            return true;
        for (const ToolDescriptor* t : all_tools())
            if (t->name.starts_with(prefix))
                return true;
        return false;
    }
    if (tool.starts_with(mcp::tool_prefix))
        return mcp::split_tool_name(tool).has_value();
    if (tool == resource_list_tool || tool == resource_read_tool) // offered once a server has resources
        return true;
    return find_tool(tool) != nullptr;
}

namespace fs = std::filesystem;

// The path with every symlink in its existing part resolved, so that
// `linkdir/x` or an edit of `linkfile` is judged where it really lands.
// (The boundary is checked here, at decision time; the file tools open the
// path again later.)
fs::path real_path(const fs::path& p)
{
    std::error_code ec;
    fs::path r = fs::weakly_canonical(p, ec);
    return ec ? p.lexically_normal() : r;
}

bool within(const fs::path& root, const fs::path& path)
{
    auto rel = path.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
}

// Is `path` at or below `root`? An empty root contains everything; an empty
// path (no preview) is treated as outside a non-empty root.
bool inside(const fs::path& root, const fs::path& path)
{
    if (root.empty())
        return true;
    if (path.empty())
        return false;
    return within(real_path(root), real_path(path));
}

fs::path env_dir(const char* xdg, const char* fallback)
{
    if (const char* x = std::getenv(xdg); x && *x)
        return fs::path(x) / "ik";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / fallback / "ik";
    return {};
}

// Paths auto-edit never writes without asking, even inside the project:
// what git or a shell executes later (.git internals such as config and
// hooks, shell start-up files), the project's .ik/, and ik's own
// configuration and data.
std::string_view protected_reason(const fs::path& path)
{
    if (path.empty())
        return {};
    fs::path real = real_path(path);
    for (const auto& part : real) {
        if (part == ".git")
            return "git's own files (.git/) can make git run commands";
        if (part == ".ik")
            return "the project's .ik/ directory configures ik";
    }
    static constexpr std::string_view startup[] = { ".bashrc", ".bash_profile", ".bash_login", ".bash_logout",
        ".profile", ".zshrc", ".zshenv", ".zprofile", ".zlogin", ".cshrc", ".tcshrc", ".login", ".inputrc" };
    for (auto name : startup)
        if (real.filename() == name)
            return "shell start-up files run commands in every new shell";
    for (const auto& dir : { env_dir("XDG_CONFIG_HOME", ".config"), env_dir("XDG_DATA_HOME", ".local/share") })
        if (!dir.empty() && (real == real_path(dir) || within(real_path(dir), real)))
            return "ik's own configuration and data";
    return {};
}

bool in_private_dir(const ApprovalPolicy& policy, const fs::path& path)
{
    if (path.empty())
        return false;
    fs::path real = real_path(path);
    for (const auto& dir : policy.private_dirs)
        if (!dir.empty() && within(real_path(dir), real))
            return true;
    return false;
}

// Other programs' secrets in the home directory: a read asks even when the
// working directory is $HOME (yolo still reads them).
std::string_view sensitive_read(const fs::path& path)
{
    const char* home = std::getenv("HOME");
    if (path.empty() || !home || !*home)
        return {};
    fs::path rel = real_path(path).lexically_relative(real_path(home));
    if (rel.empty() || *rel.begin() == "..")
        return {};
    static constexpr std::string_view secrets[]
        = { ".ssh", ".gnupg", ".aws", ".azure", ".kube", ".docker", ".netrc", ".pgpass", ".git-credentials" };
    for (auto name : secrets)
        if (*rel.begin() == name)
            return "a credentials file in the home directory";
    return {};
}

// In $HOME or / without a git repository there is no project to trust.
bool root_too_wide(const fs::path& root)
{
    if (root.empty())
        return false;
    fs::path r = real_path(root);
    const char* home = std::getenv("HOME");
    return r == "/" || (home && *home && r == real_path(home));
}

Decision make(Verdict verdict, DecisionSource source, std::string rule, std::string reason)
{
    return Decision{ verdict, source, std::move(rule), std::move(reason) };
}

} // namespace

std::string_view to_string(ApprovalMode mode)
{
    switch (mode) {
    case ApprovalMode::ask:
        return "ask";
    case ApprovalMode::auto_edit:
        return "auto-edit";
    case ApprovalMode::yolo:
        return "yolo";
    }
    return "ask";
}

Result<ApprovalRule> parse_approval_rule(std::string_view text)
{
    ApprovalRule rule;
    rule.text = std::string(text);
    auto colon = text.find(':');
    std::string_view tool = text.substr(0, colon);
    while (!tool.empty() && is_space(tool.back()))
        tool.remove_suffix(1);
    while (!tool.empty() && is_space(tool.front()))
        tool.remove_prefix(1);
    if (!known_rule_tool(tool))
        return fail(ErrorCode::config, "approval rule \"{}\": unknown tool '{}'", text, tool);
    rule.tool = std::string(tool);
    if (colon != std::string_view::npos) {
        std::string prefix = collapse_spaces(text.substr(colon + 1));
        while (!prefix.empty() && prefix.front() == ' ')
            prefix.erase(0, 1);
        if (tool != "bash")
            return fail(ErrorCode::config, "approval rule \"{}\": only bash rules take a command prefix", text);
        if (prefix.empty())
            return fail(
                ErrorCode::config, R"(approval rule "{}": empty command prefix (use "bash" for every command))", text);
        rule.prefix = std::move(prefix);
    }
    return rule;
}

Result<ApprovalPolicy> ApprovalPolicy::make(
    ApprovalMode mode, std::span<const std::string> allow, std::span<const std::string> deny)
{
    ApprovalPolicy p;
    p.mode = mode;
    for (auto& a : allow)
        p.allow.push_back(TRY_CONTEXT(parse_approval_rule(a), "in approval.allow"));
    for (auto& d : deny)
        p.deny.push_back(TRY_CONTEXT(parse_approval_rule(d), "in approval.deny"));
    return p;
}

ApprovalRequest make_approval_request(std::string_view call_id, const ToolDescriptor& tool, ToolPreview preview)
{
    return ApprovalRequest{ std::string(call_id), std::string(tool.name), tool.kind, std::move(preview) };
}

bool is_simple_command(std::string_view command)
{
    for (char c : command)
        if (std::string_view(";&|`$<>(){}\n\\").find(c) != std::string_view::npos)
            return false;
    return true;
}

bool allow_prefix_matches(std::string_view prefix, std::string_view command)
{
    if (!is_simple_command(command))
        return false;
    std::string c = collapse_spaces(command);
    while (!c.empty() && c.front() == ' ')
        c.erase(0, 1);
    return starts_with_word(c, prefix);
}

bool deny_prefix_matches(std::string_view prefix, std::string_view command)
{
    return deny_rule_matches(prefix, split_command(command));
}

Decision decide(const ApprovalPolicy& policy, const SessionAllows& session, const ApprovalRequest& request)
{
    const std::string& command = request.preview.command;
    std::optional<CommandSplit> split; // read once, and only for a bash prefix rule
    for (auto& rule : policy.deny) {
        if (!rule_matches_tool(rule, request))
            continue;
        if (!rule.prefix.empty() && !split)
            split = split_command(command);
        if (rule.prefix.empty() || deny_rule_matches(rule.prefix, *split))
            return make(Verdict::deny, DecisionSource::deny_rule, rule.text,
                fmt::format("denied by the rule \"{}\"", rule.text));
    }
    // A deny rule cannot see what a command name built at run time will be.
    if (split && split->unknowable)
        return make(Verdict::ask, DecisionSource::unknowable, "",
            "the command runs something that cannot be known before it runs (eval, a shell reading "
            "standard input, or a command name from a variable or substitution), and bash deny rules "
            "are configured");
    // Leaving the OS sandbox is never decided by a mode or a rule.
    if (request.preview.unsandboxed)
        return make(Verdict::ask, DecisionSource::sandbox, "",
            request.preview.justification.empty()
                ? std::string("the command would run outside the OS sandbox")
                : fmt::format("the command would run outside the OS sandbox: {}", request.preview.justification));
    if (request.kind != ToolKind::runs && in_private_dir(policy, request.preview.full_path))
        return make(Verdict::deny, DecisionSource::private_path, "",
            "ik's own configuration, credentials and session store are never open to tools");
    if (request.kind == ToolKind::reads) {
        if (auto why = sensitive_read(request.preview.full_path); !why.empty() && policy.mode != ApprovalMode::yolo)
            return make(Verdict::ask, DecisionSource::mode, "", fmt::format("reading {} needs approval", why));
        if (request.preview.full_path.empty() || inside(policy.project_root, request.preview.full_path))
            return make(Verdict::allow, DecisionSource::read_only, "", "read-only tool inside the project");
    }
    auto allowed_by = [&](std::span<const ApprovalRule> rules) -> const ApprovalRule* {
        for (auto& rule : rules)
            if (rule_matches_tool(rule, request) && (rule.prefix.empty() || allow_prefix_matches(rule.prefix, command)))
                return &rule;
        return nullptr;
    };
    if (auto* rule = allowed_by(policy.allow))
        return make(Verdict::allow, DecisionSource::allow_rule, rule->text,
            fmt::format("allowed by the rule \"{}\"", rule->text));
    auto session_allowed = [&]() -> const ApprovalRule* {
        for (auto& rule : session.rules())
            if (session_rule_allows(rule, request))
                return &rule;
        return nullptr;
    };
    if (auto* rule = session_allowed())
        return make(Verdict::allow, DecisionSource::session_rule, rule->text,
            fmt::format("allowed for this session (\"{}\")", rule->text));
    switch (policy.mode) {
    case ApprovalMode::yolo:
        return make(Verdict::allow, DecisionSource::mode, "", "approval mode yolo");
    case ApprovalMode::auto_edit:
        if (is_edit_tool(request) && root_too_wide(policy.project_root))
            return make(Verdict::ask, DecisionSource::mode, "",
                fmt::format("approval mode auto-edit approves no edits when "
                            "the project root is {} (no git "
                            "repository)",
                    policy.project_root.string()));
        if (auto why = protected_reason(request.preview.full_path); is_edit_tool(request) && !why.empty())
            return make(Verdict::ask, DecisionSource::mode, "",
                fmt::format("approval mode auto-edit asks before editing a "
                            "protected path ({})",
                    why));
        if (is_edit_tool(request) && !inside(policy.project_root, request.preview.full_path))
            return make(Verdict::ask, DecisionSource::mode, "",
                fmt::format("approval mode auto-edit asks before editing "
                            "outside the project ({})",
                    policy.project_root.string()));
        if (is_edit_tool(request))
            return make(Verdict::allow, DecisionSource::mode, "", "approval mode auto-edit allows file edits");
        if (request.kind == ToolKind::reads)
            return make(Verdict::ask, DecisionSource::mode, "",
                fmt::format("reading outside the project ({}) needs approval", policy.project_root.string()));
        return make(Verdict::ask, DecisionSource::mode, "", "approval mode auto-edit asks before running commands");
    case ApprovalMode::ask:
        break;
    }
    if (request.kind == ToolKind::reads)
        return make(Verdict::ask, DecisionSource::mode, "",
            fmt::format("reading outside the project ({}) needs approval", policy.project_root.string()));
    return make(Verdict::ask, DecisionSource::mode, "", "approval mode ask");
}

fs::path confinement_for(const ApprovalPolicy& policy, const ApprovalRequest& request)
{
    if (request.kind == ToolKind::runs || policy.project_root.empty() || request.preview.full_path.empty()
        || !inside(policy.project_root, request.preview.full_path))
        return {};
    return real_path(policy.project_root);
}

Decision resolve_headless(Decision decision)
{
    if (decision.verdict != Verdict::ask)
        return decision;
    // Keeps its source: the message says why, not "run with yolo", which would not help.
    if (decision.source == DecisionSource::unknowable)
        return make(Verdict::deny, DecisionSource::unknowable, "",
            fmt::format("{}; nobody can answer in headless mode", decision.reason));
    // The reason stays why it would have asked; the source says nobody could.
    return make(Verdict::deny, DecisionSource::headless, "", std::move(decision.reason));
}

ApprovalRule session_rule_for(const ApprovalRequest& request)
{
    return derive_session_rule(request).rule;
}

Decision apply_user_answer(UserAnswer answer, const ApprovalRequest& request, SessionAllows& session)
{
    switch (answer) {
    case UserAnswer::yes:
        return make(Verdict::allow, DecisionSource::user, "", "approved by the user");
    case UserAnswer::always: {
        ApprovalRule rule = session_rule_for(request);
        std::string text = rule.text;
        session.add(std::move(rule));
        return make(Verdict::allow, DecisionSource::user, text,
            fmt::format("approved by the user for the rest of the session (\"{}\")", text));
    }
    case UserAnswer::no:
        break;
    }
    return make(Verdict::deny, DecisionSource::user, "", "denied by the user");
}

std::string denial_message(const ApprovalRequest& request, const Decision& decision)
{
    std::string what = request.kind == ToolKind::runs ? fmt::format("the command `{}`", request.preview.command)
        : !request.preview.path.empty() ? fmt::format("this {} call on {}", request.tool, request.preview.path)
                                        : fmt::format("this {} call", request.tool);
    switch (decision.source) {
    case DecisionSource::deny_rule:
        return fmt::format("Not run: {} is denied by the approval rule \"{}\" in "
                           "ik's configuration. Do not retry "
                           "it; find another way or ask the user.",
            what, decision.rule);
    case DecisionSource::headless: {
        if (request.preview.unsandboxed)
            return fmt::format("Not run: {} would run outside the OS sandbox, which "
                               "always needs the user's "
                               "approval, and ik is running headless, so nobody can "
                               "approve it. Run it inside the "
                               "sandbox (leave out \"sandbox\": false), or the user "
                               "can start ik with --sandbox off.",
                what);
        std::string how = is_edit_tool(request)
            ? fmt::format("run ik with --approval auto-edit (for files inside the project) or yolo, or add \"{}\" to "
                          "approval.allow in the configuration",
                request.tool)
            : request.kind == ToolKind::reads
            ? fmt::format(
                "run ik with --approval yolo, or add \"{}\" to approval.allow in the configuration", request.tool)
            : fmt::format("run ik with --approval yolo, or add an allow rule such as \"{}\" to approval.allow in the "
                          "configuration",
                session_rule_for(request).text);
        return fmt::format("Not run: {} needs the user's approval ({}), and ik is running headless, so nobody can "
                           "approve it. To allow it, {}.",
            what, decision.reason, how);
    }
    case DecisionSource::unknowable:
        return fmt::format("Not run: {} runs something that cannot be known before it runs (eval, a shell "
                           "reading standard input, or a command name from a variable or substitution). ik's "
                           "configuration has bash deny rules, so such a command needs the user's approval, "
                           "and ik is running headless, so nobody can approve it. Write the command out "
                           "literally; do not use this to get around a deny rule.",
            what);
    case DecisionSource::user:
        return fmt::format("Not run: the user denied {}. Ask the user how to proceed if unsure.", what);
    case DecisionSource::hook:
        return fmt::format("Not run: a PreToolUse hook of the user's blocked {}: {}", what, decision.reason);
    default:
        break;
    }
    return fmt::format("Not run: {} was denied ({}).", what, decision.reason);
}

std::string_view to_string(Verdict verdict)
{
    switch (verdict) {
    case Verdict::allow:
        return "allow";
    case Verdict::deny:
        return "deny";
    case Verdict::ask:
        return "ask";
    }
    return "ask";
}

std::string_view to_string(DecisionSource source)
{
    switch (source) {
    case DecisionSource::read_only:
        return "read_only";
    case DecisionSource::deny_rule:
        return "deny_rule";
    case DecisionSource::allow_rule:
        return "allow_rule";
    case DecisionSource::session_rule:
        return "session_rule";
    case DecisionSource::mode:
        return "mode";
    case DecisionSource::headless:
        return "headless";
    case DecisionSource::sandbox:
        return "sandbox";
    case DecisionSource::private_path:
        return "private_path";
    case DecisionSource::unknowable:
        return "unknowable";
    case DecisionSource::user:
        return "user";
    case DecisionSource::hook:
        return "hook";
    }
    return "mode";
}

store::ApprovalRecord make_approval_record(const ApprovalRequest& request, const Decision& decision)
{
    return store::ApprovalRecord{ .call_id = request.call_id,
        .tool = request.tool,
        .verdict = to_string(decision.verdict),
        .source = to_string(decision.source),
        .rule = decision.rule,
        .reason = decision.reason,
        .command = request.preview.command,
        .path = request.preview.path };
}

} // namespace ik::agent
