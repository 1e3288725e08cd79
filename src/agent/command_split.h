// The simple commands a bash command line would run, for the deny rules of
// approval.h. Built on the tokens of shell_words.h.
//
// A simple command is its words after quote removal, starting at the word
// that names what runs, normalised the way a deny rule wants to see it:
//   - leading NAME=value assignments are dropped;
//   - the name is the basename of a path (/bin/rm, ./rm -> rm);
//   - wrappers that run the rest of their arguments are stripped with their
//     options (sudo -u root, doas, env -i NAME=v, command, exec, builtin,
//     nohup, setsid, time -p, nice -n 5, ionice, timeout 10, stdbuf,
//     xargs -n 1, busybox, chroot DIR, watch -n 1);
//   - `find … -exec/-execdir/-ok/-okdir CMD … ;` yields CMD as a command too.
// Every place bash runs a command is walked: each part of a list or pipeline,
// the bodies of if/while/until/for/case/select, subshells, { } groups,
// function bodies, [[ ]] and redirection targets (for their substitutions),
// command and process substitutions anywhere in a word, the substitutions in
// an unquoted here-document, and the literal string of `bash -c '…'` (sh,
// dash, zsh, ksh, ash, mksh; -c, -lc, -ec …) and of `eval '…'`.
//
// A command is `unknowable` when what it runs cannot be read from the text:
// its name has an expansion, a substitution or a glob in it ($x, $(echo rm),
// r*), it is `eval`, `source` or `.`, a shell whose -c string is not literal
// or which reads its commands from standard input (`… | sh`), or `env -S`.
// Nesting deeper than kMaxShellDepth and input over kMaxCommandBytes make the
// whole line unknowable. Reserved words are skipped, so `if rm -rf x; then`
// yields rm.
//
// Untrusted input: any bytes; no crash, bounded time and depth.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ik::agent {

// A longer command line is not read; it counts as unknowable.
inline constexpr size_t kMaxCommandBytes = size_t{ 64 } * 1024;

struct SimpleCommand {
    std::vector<std::string> words; // words[0]: the command name (basename)
    bool unknowable = false;
};

struct CommandSplit {
    std::vector<SimpleCommand> commands;
    bool unknowable = false; // some command is unknowable, or the line was not read whole
};

CommandSplit split_command(std::string_view command);

} // namespace ik::agent
