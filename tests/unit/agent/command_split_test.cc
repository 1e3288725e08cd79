// The shell command splitter (agent/command_split.h, agent/shell_words.h) and
// the deny rule matching built on it (deny_prefix_matches in approval.h):
// every known way of spelling `rm -rf` past a lexical matcher is denied or
// marked unknowable, and ordinary commands are left alone.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "agent/approval.h"
#include "agent/command_split.h"
#include "agent/shell_words.h"

using namespace ik::agent;

namespace {

std::vector<std::string> names(std::string_view command)
{
    std::vector<std::string> out;
    for (const SimpleCommand& c : split_command(command).commands)
        out.push_back(c.words.empty() ? "" : c.words[0]);
    return out;
}

std::vector<std::string> words_of(std::string_view command, size_t index = 0)
{
    auto split = split_command(command);
    return index < split.commands.size() ? split.commands[index].words : std::vector<std::string>{};
}

bool unknowable(std::string_view command)
{
    return split_command(command).unknowable;
}

using Strings = std::vector<std::string>;

} // namespace

TEST(ShellWords, RemovesQuotesAndKeepsExpansionsLiterally)
{
    auto t = tokenize_shell(R"X(a'b c'"d\"e$x" \f $'\x72m\n' ${y:-z} "$(echo)")X");
    ASSERT_EQ(t.tokens.size(), 5u);
    EXPECT_EQ(t.tokens[0].word.text, "ab cd\"e$x");
    EXPECT_TRUE(t.tokens[0].word.expands);
    EXPECT_TRUE(t.tokens[0].word.quoted);
    EXPECT_EQ(t.tokens[1].word.text, "f");
    EXPECT_EQ(t.tokens[2].word.text, "rm\n");
    EXPECT_FALSE(t.tokens[2].word.expands);
    EXPECT_EQ(t.tokens[3].word.text, "${y:-z}");
    EXPECT_EQ(t.tokens[4].word.text, "$(echo)");
    EXPECT_EQ(t.tokens[4].word.substitutions, Strings{ "echo" });
}

TEST(ShellWords, OperatorsRedirectionsAndComments)
{
    auto t = tokenize_shell("a&&b|c 2>&1 >>f <<<w # rm -rf x\nd");
    std::vector<std::string> seen;
    for (auto& tok : t.tokens)
        seen.push_back(tok.kind == ShellTokenKind::word ? tok.word.text : "<" + tok.op + ">");
    EXPECT_EQ(seen, (Strings{ "a", "<&&>", "b", "<|>", "c", "<>&>", "1", "<>>>", "f", "<<<<>", "w", "<;>", "d" }));
}

TEST(ShellWords, MarksGlobsAssignmentsAndBraceExpansion)
{
    auto t = tokenize_shell("r* '*' x=1 \"x\"=1 {rm,-rf} [ a[1]=2");
    ASSERT_EQ(t.tokens.size(), 7u);
    EXPECT_TRUE(t.tokens[0].word.glob);
    EXPECT_FALSE(t.tokens[1].word.glob);
    EXPECT_TRUE(t.tokens[2].word.assignment);
    EXPECT_FALSE(t.tokens[3].word.assignment);
    EXPECT_TRUE(t.tokens[4].word.glob);
    EXPECT_FALSE(t.tokens[5].word.glob);
    EXPECT_TRUE(t.tokens[6].word.assignment);
}

TEST(ShellWords, NestingIsBounded)
{
    std::string deep;
    for (int i = 0; i < 100; ++i)
        deep += "$(";
    EXPECT_TRUE(tokenize_shell(deep).too_deep);
    EXPECT_TRUE(unknowable(deep));
    EXPECT_FALSE(tokenize_shell("$($($(true)))").too_deep);
}

TEST(CommandSplit, WalksEveryPlaceACommandRuns)
{
    EXPECT_EQ(names("a; b & c && d || e | f |& g\nh"), (Strings{ "a", "b", "c", "d", "e", "f", "g", "h" }));
    EXPECT_EQ(names("if a; then b; elif c; else d; fi"), (Strings{ "a", "b", "c", "d" }));
    EXPECT_EQ(names("while a; do b; done; until c; do d; done"), (Strings{ "a", "b", "c", "d" }));
    EXPECT_EQ(names("for f in $(a) b; do c $f; done"), (Strings{ "a", "c" }));
    EXPECT_EQ(names("case $(a) in x|y) b;; (z) c;& *) d;;& esac; e"), (Strings{ "a", "b", "c", "d", "e" }));
    EXPECT_EQ(names("(a) && { b; }; f() { c; }; function g { d; }"), (Strings{ "a", "b", "c", "d" }));
    EXPECT_EQ(names("[[ -n $(a) && x == y ]] && b"), (Strings{ "a", "b" }));
    EXPECT_EQ(names("x <(a) >(b) `c` \"$(d)\" > $(e)"), (Strings{ "a", "b", "c", "d", "e", "x" }));
    EXPECT_EQ(names("cat <<EOF\n$(a)\nEOF\nb"), (Strings{ "a", "cat", "b" }));
    EXPECT_EQ(names("cat <<'EOF'\n$(a)\nEOF\nb"), (Strings{ "cat", "b" }));
    EXPECT_EQ(names("echo $((1 + $(a)))"), (Strings{ "a", "echo" }));
    EXPECT_EQ(names("x=(1 $(a)) y=${z:-$(b)} c"), (Strings{ "a", "b", "c" }));
}

TEST(CommandSplit, StripsWrappersAndPathsAndReadsShellStrings)
{
    EXPECT_EQ(words_of("/bin/rm -rf x"), (Strings{ "rm", "-rf", "x" }));
    EXPECT_EQ(names("sudo -u root -E rm x"), (Strings{ "sudo", "rm" }));
    EXPECT_EQ(names("env -i -u HOME A=1 /usr/bin/nice -n 5 timeout -s KILL 10 xargs -n 1 rm"),
        (Strings{ "env", "nice", "timeout", "xargs", "rm" }));
    EXPECT_EQ(words_of("sudo -u root rm -rf x", 1), (Strings{ "rm", "-rf", "x" }));
    EXPECT_EQ(names("bash -lc 'a; b' && sh -ec \"c\""), (Strings{ "a", "b", "bash", "c", "sh" }));
    EXPECT_EQ(names("find . -name x -exec rm -rf {} + -ok b \\;"), (Strings{ "find", "rm", "b" }));
    EXPECT_EQ(names("watch -n 1 'a; b'"), (Strings{ "watch", "a", "b" }));
    EXPECT_FALSE(unknowable("sudo -u root rm -rf x; bash script.sh"));
}

TEST(CommandSplit, UnknowableCommands)
{
    for (const char* c : { "$x -rf y", "x=rm; $x -rf y", "$(echo rm) -rf y", "`echo rm` y", "r? -rf y", "{rm,-rf,y}",
             "eval 'rm -rf y'", "source f.sh", ". f.sh", "bash -c \"$cmd\"", "echo rm -rf y | sh", "sh -s",
             "env -S 'rm -rf y'", "sudo $opts rm", "bash $opt", "$'\\u0072m' -rf y" }) {
        EXPECT_TRUE(unknowable(c)) << c;
    }
    for (const char* c : { "rm -rf \"$dir\"", "echo $HOME", "ls *.cc", "[ -f x ]", "git log --format=%H" })
        EXPECT_FALSE(unknowable(c)) << c;
    EXPECT_TRUE(unknowable(std::string(kMaxCommandBytes + 1, 'a')));
}

TEST(DenyMatching, EveryKnownBypassIsDeniedOrAsked)
{
    // Denied outright: the splitter sees rm with r and f.
    for (const char* c : { "/bin/rm -rf X", "./rm -rf X", "\\rm -rf X", "'rm' -rf X", "\"rm\" -rf X", "rm -r -f X",
             "rm -fr X", "rm -f -r X", "eval 'rm -rf X'", "if true; then rm -rf X; fi", "while true; do rm -rf X; done",
             "until false; do rm -rf X; done", "for f in a; do rm -rf $f; done", "case a in a) rm -rf X;; esac",
             "(rm -rf X)", "{ rm -rf X; }", "f() { rm -rf X; }; f", "function f { rm -rf X; }", "true && rm -rf X",
             "false || rm -rf X", "echo | rm -rf X", "bash -c \"rm -rf X\"", "sh -c 'rm -rf X'", "bash -lc 'rm -rf X'",
             "zsh -ec 'cd /; rm -rf X'", "sudo -u root rm -rf X", "sudo -n -u root -- rm -rf X", "doas rm -rf X",
             "command rm -rf X", "exec rm -rf X", "env -i rm -rf X", "env -u HOME A=1 rm -rf X", "nice -n 5 rm -rf X",
             "nohup rm -rf X", "time -p rm -rf X", "ionice -c 3 rm -rf X", "timeout 10 rm -rf X", "stdbuf -o0 rm -rf X",
             "xargs rm -rf", "ls | xargs -n 1 -I{} rm -rf {}", "busybox rm -rf X", "find . -exec rm -rf {} +",
             "find . -execdir rm -rf {} \\;", "echo $(rm -rf X)", "echo `rm -rf X`", "cat <(rm -rf X)",
             "echo \"$(rm -rf X)\"", "x=$(rm -rf X) true", "echo ${x:-$(rm -rf X)}", "cat <<EOF\n$(rm -rf X)\nEOF",
             "A=1 B=2 rm -rf X", "! rm -rf X", "rm -rf -- X", "$'rm' -rf X", "$'\\x72m' -rf X", "r\\m -rf X",
             "sudo bash -c 'eval \"rm -rf X\"'", "rm \\\n -rf X", "watch -n 1 rm -rf X", "[[ -d X ]] && rm -rf X",
             "echo hi # comment\nrm -rf X" }) {
        EXPECT_TRUE(deny_prefix_matches("rm -rf", c)) << c;
    }
    // Not matched by the rule, but unknowable: decide() asks (approval_test.cc).
    for (const char* c : { "x=rm; $x -rf X", "$(echo rm) -rf X", "`echo rm` -rf X", "/bin/r? -rf X", "bash -c \"$c\"",
             "echo 'rm -rf X' | bash", "source ./script.sh", "{rm,-rf,X}" }) {
        EXPECT_FALSE(deny_prefix_matches("rm -rf", c)) << c;
        EXPECT_TRUE(unknowable(c)) << c;
    }
}

TEST(DenyMatching, OrdinaryCommandsAreLeftAlone)
{
    EXPECT_FALSE(deny_prefix_matches("rm -rf", "rm file.txt"));
    EXPECT_FALSE(deny_prefix_matches("rm -rf", "rm -r dir")); // f missing
    EXPECT_FALSE(deny_prefix_matches("rm -rf", "rm -Rf dir")); // case-sensitive: R is not r
    EXPECT_FALSE(deny_prefix_matches("rm -rf", "rm --recursive --force dir")); // long forms differ
    EXPECT_FALSE(deny_prefix_matches("rm -rf", "echo \"rm -rf\""));
    EXPECT_FALSE(deny_prefix_matches("rm -rf", "echo rm -rf X"));
    EXPECT_FALSE(deny_prefix_matches("rm -rf", "grep -r -f pats ."));
    EXPECT_FALSE(deny_prefix_matches("rm -rf", "cat <<'EOF'\nrm -rf X\nEOF"));
    EXPECT_FALSE(deny_prefix_matches("rm -rf", "git commit -m 'rm -rf X'"));
    EXPECT_FALSE(deny_prefix_matches("rm -rf", "ls # rm -rf X"));
}

TEST(DenyMatching, OperandsFlagsAndLongOptions)
{
    EXPECT_TRUE(deny_prefix_matches("git push", "git push"));
    EXPECT_TRUE(deny_prefix_matches("git push", "/usr/bin/git push origin main"));
    EXPECT_TRUE(deny_prefix_matches("git push", "git -C dir push"));
    EXPECT_TRUE(deny_prefix_matches("git push", "git --no-pager push -f"));
    EXPECT_FALSE(deny_prefix_matches("git push", "git pushy"));
    EXPECT_FALSE(deny_prefix_matches("git push", "git commit -m push"));
    EXPECT_FALSE(deny_prefix_matches("git push", "git log push")); // only the first operands count
    EXPECT_TRUE(deny_prefix_matches("git push --force", "git push origin --force"));
    EXPECT_FALSE(deny_prefix_matches("git push --force", "git push -f"));
    EXPECT_TRUE(deny_prefix_matches("curl", "cd x && curl -s https://example.com"));
    EXPECT_TRUE(deny_prefix_matches("/usr/bin/curl", "curl x"));
    EXPECT_TRUE(deny_prefix_matches("sudo", "sudo -u root ls"));
    EXPECT_TRUE(deny_prefix_matches("rm -rf /", "rm -rf /"));
    EXPECT_FALSE(deny_prefix_matches("rm -rf /", "rm -rf /tmp/x"));
}

TEST(DenyMatching, HostileInputNeverBreaksTheSplitter)
{
    std::string bytes;
    for (int i = 0; i < 256; ++i)
        bytes += static_cast<char>(i);
    for (const std::string& c :
        { bytes, std::string("'unterminated"), std::string("\"$(\\"), std::string("$((((("), std::string("${"),
            std::string("<<"), std::string("x <<E\n"), std::string(64 * 1024, '('), std::string(64 * 1024, '$'),
            std::string(60000, '`'), std::string(20000, 'x') + std::string(20000, '=') + std::string(20000, '(') }) {
        (void)split_command(c);
        (void)deny_prefix_matches("rm -rf", c);
    }
    std::string env_chain;
    for (int i = 0; i < 10000; ++i)
        env_chain += "env ";
    EXPECT_TRUE(deny_prefix_matches("rm -rf", env_chain + "rm -rf X"));
    std::string evals = "rm -rf X";
    for (int i = 0; i < 40; ++i)
        evals = "eval $(" + evals + ")";
    EXPECT_TRUE(unknowable(evals));
}
