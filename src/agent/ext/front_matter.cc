#include "agent/ext/front_matter.h"

#include <algorithm>
#include <cstdint>

namespace ik::agent {
namespace {

bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (is_blank(s.front()) || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (is_blank(s.back()) || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

bool key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
        || c == '.';
}

// One line of the file at a time, with its number; the line excludes "\n"
// and a trailing "\r".
class Lines {
public:
    explicit Lines(std::string_view text)
        : m_text(text)
    {
    }
    bool next(std::string_view& line)
    {
        if (m_at >= m_text.size())
            return false;
        size_t end = m_text.find('\n', m_at);
        if (end == std::string_view::npos)
            end = m_text.size();
        line = m_text.substr(m_at, end - m_at);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        m_at = std::min(end + 1, m_text.size());
        if (end == m_text.size())
            m_at = m_text.size();
        ++m_number;
        return true;
    }
    size_t number() const { return m_number; }
    size_t offset() const { return m_at; }

private:
    std::string_view m_text;
    size_t m_at = 0;
    size_t m_number = 0;
};

class Parser {
public:
    Parser(std::string_view file, size_t line)
        : m_file(file)
        , m_line(line)
    {
    }

    template <typename... Args> Unexpected<Error> error(fmt::format_string<Args...> format, Args&&... args) const
    {
        return fail(ErrorCode::parse, "{}:{}: {}", m_file, m_line, fmt::format(format, std::forward<Args>(args)...));
    }

    // "\uXXXX": four hex digits, appended as UTF-8.
    Result<void> unicode_escape(std::string_view hex, std::string& out) const
    {
        uint32_t cp = 0;
        for (size_t k = 0; k < 4; ++k) {
            char h = k < hex.size() ? hex[k] : '\0';
            int v = h >= '0' && h <= '9' ? h - '0'
                : h >= 'a' && h <= 'f'   ? h - 'a' + 10
                : h >= 'A' && h <= 'F'   ? h - 'A' + 10
                                         : -1;
            if (v < 0)
                return error("'\\u' needs four hex digits");
            cp = cp * 16 + static_cast<uint32_t>(v);
        }
        if (cp >= 0xD800 && cp <= 0xDFFF)
            cp = 0xFFFD; // a lone surrogate: not UTF-8
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return {};
    }

    // A quoted scalar starting at text[0]; `rest` receives what follows it.
    Result<std::string> quoted(std::string_view text, std::string_view& rest) const
    {
        char quote = text.front();
        std::string out;
        for (size_t i = 1; i < text.size(); ++i) {
            char c = text[i];
            if (c == quote) {
                if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
                    out += '\'';
                    ++i;
                    continue;
                }
                rest = trim(text.substr(i + 1));
                return out;
            }
            if (c == '\\' && quote == '"' && i + 1 < text.size()) {
                char e = text[++i];
                switch (e) {
                case 'n':
                    out += '\n';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 'u':
                    TRY(unicode_escape(text.substr(i + 1), out));
                    i += 4;
                    break;
                case '"':
                case '\\':
                case '/':
                    out += e;
                    break;
                default:
                    return error("unknown escape '\\{}' in a quoted value", e);
                }
                continue;
            }
            out += c;
        }
        return error("a quoted value is not closed (missing {})", quote);
    }

    // A scalar as it appears after "key:" or "- " (quoted or plain).
    Result<std::string> scalar(std::string_view text) const
    {
        if (text.starts_with('"') || text.starts_with('\'')) {
            std::string_view rest;
            std::string out = TRY(quoted(text, rest));
            if (!rest.empty() && !rest.starts_with('#'))
                return error("unexpected text after a quoted value: {}", rest.substr(0, 40));
            return out;
        }
        // A plain scalar ends at " #" (a comment).
        size_t comment = text.find(" #");
        return std::string(trim(text.substr(0, comment)));
    }

    Result<std::vector<std::string>> inline_list(std::string_view text) const
    {
        if (!text.ends_with(']'))
            return error("a list opened with '[' is not closed with ']'");
        text = trim(text.substr(1, text.size() - 2));
        std::vector<std::string> items;
        while (!text.empty()) {
            std::string item;
            if (text.starts_with('"') || text.starts_with('\'')) {
                std::string_view rest;
                item = TRY(quoted(text, rest));
                text = rest;
            } else {
                size_t comma = text.find(',');
                item = std::string(trim(text.substr(0, comma)));
                text = comma == std::string_view::npos ? std::string_view() : text.substr(comma);
            }
            items.push_back(std::move(item));
            text = trim(text);
            if (text.empty())
                break;
            if (!text.starts_with(','))
                return error("expected ',' between list items");
            text = trim(text.substr(1));
        }
        return items;
    }

    void set_line(size_t line) { m_line = line; }

private:
    std::string_view m_file;
    size_t m_line;
};

enum class Pending : uint8_t { none, empty_value, list, literal, folded, plain };

} // namespace

const FrontField* FrontMatter::find(std::string_view key) const
{
    for (const FrontField& f : fields)
        if (f.key == key)
            return &f;
    return nullptr;
}

std::string_view FrontMatter::value(std::string_view key) const
{
    const FrontField* f = find(key);
    return f && !f->is_list ? std::string_view(f->value) : std::string_view();
}

std::vector<std::string> FrontMatter::list(std::string_view key) const
{
    const FrontField* f = find(key);
    if (!f)
        return {};
    if (f->is_list)
        return f->items;
    std::vector<std::string> out;
    int depth = 0;
    std::string item;
    auto flush = [&] {
        std::string_view t = trim(item);
        if (!t.empty())
            out.emplace_back(t);
        item.clear();
    };
    for (char c : f->value) {
        depth += c == '(' ? 1 : c == ')' && depth > 0 ? -1 : 0;
        if (c == ',' && depth == 0)
            flush();
        else
            item += c;
    }
    flush();
    return out;
}

Result<FrontMatter> parse_front_matter(std::string_view text, std::string_view file)
{
    FrontMatter doc;
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    Lines lines(text);
    std::string_view line;
    if (!lines.next(line) || trim(line) != "---") {
        doc.body = text;
        return doc;
    }
    Parser parser(file, 1);
    Pending pending = Pending::none;
    bool closed = false;
    while (lines.next(line)) {
        parser.set_line(lines.number());
        if (trim(line) == "---") {
            closed = true;
            break;
        }
        bool indented = !line.empty() && is_blank(line.front());
        std::string_view content = trim(line);
        FrontField* last = doc.fields.empty() ? nullptr : &doc.fields.back();
        if (pending == Pending::literal || pending == Pending::folded) {
            if (indented || content.empty()) {
                if (!last->value.empty() || content.empty())
                    last->value += pending == Pending::literal ? '\n' : ' ';
                last->value += content;
                continue;
            }
            last->value = std::string(trim(last->value));
            pending = Pending::none;
        }
        if (content.empty() || content.starts_with('#'))
            continue;
        if (content.starts_with("- ") || content == "-") {
            if (pending != Pending::empty_value && pending != Pending::list)
                return parser.error("a list item ('- …') without a key above it");
            last->is_list = true;
            last->items.push_back(TRY(parser.scalar(trim(content.substr(1)))));
            pending = Pending::list;
            continue;
        }
        if (indented && pending == Pending::plain) {
            last->value += ' ';
            last->value += TRY(parser.scalar(content));
            continue;
        }
        if (indented)
            return parser.error("unexpected indented line (only 'key: value' lines, lists and | or > blocks)");
        size_t colon = content.find(':');
        std::string_view key = content.substr(0, colon);
        if (colon == std::string_view::npos || key.empty() || !std::all_of(key.begin(), key.end(), key_char)
            || (colon + 1 < content.size() && !is_blank(content[colon + 1])))
            return parser.error("expected 'key: value', found: {}", content.substr(0, 60));
        if (doc.find(key))
            return parser.error("'{}' is given twice", key);
        FrontField field{ .key = std::string(key), .value = {}, .items = {}, .is_list = false, .line = lines.number() };
        std::string_view value = trim(content.substr(colon + 1));
        pending = Pending::plain;
        if (value.empty()) {
            pending = Pending::empty_value;
        } else if (value == "|" || value == "|-" || value == ">" || value == ">-") {
            pending = value.starts_with('|') ? Pending::literal : Pending::folded;
        } else if (value.starts_with('[')) {
            field.items = TRY(parser.inline_list(value));
            field.is_list = true;
            pending = Pending::none;
        } else {
            field.value = TRY(parser.scalar(value));
            if (value.starts_with('"') || value.starts_with('\''))
                pending = Pending::none;
        }
        doc.fields.push_back(std::move(field));
    }
    if (!closed)
        return fail(ErrorCode::parse, "{}:1: the front matter opened with '---' is never closed by a '---' line", file);
    if ((pending == Pending::literal || pending == Pending::folded) && !doc.fields.empty())
        doc.fields.back().value = std::string(trim(doc.fields.back().value));
    doc.body = text.substr(lines.offset());
    doc.body_line = lines.number() + 1;
    return doc;
}

} // namespace ik::agent
