// The lexical half of reading a bash command line: words after quote removal
// and the operators between them. command_split.h builds simple commands
// from these tokens; approval.cc matches deny rules against those.
//
// What a word knows about itself is what the approval decision needs: its
// text after quote removal (expansions kept literally: "$x" stays "$x"),
// whether bash would change it at run time (a parameter expansion, a command
// substitution, an unquoted glob or brace expansion), whether any of it was
// quoted (then it is neither a reserved word nor an assignment), and the
// bodies of the command and process substitutions inside it ($(…), `…`,
// <(…), >(…)), which the splitter reads in turn. Here-document bodies are
// skipped, except that an unquoted delimiter's body is searched for
// substitutions, since bash runs those.
//
// The input is untrusted (it comes from the model): any bytes, no crash, each
// byte looked at a bounded number of times, nesting bounded by kMaxShellDepth
// (deeper sets ShellTokens::too_deep and stops reading). Everything is heap
// strings and vectors: decisions are rare and commands small.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ik::agent {

// Nesting (substitutions, `bash -c` strings, ${…}) beyond this is not read.
inline constexpr int kMaxShellDepth = 32;

struct ShellWord {
    std::string text; // after quote removal; expansions kept as written
    bool expands = false; // has a parameter expansion or a substitution
    bool glob = false; // has an unquoted glob (*, ?, […]) or brace expansion
    bool quoted = false; // some of it was quoted or escaped
    bool assignment = false; // NAME=…, NAME+=… or NAME[…]=… with NAME unquoted
    std::vector<std::string> substitutions; // bodies of $(…), `…`, <(…), >(…)
};

enum class ShellTokenKind {
    word,
    op, // ; & && || | |& ( ) ;; ;& ;;& and a newline (spelled ";")
    redirect, // < > >> >| <> <& >& &> &>> << <<- <<< (the target is the next word)
};

struct ShellToken {
    ShellTokenKind kind = ShellTokenKind::word;
    std::string op; // op and redirect
    ShellWord word; // word
};

struct ShellTokens {
    std::vector<ShellToken> tokens;
    bool too_deep = false; // nesting beyond kMaxShellDepth: the rest was not read
};

// `depth` is the nesting level of `text` itself (0 for a whole command line).
ShellTokens tokenize_shell(std::string_view text, int depth = 0);

} // namespace ik::agent
