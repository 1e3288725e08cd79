// The rule an "always (this session)" answer adds, derived before the user
// answers so the prompt can show it.
//
// For a simple bash command: the program, plus its subcommand for programs
// known to have subcommands, with any arguments after — "git status *",
// "npm test *", "echo *". A compound command (`;`, `|`, `$`, …) gets a rule
// for exactly that command. For a file tool: the tool on any file in the
// same directory — "edit_file src/tui/*" — never the whole tool everywhere.
//
// Matching a bash rule stays in approval.cc (allow_prefix_matches: simple
// commands only, at a word boundary); a file rule matches here.
//
// Everything returned owns its strings.
#pragma once

#include <string>

#include "agent/approval.h"

namespace ik::agent {

struct SessionRule {
    ApprovalRule rule; // what is remembered and matched
    std::string shown; // "git status *", "edit_file src/tui/*"
};

SessionRule derive_session_rule(const ApprovalRequest& request, const std::filesystem::path& project_root = {});

// Does a remembered session rule allow `request`?
bool session_rule_allows(const ApprovalRule& rule, const ApprovalRequest& request);

} // namespace ik::agent
