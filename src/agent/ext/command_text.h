// The text steps of running a custom command (custom_commands.h), pure and
// separate from the running so each is tested alone:
//
//   substitute_arguments: `$ARGUMENTS` is the whole argument text, `$1`…`$9`
//     its words (quotes group words: /greet "Ada L" -> $1 = Ada L); a body
//     with no placeholder gets "ARGUMENTS: …" appended when arguments were
//     given, as Claude Code does, so they are never lost.
//   find_shell_spans: the `!`cmd`` expansions to run (shell_expansion.h).
//   expansion_allow_rules: the file's `allowed-tools` as approval rules for
//     those expansions ("Bash(git status:*)" -> bash:git status).
//
// Everything returned owns its strings (heap).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/approval.h"

namespace ik::agent {

inline constexpr size_t max_shell_spans = 16;

std::vector<std::string> split_arguments(std::string_view args);

std::string substitute_arguments(std::string_view body, std::string_view args);

struct ShellSpan {
    size_t begin = 0; // of the '!'
    size_t end = 0; // past the closing backtick
    std::string command;
};

// At most max_shell_spans, in order; a span never crosses a line.
std::vector<ShellSpan> find_shell_spans(std::string_view text);

// Rules for the entries naming bash ("Bash", "Bash(git status:*)",
// "Bash(npm test)"); the other entries are returned in `ignored`.
std::vector<ApprovalRule> expansion_allow_rules(
    std::span<const std::string> allowed_tools, std::vector<std::string>* ignored = nullptr);

} // namespace ik::agent
