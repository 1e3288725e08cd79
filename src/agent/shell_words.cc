#include "agent/shell_words.h"

#include <algorithm>
#include <cctype>

namespace ik::agent {

namespace {

bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

// The bytes that end an unquoted word.
bool is_meta(char c)
{
    return is_blank(c) || std::string_view("\n;&|()<>").find(c) != std::string_view::npos;
}

bool is_name_start(char c)
{
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}

bool is_name_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

// NAME, NAME+, NAME[…] or NAME[…]+: what may stand before the `=` of an
// assignment.
bool is_assignment_name(std::string_view text)
{
    if (text.empty() || !is_name_start(text[0]))
        return false;
    size_t k = 0;
    while (k < text.size() && is_name_char(text[k]))
        ++k;
    if (k < text.size() && text[k] == '[') {
        size_t close = text.find(']', k);
        if (close == std::string_view::npos)
            return false;
        k = close + 1;
    }
    return k == text.size() || (text[k] == '+' && k + 1 == text.size());
}

int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

struct Heredoc {
    std::string delimiter;
    bool expands = false; // unquoted delimiter: the body's substitutions run
    bool strip_tabs = false; // <<-
    size_t token = 0; // the delimiter's word token, which collects them
};

// One pass over the text; the recursive calls (substitutions, ${…}, arrays)
// go through Deeper, which bounds the nesting.
class Lexer {
public:
    Lexer(std::string_view text, int depth)
        : m_s(text)
        , m_depth(depth)
    {
    }

    ShellTokens run()
    {
        ShellTokens out;
        if (m_depth > kMaxShellDepth)
            m_too_deep = true;
        else
            (void)run_tokens(/*in_subst=*/false, out.tokens);
        out.too_deep = m_too_deep;
        return out;
    }

private:
    class Deeper {
    public:
        explicit Deeper(Lexer& lexer)
            : m_lexer(lexer)
        {
            if (++m_lexer.m_depth > kMaxShellDepth) {
                m_lexer.m_too_deep = true;
                m_lexer.m_i = m_lexer.m_s.size();
            }
        }
        ~Deeper() { --m_lexer.m_depth; }
        Deeper(const Deeper&) = delete;
        Deeper& operator=(const Deeper&) = delete;
        bool ok() const { return !m_lexer.m_too_deep; }

    private:
        Lexer& m_lexer;
    };

    bool at(size_t k, char c) const { return k < m_s.size() && m_s[k] == c; }
    bool done() const { return m_i >= m_s.size() || m_too_deep; }
    void skip(size_t n) { m_i = std::min(m_i + n, m_s.size()); }

    static void push_op(std::vector<ShellToken>& out, ShellTokenKind kind, std::string_view op)
    {
        ShellToken t;
        t.kind = kind;
        t.op = std::string(op);
        out.push_back(std::move(t));
    }

    // Tokens up to the end, or in a substitution up to its unmatched `)`
    // (consumed). Returns whether that `)` was found.
    bool run_tokens(bool in_subst, std::vector<ShellToken>& out)
    {
        std::vector<Heredoc> pending;
        int parens = 0;
        while (!done()) {
            char c = m_s[m_i];
            size_t before = m_i;
            if (is_blank(c)) {
                ++m_i;
            } else if (c == '\\' && at(m_i + 1, '\n')) {
                skip(2);
            } else if (c == '#') {
                while (m_i < m_s.size() && m_s[m_i] != '\n')
                    ++m_i;
            } else if (c == '\n') {
                ++m_i;
                push_op(out, ShellTokenKind::op, ";");
                read_heredocs(pending, out);
            } else if (std::string_view(";&|()").find(c) != std::string_view::npos && !(c == '&' && at(m_i + 1, '>'))) {
                std::string_view op = read_op();
                if (op == "(") {
                    ++parens;
                } else if (op == ")") {
                    if (in_subst && parens == 0)
                        return true;
                    parens = std::max(0, parens - 1);
                }
                push_op(out, ShellTokenKind::op, op);
            } else if (starts_redirect()) {
                read_redirect(out, pending);
            } else {
                ShellToken t;
                read_word(t.word);
                out.push_back(std::move(t));
            }
            if (m_i == before) // never stall, whatever the bytes
                ++m_i;
        }
        return false;
    }

    std::string_view read_op()
    {
        static constexpr std::string_view ops[] = { ";;&", ";;", ";&", ";", "&&", "&", "||", "|&", "|", "(", ")" };
        for (std::string_view op : ops)
            if (m_s.substr(m_i).starts_with(op)) {
                m_i += op.size();
                return op;
            }
        return m_s.substr(m_i++, 1);
    }

    // [n]< [n]> &> and the rest, but not <( or >( (process substitution).
    bool starts_redirect() const
    {
        size_t j = m_i;
        while (j < m_s.size() && is_digit(m_s[j]))
            ++j;
        if (at(j, '&') && at(j + 1, '>'))
            return j == m_i;
        return (at(j, '<') || at(j, '>')) && !(j == m_i && at(j + 1, '('));
    }

    void read_redirect(std::vector<ShellToken>& out, std::vector<Heredoc>& pending)
    {
        while (is_digit(m_s[m_i]))
            ++m_i;
        static constexpr std::string_view ops[]
            = { "<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">", "&>>", "&>" };
        std::string_view op = m_s.substr(m_i, 1);
        for (std::string_view o : ops)
            if (m_s.substr(m_i).starts_with(o)) {
                op = o;
                break;
            }
        m_i += op.size();
        push_op(out, ShellTokenKind::redirect, op);
        if (op != "<<" && op != "<<-")
            return;
        while (m_i < m_s.size() && is_blank(m_s[m_i]))
            ++m_i;
        if (done() || is_meta(m_s[m_i]))
            return;
        ShellToken t;
        read_word(t.word);
        pending.push_back(Heredoc{ t.word.text, !t.word.quoted, op == "<<-", out.size() });
        out.push_back(std::move(t));
    }

    // After a newline: the bodies of the here-documents started on that line.
    void read_heredocs(std::vector<Heredoc>& pending, std::vector<ShellToken>& out)
    {
        for (const Heredoc& h : pending) {
            while (!done()) {
                size_t line_end = std::min(m_s.find('\n', m_i), m_s.size());
                std::string_view line = m_s.substr(m_i, line_end - m_i);
                size_t next = std::min(line_end + 1, m_s.size());
                while (h.strip_tabs && line.starts_with('\t'))
                    line.remove_prefix(1);
                if (line == h.delimiter) {
                    m_i = next;
                    break;
                }
                ShellWord& w = out[h.token].word;
                while (h.expands && m_i < line_end && !m_too_deep) {
                    char c = m_s[m_i];
                    if (c == '\\')
                        skip(2);
                    else if (c == '$')
                        read_dollar(w, /*in_dquote=*/true);
                    else if (c == '`')
                        read_backtick(w);
                    else
                        ++m_i;
                }
                m_i = std::max(m_i, next);
            }
        }
        pending.clear();
    }

    void read_word(ShellWord& w)
    {
        if ((at(m_i, '<') || at(m_i, '>')) && at(m_i + 1, '(')) {
            read_subst(w, 2);
            return;
        }
        bool eq_seen = false;
        bool bracket = false;
        bool brace = false;
        bool brace_sep = false;
        while (!done() && !is_meta(m_s[m_i])) {
            char c = m_s[m_i];
            if (c == '\\') {
                if (at(m_i + 1, '\n')) {
                    skip(2);
                    continue;
                }
                if (m_i + 1 < m_s.size())
                    w.text += m_s[m_i + 1];
                w.quoted = true;
                skip(2);
            } else if (c == '\'') {
                size_t end = std::min(m_s.find('\'', m_i + 1), m_s.size());
                w.text.append(m_s.substr(m_i + 1, end - m_i - 1));
                w.quoted = true;
                m_i = std::min(end + 1, m_s.size());
            } else if (c == '"') {
                ++m_i;
                w.quoted = true;
                read_dquote(w);
            } else if (c == '$') {
                read_dollar(w, /*in_dquote=*/false);
            } else if (c == '`') {
                read_backtick(w);
            } else if (c == '=' && !eq_seen) {
                eq_seen = true;
                w.assignment = !w.quoted && !w.expands && is_assignment_name(w.text);
                w.text += c;
                ++m_i;
                if (w.assignment && at(m_i, '('))
                    read_array(w);
            } else {
                w.glob = w.glob || c == '*' || c == '?' || (c == ']' && bracket) || (c == '}' && brace_sep);
                bracket = bracket || c == '[';
                brace_sep = brace_sep || (brace && (c == ',' || (c == '.' && at(m_i + 1, '.'))));
                brace = brace || c == '{';
                w.text += c;
                ++m_i;
            }
        }
    }

    // NAME=( … ): the elements become part of the word.
    void read_array(ShellWord& w)
    {
        Deeper deeper(*this);
        if (!deeper.ok())
            return;
        w.text += '(';
        ++m_i;
        while (!done()) {
            char c = m_s[m_i];
            if (c == ')') {
                w.text += ')';
                ++m_i;
                return;
            }
            if (is_meta(c)) {
                w.text += is_blank(c) || c == '\n' ? ' ' : c;
                ++m_i;
                continue;
            }
            ShellWord element;
            read_word(element);
            w.text += element.text;
            w.expands = w.expands || element.expands;
            for (auto& s : element.substitutions)
                w.substitutions.push_back(std::move(s));
        }
    }

    void read_dquote(ShellWord& w)
    {
        while (!done()) {
            char c = m_s[m_i];
            if (c == '"') {
                ++m_i;
                return;
            }
            if (c == '\\' && m_i + 1 < m_s.size()) {
                char d = m_s[m_i + 1];
                if (d != '\n') {
                    if (std::string_view("$`\"\\").find(d) == std::string_view::npos)
                        w.text += '\\';
                    w.text += d;
                }
                skip(2);
            } else if (c == '$') {
                read_dollar(w, /*in_dquote=*/true);
            } else if (c == '`') {
                read_backtick(w);
            } else {
                w.text += c;
                ++m_i;
            }
        }
    }

    void read_dollar(ShellWord& w, bool in_dquote)
    {
        char d = m_i + 1 < m_s.size() ? m_s[m_i + 1] : '\0';
        if (d == '(' && at(m_i + 2, '(')) {
            read_arith(w);
        } else if (d == '(') {
            read_subst(w, 2);
        } else if (d == '{') {
            read_param(w);
        } else if ((d == '\'' || d == '"') && !in_dquote) {
            skip(2);
            w.quoted = true;
            if (d == '\'')
                read_ansi_c(w);
            else
                read_dquote(w);
        } else if (is_name_start(d)) {
            size_t j = m_i + 1;
            while (j < m_s.size() && is_name_char(m_s[j]))
                ++j;
            w.text.append(m_s.substr(m_i, j - m_i));
            w.expands = true;
            m_i = j;
        } else if (d != '\0' && (is_digit(d) || std::string_view("@*#?-$!").find(d) != std::string_view::npos)) {
            w.text.append(m_s.substr(m_i, 2));
            w.expands = true;
            skip(2);
        } else {
            w.text += '$';
            ++m_i;
        }
    }

    // $(…), <(…), >(…): found by reading the body as commands.
    void read_subst(ShellWord& w, size_t opener)
    {
        Deeper deeper(*this);
        if (!deeper.ok())
            return;
        size_t begin = m_i;
        m_i += opener;
        std::vector<ShellToken> ignored;
        bool closed = run_tokens(/*in_subst=*/true, ignored);
        size_t end = std::min(m_i, m_s.size());
        size_t body_end = closed ? end - 1 : end;
        w.text.append(m_s.substr(begin, end - begin));
        w.substitutions.emplace_back(m_s.substr(begin + opener, body_end - std::min(body_end, begin + opener)));
        w.expands = true;
    }

    // ${…} and $((…)): only the substitutions inside matter.
    void read_param(ShellWord& w) { read_nested(w, 2, /*arith=*/false); }
    void read_arith(ShellWord& w) { read_nested(w, 3, /*arith=*/true); }

    void read_nested(ShellWord& w, size_t opener, bool arith)
    {
        Deeper deeper(*this);
        if (!deeper.ok())
            return;
        size_t begin = m_i;
        m_i += opener;
        ShellWord inner;
        int level = 0;
        while (!done()) {
            char c = m_s[m_i];
            if (!arith && c == '}') {
                ++m_i;
                break;
            }
            if (arith && c == ')' && level == 0) {
                m_i += at(m_i + 1, ')') ? 2 : 1;
                break;
            }
            if (c == '\\') {
                skip(2);
            } else if (c == '\'') {
                m_i = std::min(m_s.find('\'', m_i + 1), m_s.size());
                skip(1);
            } else if (c == '"') {
                ++m_i;
                read_dquote(inner);
            } else if (c == '$') {
                read_dollar(inner, /*in_dquote=*/false);
            } else if (c == '`') {
                read_backtick(inner);
            } else {
                level += c == '(' ? 1 : c == ')' ? -1 : 0;
                ++m_i;
            }
        }
        m_i = std::min(m_i, m_s.size());
        w.text.append(m_s.substr(begin, m_i - begin));
        for (auto& s : inner.substitutions)
            w.substitutions.push_back(std::move(s));
        w.expands = true;
    }

    void read_backtick(ShellWord& w)
    {
        size_t begin = m_i++;
        std::string body;
        while (m_i < m_s.size()) {
            char c = m_s[m_i];
            if (c == '`') {
                ++m_i;
                break;
            }
            if (c == '\\' && m_i + 1 < m_s.size()) {
                char d = m_s[m_i + 1];
                if (d != '$' && d != '`' && d != '\\')
                    body += '\\';
                body += d;
                skip(2);
                continue;
            }
            body += c;
            ++m_i;
        }
        w.text.append(m_s.substr(begin, m_i - begin));
        w.substitutions.push_back(std::move(body));
        w.expands = true;
    }

    // $'…': the escapes bash decodes, so $'\x72m' is "rm". \u, \U and \c are
    // kept as written and make the word count as expanding.
    void read_ansi_c(ShellWord& w)
    {
        while (m_i < m_s.size()) {
            char c = m_s[m_i];
            if (c == '\'') {
                ++m_i;
                return;
            }
            if (c != '\\' || m_i + 1 >= m_s.size()) {
                w.text += c;
                ++m_i;
                continue;
            }
            char d = m_s[m_i + 1];
            skip(2);
            static constexpr std::string_view from = "abeEfnrtv\\'\"?";
            // $'\e' is ESC (0x1B), spelled as a number: only tui/escape.cc writes escape literals.
            static constexpr char esc = 27;
            static constexpr char to[] = { '\a', '\b', esc, esc, '\f', '\n', '\r', '\t', '\v', '\\', '\'', '"', '?' };
            if (auto k = from.find(d); k != std::string_view::npos) {
                w.text += to[k];
            } else if (d == 'x' && m_i < m_s.size() && hex_value(m_s[m_i]) >= 0) {
                int v = 0;
                for (int n = 0; n < 2 && m_i < m_s.size() && hex_value(m_s[m_i]) >= 0; ++n)
                    v = v * 16 + hex_value(m_s[m_i++]);
                w.text += static_cast<char>(v);
            } else if (d >= '0' && d <= '7') {
                int v = d - '0';
                for (int n = 0; n < 2 && m_i < m_s.size() && m_s[m_i] >= '0' && m_s[m_i] <= '7'; ++n)
                    v = v * 8 + (m_s[m_i++] - '0');
                w.text += static_cast<char>(v & 0xff);
            } else {
                w.expands = w.expands || d == 'u' || d == 'U' || d == 'c';
                w.text += '\\';
                w.text += d;
            }
        }
    }

    std::string_view m_s;
    size_t m_i = 0;
    int m_depth = 0;
    bool m_too_deep = false;
};

} // namespace

ShellTokens tokenize_shell(std::string_view text, int depth)
{
    return Lexer(text, depth).run();
}

} // namespace ik::agent
