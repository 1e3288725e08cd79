// How a bash deny rule ("bash:rm -rf") is matched against the simple
// commands of a command line (command_split.h). Borrows the split; owns
// nothing.
//
// The prefix is plain words separated by blanks, no quoting. Its first word
// (as a basename) must equal the command name; every letter of its
// short-option words must be among the letters of the command's short-option
// words before `--` ("-rf" matches `-fr`, `-r -f`, `-vfr`; case-sensitive, as
// `-R` means something else to some tools); each of its long options must be
// among the command's (`--force`; `--x=v` compares as `--x`; long and short
// forms are different flags); and its other words must be the command's
// first other words, in order, where a word right after an option may be
// skipped as that option's argument ("git push" matches `git -C dir push`
// but not `git commit -m push`). Predictable rather than clever: a rule
// names a command and flags, not an outcome.
#pragma once

#include <string_view>

#include "agent/command_split.h"

namespace ik::agent {

// Does the rule's prefix match any command of `split`?
bool deny_rule_matches(std::string_view prefix, const CommandSplit& split);

} // namespace ik::agent
