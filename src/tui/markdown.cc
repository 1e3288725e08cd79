#include "tui/markdown.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <md4c.h>

#include "tui/code_highlight.h"
#include "tui/frame.h"
#include "tui/internal/md4c_library.h"
#include "tui/internal/md_table.h"

namespace ik::tui {
namespace {

struct Container {
    bool quote = false; // else a list item
    char bullet[16] = {};
    int bullet_width = 0;
    bool used = false; // the bullet has been printed
};

struct ListInfo {
    bool ordered = false;
    bool tight = true;
    unsigned next = 1;
    char delimiter = '.';
};

class Renderer {
public:
    Renderer(std::string_view source, StyledLines& out, RenderState& state, const MarkdownTheme& theme,
        CodeHighlighter* highlighter)
        : m_source(source)
        , m_out(out)
        , m_state(state)
        , m_theme(theme)
        , m_highlighter(highlighter)
    {
        code_buffer().clear();
    }

    int enter_block(MD_BLOCKTYPE type, void* detail);
    int leave_block(MD_BLOCKTYPE type, void* detail);
    int enter_span(MD_SPANTYPE type, void* detail);
    int leave_span(MD_SPANTYPE type, void* detail);
    int text(MD_TEXTTYPE type, std::string_view text);

private:
    void start_leaf(LineKind kind = LineKind::text);
    void container_prefix(bool blank);
    void emit(std::string_view text, Style style);
    // Inline output: into the table cell being collected, else the line.
    void put(std::string_view text, Style style);
    Style inline_style() const;
    void end_block() { m_state.pending_blank = true; }
    // A code block's text, collected until the block ends (one buffer, reused:
    // the tail of a streaming reply is rendered on every delta).
    static std::string& code_buffer()
    {
        static std::string buffer;
        return buffer;
    }
    void emit_code_block();

    std::string_view m_source;
    StyledLines& m_out;
    RenderState& m_state;
    const MarkdownTheme& m_theme;
    CodeHighlighter* m_highlighter; // null: code stays plain
    std::string_view m_code_lang; // the fence's info string's first word
    const char* m_code_end = nullptr; // in m_source, after the block's last text
    std::vector<Container> m_containers;
    std::vector<ListInfo> m_lists;
    int m_bold = 0, m_italic = 0, m_underline = 0, m_strike = 0, m_code = 0, m_link = 0;
    unsigned m_heading = 0;
    bool m_in_code_block = false;
    bool m_in_table = false;
    bool m_in_table_head = false;
    internal::MdTable m_table;
    std::string m_link_text;
    std::string m_href;
};

void Renderer::container_prefix(bool blank)
{
    for (Container& c : m_containers) {
        if (c.quote) {
            m_out.add(blank ? "│" : "│ ", m_theme.quote_bar);
            m_out.add_prefix("│ ", m_theme.quote_bar);
            continue;
        }
        if (blank)
            continue;
        if (!c.used) {
            m_out.add(c.bullet, m_theme.bullet);
            c.used = true;
        } else {
            m_out.add(std::string_view("                ", static_cast<size_t>(c.bullet_width)));
        }
        m_out.add_prefix(std::string_view("                ", static_cast<size_t>(c.bullet_width)));
    }
}

void Renderer::start_leaf(LineKind kind)
{
    if (m_state.pending_blank && m_state.any_output) {
        m_out.begin_line();
        container_prefix(true);
    }
    m_state.pending_blank = false;
    m_state.any_output = true;
    m_out.begin_line(kind);
    container_prefix(false);
}

Style Renderer::inline_style() const
{
    Style s = m_in_code_block ? m_theme.code : Style{};
    if (m_heading == 1)
        s = m_theme.heading1;
    else if (m_heading == 2)
        s = m_theme.heading2;
    else if (m_heading > 2)
        s = m_theme.heading;
    if (m_code)
        s = m_theme.inline_code.with(s.attrs);
    if (m_link) {
        Style l = m_theme.link;
        s = s.with(l.attrs);
        s.fg = l.fg;
    }
    if (m_bold)
        s = s.with(attr_bold);
    if (m_italic)
        s = s.with(attr_italic);
    if (m_underline)
        s = s.with(attr_underline);
    if (m_strike)
        s = s.with(attr_strike);
    return s;
}

void Renderer::put(std::string_view text, Style style)
{
    if (m_in_table)
        m_table.add(text, style);
    else
        m_out.add(text, style);
}

void Renderer::emit(std::string_view text, Style style)
{
    put(text, style);
    if (m_link)
        m_link_text += text;
}

int Renderer::enter_block(MD_BLOCKTYPE type, void* detail)
{
    switch (type) {
    case MD_BLOCK_DOC:
        break;
    case MD_BLOCK_QUOTE:
        // The blank line before a quote belongs outside it (no bar).
        if (m_state.pending_blank && m_state.any_output) {
            m_out.begin_line();
            container_prefix(true);
            m_state.pending_blank = false;
        }
        m_containers.push_back(Container{ .quote = true });
        break;
    case MD_BLOCK_UL: {
        auto* d = static_cast<MD_BLOCK_UL_DETAIL*>(detail);
        m_lists.push_back(ListInfo{ false, d->is_tight != 0, 1, 0 });
        break;
    }
    case MD_BLOCK_OL: {
        auto* d = static_cast<MD_BLOCK_OL_DETAIL*>(detail);
        m_lists.push_back(ListInfo{ true, d->is_tight != 0, d->start, d->mark_delimiter });
        break;
    }
    case MD_BLOCK_LI: {
        auto* d = static_cast<MD_BLOCK_LI_DETAIL*>(detail);
        Container c;
        ListInfo& list = m_lists.back();
        int depth = 0;
        for (auto& k : m_containers)
            depth += !k.quote;
        if (d->is_task)
            std::snprintf(c.bullet, sizeof c.bullet, "%s ", d->task_mark == ' ' ? "☐" : "☑");
        else if (list.ordered)
            std::snprintf(c.bullet, sizeof c.bullet, "%u%c ", list.next++, list.delimiter);
        else
            std::snprintf(c.bullet, sizeof c.bullet, "%s ", depth % 2 == 0 ? "•" : "◦");
        c.bullet_width = text_width(c.bullet);
        m_containers.push_back(c);
        if (list.tight)
            start_leaf();
        break;
    }
    case MD_BLOCK_HR:
        start_leaf(LineKind::rule);
        m_out.add("─", m_theme.rule);
        break;
    case MD_BLOCK_H:
        m_heading = static_cast<MD_BLOCK_H_DETAIL*>(detail)->level;
        start_leaf();
        break;
    case MD_BLOCK_CODE: {
        auto* d = static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
        start_leaf(LineKind::nowrap);
        m_out.add("╭─", m_theme.code_frame);
        if (d->lang.size > 0) {
            m_out.add(" ", m_theme.code_frame);
            m_out.add(std::string_view(d->lang.text, d->lang.size), m_theme.code_frame);
        }
        m_in_code_block = true;
        m_code_lang = std::string_view(d->lang.text, d->lang.size);
        m_code_end = nullptr;
        code_buffer().clear();
        break;
    }
    case MD_BLOCK_HTML:
    case MD_BLOCK_P:
        start_leaf();
        break;
    case MD_BLOCK_TABLE:
        // Collected whole, laid out when it ends (column widths need every row).
        m_in_table = true;
        m_table.clear();
        break;
    case MD_BLOCK_THEAD:
        m_in_table_head = true;
        break;
    case MD_BLOCK_TBODY:
        break;
    case MD_BLOCK_TR:
        m_table.begin_row(m_in_table_head);
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: {
        auto* d = static_cast<MD_BLOCK_TD_DETAIL*>(detail);
        using Align = internal::MdTable::Align;
        m_table.begin_cell(d->align == MD_ALIGN_RIGHT ? Align::right
                : d->align == MD_ALIGN_CENTER         ? Align::center
                                                      : Align::left);
        if (type == MD_BLOCK_TH)
            ++m_bold;
        break;
    }
    }
    return 0;
}

int Renderer::leave_block(MD_BLOCKTYPE type, void*)
{
    switch (type) {
    case MD_BLOCK_QUOTE:
        m_containers.pop_back();
        end_block();
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        m_lists.pop_back();
        if (m_lists.empty())
            end_block();
        break;
    case MD_BLOCK_LI:
        m_containers.pop_back();
        break;
    case MD_BLOCK_H:
        m_heading = 0;
        end_block();
        break;
    case MD_BLOCK_CODE:
        m_in_code_block = false;
        emit_code_block();
        m_out.begin_line(LineKind::nowrap);
        container_prefix(false);
        m_out.add("╰─", m_theme.code_frame);
        end_block();
        break;
    case MD_BLOCK_TH:
        --m_bold;
        break;
    case MD_BLOCK_THEAD:
        m_in_table_head = false;
        break;
    case MD_BLOCK_TABLE:
        m_in_table = false;
        m_table.render(
            m_out, [this] { start_leaf(LineKind::nowrap); }, m_theme.table_bar);
        end_block();
        break;
    case MD_BLOCK_HR:
    case MD_BLOCK_P:
    case MD_BLOCK_HTML:
        end_block();
        break;
    default:
        break;
    }
    return 0;
}

int Renderer::enter_span(MD_SPANTYPE type, void* detail)
{
    switch (type) {
    case MD_SPAN_EM:
        ++m_italic;
        break;
    case MD_SPAN_STRONG:
        ++m_bold;
        break;
    case MD_SPAN_U:
        ++m_underline;
        break;
    case MD_SPAN_DEL:
        ++m_strike;
        break;
    case MD_SPAN_CODE:
        ++m_code;
        break;
    case MD_SPAN_A: {
        auto* d = static_cast<MD_SPAN_A_DETAIL*>(detail);
        ++m_link;
        m_link_text.clear();
        m_href.assign(d->href.text, d->href.size);
        break;
    }
    case MD_SPAN_IMG:
        emit("[image: ", inline_style());
        break;
    default:
        break;
    }
    return 0;
}

int Renderer::leave_span(MD_SPANTYPE type, void*)
{
    switch (type) {
    case MD_SPAN_EM:
        --m_italic;
        break;
    case MD_SPAN_STRONG:
        --m_bold;
        break;
    case MD_SPAN_U:
        --m_underline;
        break;
    case MD_SPAN_DEL:
        --m_strike;
        break;
    case MD_SPAN_CODE:
        --m_code;
        break;
    case MD_SPAN_A: {
        --m_link;
        // Autolinks show the URL as their text already.
        std::string_view href = m_href;
        if (!href.empty() && m_link_text != href && "mailto:" + m_link_text != href) {
            put(" (", m_theme.url);
            put(href, m_theme.url);
            put(")", m_theme.url);
        }
        break;
    }
    case MD_SPAN_IMG:
        emit("]", inline_style());
        break;
    default:
        break;
    }
    return 0;
}

std::string_view decode_entity(std::string_view e, char* buffer)
{
    static constexpr struct {
        std::string_view name, text;
    } known[] = {
        { "&amp;", "&" },
        { "&lt;", "<" },
        { "&gt;", ">" },
        { "&quot;", "\"" },
        { "&apos;", "'" },
        { "&nbsp;", " " },
    };
    for (auto& k : known)
        if (e == k.name)
            return k.text;
    if (e.size() > 3 && e[1] == '#') {
        unsigned long cp = e[2] == 'x' || e[2] == 'X' ? std::strtoul(std::string(e.substr(3)).c_str(), nullptr, 16)
                                                      : std::strtoul(std::string(e.substr(2)).c_str(), nullptr, 10);
        if (cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
            size_t n = 0;
            if (cp < 0x80) {
                buffer[n++] = static_cast<char>(cp);
            } else if (cp < 0x800) {
                buffer[n++] = static_cast<char>(0xC0 | (cp >> 6));
                buffer[n++] = static_cast<char>(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                buffer[n++] = static_cast<char>(0xE0 | (cp >> 12));
                buffer[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                buffer[n++] = static_cast<char>(0x80 | (cp & 0x3F));
            } else {
                buffer[n++] = static_cast<char>(0xF0 | (cp >> 18));
                buffer[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
                buffer[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                buffer[n++] = static_cast<char>(0x80 | (cp & 0x3F));
            }
            return { buffer, n };
        }
    }
    return e;
}

int Renderer::text(MD_TEXTTYPE type, std::string_view text)
{
    if (m_in_code_block) {
        // Code arrives line by line, each line's "\n" as its own call.
        code_buffer() += text;
        // md4c passes a code line's "\n" from a literal of its own, not the source.
        if (text.data() >= m_source.data() && text.data() + text.size() <= m_source.data() + m_source.size())
            m_code_end = text.data() + text.size();
        return 0;
    }
    switch (type) {
    case MD_TEXT_SOFTBR:
        emit(" ", inline_style());
        break;
    case MD_TEXT_BR:
        if (m_in_table) {
            put(" ", inline_style());
            break;
        }
        m_out.begin_line();
        container_prefix(false);
        break;
    case MD_TEXT_ENTITY: {
        char buffer[8];
        emit(decode_entity(text, buffer), inline_style());
        break;
    }
    case MD_TEXT_NULLCHAR:
        emit("\xEF\xBF\xBD", inline_style());
        break;
    default:
        emit(text, inline_style());
        break;
    }
    return 0;
}

// The collected code, one nowrap line per source line, highlighted when the
// block is finished: its closing fence follows (an open fence runs to the
// end of the text, which is a streaming reply's unfinished block).
void Renderer::emit_code_block()
{
    std::string_view code = code_buffer();
    static std::vector<Span> runs;
    runs.clear();
    bool closed = m_code_end != nullptr && m_code_end >= m_source.data()
        && m_code_end <= m_source.data() + m_source.size()
        && std::string_view(m_code_end, static_cast<size_t>(m_source.data() + m_source.size() - m_code_end))
                .find_first_of("`~")
            != std::string_view::npos;
    if (closed && m_highlighter && !m_code_lang.empty())
        (void)m_highlighter->highlight(m_code_lang, code, runs);
    size_t run = 0;
    size_t start = 0;
    while (start < code.size()) {
        size_t nl = code.find('\n', start);
        size_t end = nl == std::string_view::npos ? code.size() : nl;
        m_out.begin_line(LineKind::nowrap);
        container_prefix(false);
        m_out.add("│ ", m_theme.code_frame);
        // The line in pieces: plain between runs, each run in its style.
        size_t at = start;
        while (run < runs.size() && runs[run].end <= start)
            ++run;
        for (; run < runs.size() && runs[run].begin < end; ++run) {
            size_t b = std::max<size_t>(runs[run].begin, at), e = std::min<size_t>(runs[run].end, end);
            if (b > at)
                m_out.add(code.substr(at, b - at), m_theme.code);
            if (e > b)
                m_out.add(code.substr(b, e - b), runs[run].style);
            at = std::max(at, e);
            if (runs[run].end > end)
                break; // a run across the line break goes on on the next line
        }
        if (at < end)
            m_out.add(code.substr(at, end - at), m_theme.code);
        start = end + 1;
    }
}

// Without md4c (uninstalled after ik was built) a reply still shows: its
// source lines as they are, one logical line each.
void render_plain(std::string_view text, StyledLines& out, RenderState& state)
{
    if (state.pending_blank && state.any_output)
        out.blank_line();
    size_t start = 0;
    while (start < text.size()) {
        size_t end = std::min(text.find('\n', start), text.size());
        out.begin_line();
        out.add(text.substr(start, end - start));
        start = end + 1;
    }
    state.any_output = state.any_output || !text.empty();
    state.pending_blank = true;
}

// The largest copy of a text for md4c kept for the next render.
constexpr size_t max_kept_source = 1 << 20;

// A text md4c can read to its end and one byte beyond.
void parse(std::string_view text, StyledLines& out, RenderState& state, const MarkdownTheme& theme,
    CodeHighlighter* highlighter)
{
    Renderer r(text, out, state, theme, highlighter);
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags
        = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS | MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_NOHTML;
    parser.enter_block = [](MD_BLOCKTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->enter_block(t, d); };
    parser.leave_block = [](MD_BLOCKTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->leave_block(t, d); };
    parser.enter_span = [](MD_SPANTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->enter_span(t, d); };
    parser.leave_span = [](MD_SPANTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->leave_span(t, d); };
    parser.text = [](MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* u) {
        return static_cast<Renderer*>(u)->text(t, std::string_view(s, n));
    };
    // md4c fails only on allocation failure, which panics in ik.
    (void)internal::md4c().api().md_parse(text.data(), static_cast<MD_SIZE>(text.size()), &parser, &r);
}

} // namespace

void render_markdown(std::string_view text, StyledLines& out, RenderState& state, const MarkdownTheme& theme,
    CodeHighlighter* highlighter)
{
    if (!internal::md4c().loaded()) {
        render_plain(text, out, state);
        return;
    }
    // md4c 0.4.8 (Debian 12) reads past the end of a text that does not end
    // with a newline: "[a](b" followed in memory by ")" parses as a link
    // running beyond the text, or crashes. So it always gets a copy ending in
    // "\n" (which renders the same) and followed by std::string's NUL. One
    // buffer, reused: the tail of a streaming reply is rendered on every delta.
    static std::string source;
    source.assign(text);
    if (source.empty() || source.back() != '\n')
        source += '\n';
    parse(source, out, state, theme, highlighter);
    if (source.capacity() > max_kept_source)
        std::string().swap(source);
}

} // namespace ik::tui
