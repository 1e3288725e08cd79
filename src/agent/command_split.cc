#include "agent/command_split.h"

#include <algorithm>
#include <span>

#include "agent/shell_words.h"

namespace ik::agent {

namespace {

// A command that runs the rest of its arguments as a command.
struct Wrapper {
    std::string_view name;
    std::string_view short_args; // short options that take an argument
    std::string_view long_args; // " name name ": long options that take one (unless written --name=value)
    int operands = 0; // operands before the command (timeout's duration, chroot's directory)
    std::string_view opaque_short = {}; // options after which the command is unknowable (env -S)
    std::string_view opaque_long = {};
    bool joins = false; // runs its arguments joined into one shell string (watch)
};

constexpr Wrapper kWrappers[] = {
    { "sudo", "CDgpRrTtUu", " chdir close-from group prompt chroot role type command-timeout other-user user host " },
    { "doas", "aCu", "" },
    { "env", "uC", " unset chdir ", 0, "S", " split-string " },
    { "command", "", "" },
    { "exec", "a", "" },
    { "builtin", "", "" },
    { "nohup", "", "" },
    { "setsid", "", "" },
    { "time", "fo", " format output " },
    { "nice", "n", " adjustment " },
    { "ionice", "cnpPu", " class classdata pid pgid uid " },
    { "timeout", "ks", " kill-after signal ", 1 },
    { "stdbuf", "ioe", " input output error " },
    { "xargs", "adEILnPs", " arg-file delimiter max-lines max-args max-procs max-chars process-slot-var " },
    { "busybox", "", "" },
    { "chroot", "", " userspec groups ", 1 },
    { "watch", "n", " interval ", 0, "", "", /*joins=*/true },
};

constexpr std::string_view kShells[] = { "sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "yash", "posh", "rbash" };

// Reserved words skipped where a command name would be.
constexpr std::string_view kReserved[]
    = { "if", "then", "elif", "else", "fi", "while", "until", "do", "done", "!", "{", "}" };

// Everything split_command() tokenizes, in bytes: eval and find -exec read
// some text twice, and this keeps the total linear in the input.
constexpr size_t kBudget = 16 * kMaxCommandBytes;

using Words = std::span<const ShellWord* const>;

bool in_list(std::string_view list, std::string_view name)
{
    if (name.empty() || name.find(' ') != std::string_view::npos)
        return false;
    size_t at = list.find(name);
    while (at != std::string_view::npos) {
        if (at > 0 && list[at - 1] == ' ' && at + name.size() < list.size() && list[at + name.size()] == ' ')
            return true;
        at = list.find(name, at + 1);
    }
    return false;
}

template <class Range> bool contains(const Range& range, std::string_view name)
{
    return std::find(std::begin(range), std::end(range), name) != std::end(range);
}

const Wrapper* find_wrapper(std::string_view name)
{
    for (const Wrapper& w : kWrappers)
        if (w.name == name)
            return &w;
    return nullptr;
}

std::string basename(std::string_view path)
{
    size_t slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string join(Words words)
{
    std::string out;
    for (const ShellWord* w : words)
        out += (out.empty() ? "" : " ") + w->text;
    return out;
}

bool is_exec_option(std::string_view word)
{
    return word == "-exec" || word == "-execdir" || word == "-ok" || word == "-okdir";
}

// The index of the wrapped command: past the wrapper's options, their
// arguments, NAME=value words and its operands. A word with an expansion
// stops here (it may be an option or the command: unknowable either way).
size_t skip_wrapper(const Wrapper& wrapper, Words words, size_t k, bool& opaque)
{
    int operands = wrapper.operands;
    while (k < words.size() && !words[k]->expands) {
        std::string_view t = words[k]->text;
        if (t == "--")
            return k + 1;
        if (t.starts_with("--")) {
            size_t eq = t.find('=');
            std::string_view name = t.substr(2, eq == std::string_view::npos ? t.npos : eq - 2);
            opaque = opaque || in_list(wrapper.opaque_long, name);
            k += eq == std::string_view::npos && in_list(wrapper.long_args, name) ? 2 : 1;
        } else if (t.size() > 1 && t[0] == '-') {
            ++k;
            for (size_t i = 1; i < t.size(); ++i) {
                opaque = opaque || wrapper.opaque_short.find(t[i]) != std::string_view::npos;
                if (wrapper.short_args.find(t[i]) != std::string_view::npos) {
                    k += i + 1 == t.size() ? 1 : 0; // -u root, or -uroot
                    break;
                }
            }
        } else if (words[k]->assignment) {
            ++k;
        } else if (operands > 0) {
            --operands;
            ++k;
        } else {
            return k;
        }
    }
    return std::min(k, words.size());
}

class Splitter {
public:
    explicit Splitter(CommandSplit& out)
        : m_out(out)
    {
    }

    void split(std::string_view text, int depth)
    {
        if (depth > kMaxShellDepth || text.size() > m_budget) {
            m_out.unknowable = true;
            return;
        }
        m_budget -= text.size();
        ShellTokens t = tokenize_shell(text, depth);
        if (t.too_deep)
            m_out.unknowable = true;
        parse(t.tokens, depth);
    }

private:
    enum class Skip {
        none,
        next_word, // the name after `function`
        until_separator, // for/select NAME in WORDS
        case_subject, // case WORD in
        test, // [[ … ]]
    };

    void parse(const std::vector<ShellToken>& tokens, int depth)
    {
        std::vector<const ShellWord*> cur;
        Skip skip = Skip::none;
        bool target = false; // the next word is a redirection target
        bool pattern = false; // in a case pattern, before its `)`
        int cases = 0;
        for (size_t k = 0; k < tokens.size(); ++k) {
            const ShellToken& t = tokens[k];
            const ShellWord& w = t.word;
            bool bare = t.kind == ShellTokenKind::word && !w.quoted;
            for (const std::string& body : w.substitutions) // they run wherever the word is
                split(body, depth + 1);
            if (pattern) {
                pattern = !(bare && w.text == "esac") && !(t.kind == ShellTokenKind::op && t.op == ")");
                cases -= bare && w.text == "esac" ? 1 : 0;
                continue;
            }
            if (t.kind == ShellTokenKind::redirect) {
                target = true;
                continue;
            }
            if (t.kind == ShellTokenKind::op) {
                bool empty_parens = t.op == "(" && k + 1 < tokens.size() && tokens[k + 1].op == ")";
                if (skip == Skip::test && t.op != ";")
                    continue;
                if (empty_parens && cur.size() <= 1) { // NAME() { …; }: a function definition
                    cur.clear();
                    ++k;
                    continue;
                }
                finish(cur, depth);
                skip = Skip::none;
                target = false;
                pattern = cases > 0 && (t.op == ";;" || t.op == ";&" || t.op == ";;&");
                continue;
            }
            if (target) {
                target = false;
                continue;
            }
            if (skip != Skip::none) {
                if (skip == Skip::next_word || (skip == Skip::test && bare && w.text == "]]"))
                    skip = Skip::none;
                if (skip == Skip::case_subject && bare && w.text == "in") {
                    skip = Skip::none;
                    pattern = true;
                    ++cases;
                }
                continue;
            }
            if (cur.empty() && bare) {
                if (contains(kReserved, w.text))
                    continue;
                if (w.text == "esac") {
                    cases = std::max(0, cases - 1);
                    continue;
                }
                skip = w.text == "function"                 ? Skip::next_word
                    : w.text == "for" || w.text == "select" ? Skip::until_separator
                    : w.text == "case"                      ? Skip::case_subject
                    : w.text == "[["                        ? Skip::test
                                                            : Skip::none;
                if (skip != Skip::none)
                    continue;
            }
            if (cur.empty() && w.assignment)
                continue;
            cur.push_back(&w);
        }
        finish(cur, depth);
    }

    void finish(std::vector<const ShellWord*>& cur, int depth)
    {
        resolve(cur, depth);
        cur.clear();
    }

    // From the first word: assignments and wrappers off, then what runs.
    void resolve(Words words, int depth)
    {
        if (depth > kMaxShellDepth) {
            m_out.unknowable = true;
            return;
        }
        size_t k = 0;
        while (k < words.size()) {
            const ShellWord& w = *words[k];
            if (w.assignment) {
                ++k;
                continue;
            }
            Words rest = words.subspan(k);
            if (w.expands || w.glob) {
                add(rest, w.text, /*unknowable=*/true);
                return;
            }
            std::string name = basename(w.text);
            if (const Wrapper* wrapper = find_wrapper(name)) {
                bool opaque = false;
                size_t next = skip_wrapper(*wrapper, words, k + 1, opaque);
                // The wrapper with its options is a command too ("bash:sudo" matches).
                add(words.subspan(k, next - k), name, opaque);
                if (opaque)
                    return;
                if (wrapper->joins) {
                    split(join(words.subspan(next)), depth + 1);
                    return;
                }
                k = next;
                continue;
            }
            if (name == "eval") { // runs its arguments, and they may be built at run time
                add(rest, name, /*unknowable=*/true);
                split(join(words.subspan(k + 1)), depth + 1);
            } else if (name == "source" || name == ".") {
                add(rest, name, /*unknowable=*/true);
            } else if (contains(kShells, name)) {
                shell(rest, name, depth);
            } else {
                add(rest, name, /*unknowable=*/false);
                if (name == "find")
                    find_exec(rest.subspan(1), depth);
            }
            return;
        }
    }

    // sh -c 'literal' is read; sh -c "$x", and a shell reading standard
    // input (`… | sh`, sh -s), are unknowable. sh script.sh is not read.
    void shell(Words words, const std::string& name, int depth)
    {
        bool command_string = false;
        bool from_stdin = false;
        size_t i = 1;
        while (i < words.size() && !words[i]->expands) {
            std::string_view t = words[i]->text;
            ++i;
            if (t == "-" || t == "--")
                break;
            if (t.starts_with("--")) {
                i += t == "--rcfile" || t == "--init-file" ? 1 : 0;
            } else if (t.size() > 1 && (t[0] == '-' || t[0] == '+')) {
                command_string = command_string || t.find('c') != std::string_view::npos;
                from_stdin = from_stdin || t.find('s') != std::string_view::npos;
                i += t.back() == 'o' || t.back() == 'O' ? 1 : 0;
            } else {
                --i;
                break;
            }
        }
        bool unknowable = false;
        if (i < words.size() && words[i]->expands)
            unknowable = true;
        else if (command_string && i < words.size())
            split(words[i]->text, depth + 1);
        else
            unknowable = from_stdin || i >= words.size();
        add(words, name, unknowable);
    }

    // find … -exec CMD ARGS… ; (or +): CMD runs too.
    void find_exec(Words args, int depth)
    {
        for (size_t i = 0; i < args.size(); ++i) {
            if (!is_exec_option(args[i]->text))
                continue;
            size_t end = i + 1;
            while (end < args.size() && args[end]->text != ";" && args[end]->text != "+")
                ++end;
            resolve(args.subspan(i + 1, end - i - 1), depth + 1);
            i = end;
        }
    }

    void add(Words words, std::string name, bool unknowable)
    {
        SimpleCommand c;
        c.words.reserve(words.size());
        c.words.push_back(std::move(name));
        for (size_t i = 1; i < words.size(); ++i)
            c.words.push_back(words[i]->text);
        c.unknowable = unknowable;
        m_out.unknowable = m_out.unknowable || unknowable;
        m_out.commands.push_back(std::move(c));
    }

    CommandSplit& m_out;
    size_t m_budget = kBudget;
};

} // namespace

CommandSplit split_command(std::string_view command)
{
    CommandSplit out;
    if (command.size() > kMaxCommandBytes) {
        out.unknowable = true;
        return out;
    }
    Splitter(out).split(command, 0);
    return out;
}

} // namespace ik::agent
