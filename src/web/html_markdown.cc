// The walk over gumbo's tree. Block elements make sure the output is at a
// blank line (or a new line) before and after them; inline elements append
// to the current line with HTML's whitespace collapsing. Elements whose
// Markdown wraps their content (links, emphasis, list items, quotes, table
// cells) render the content into a string of their own first and then wrap
// it, which is what bounds the recursion: depth is counted per element and
// past max_html_depth only the text is collected, with an explicit stack.
#include "web/html_markdown.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <gumbo.h>

#include "core/arena.h"
#include "web/internal/gumbo_library.h"
#include "web/markdown_text.h"
#include "web/nesting_guard.h"
#include "web/text_clean.h"
#include "web/url.h"

namespace ik::web {

namespace {

constexpr size_t max_title_bytes = 300;

const char* attribute(const GumboNode* n, const char* name)
{
    const GumboAttribute* a = internal::gumbo().api().gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : nullptr;
}

bool dropped(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MENU:
        return true;
    default:
        return false;
    }
}

bool is_block(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_HTML:
        return true;
    default:
        return false;
    }
}

int heading_level(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_H1:
        return 1;
    case GUMBO_TAG_H2:
        return 2;
    case GUMBO_TAG_H3:
        return 3;
    case GUMBO_TAG_H4:
        return 4;
    case GUMBO_TAG_H5:
        return 5;
    case GUMBO_TAG_H6:
        return 6;
    default:
        return 0;
    }
}

// "language-cpp" / "lang-cpp" in a class attribute, for a fence's info string.
std::string code_language(const GumboNode* n)
{
    const char* cls = n && n->type == GUMBO_NODE_ELEMENT ? attribute(n, "class") : nullptr;
    if (!cls)
        return {};
    std::string_view c = cls;
    for (std::string_view prefix : { "language-", "lang-" }) {
        size_t at = c.find(prefix);
        if (at == std::string_view::npos)
            continue;
        std::string out;
        for (char ch : c.substr(at + prefix.size())) {
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '+'
                    || ch == '-' || ch == '_' || ch == '#')
                || out.size() >= 32)
                break;
            out += ch;
        }
        return out;
    }
    return {};
}

class Converter {
public:
    Converter(std::string_view base, size_t max_bytes)
        : m_base(base)
        , m_max(max_bytes)
    {
    }

    bool truncated() const { return m_truncated; }

    void node(const GumboNode* n, std::string& out, int depth, bool pre)
    {
        if (full())
            return;
        switch (n->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
            if (pre)
                emit(out, n->v.text.text);
            else
                inline_text(out, n->v.text.text);
            return;
        case GUMBO_NODE_DOCUMENT:
            children(n, out, depth, pre);
            return;
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE:
            break;
        case GUMBO_NODE_COMMENT:
            return;
        }
        if (depth >= max_html_depth) {
            flat_text(n, out);
            return;
        }
        element(n, out, depth + 1, pre);
    }

private:
    bool full()
    {
        if (m_emitted > m_max)
            m_truncated = true;
        return m_truncated;
    }

    void emit(std::string& out, std::string_view text)
    {
        m_emitted += text.size();
        out.append(text);
    }

    // HTML's whitespace rule: a run of spaces and newlines is one space, and
    // none at the start of a line.
    void inline_text(std::string& out, std::string_view text)
    {
        for (char c : text) {
            if (is_space(c)) {
                if (!out.empty() && !is_space(out.back()))
                    out += ' ';
            } else {
                out += c;
            }
        }
        m_emitted += text.size();
    }

    void children(const GumboNode* n, std::string& out, int depth, bool pre)
    {
        const GumboVector& kids = n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
        for (unsigned i = 0; i < kids.length && !full(); ++i)
            node(static_cast<const GumboNode*>(kids.data[i]), out, depth, pre);
    }

    std::string rendered(const GumboNode* n, int depth, bool pre)
    {
        std::string s;
        children(n, s, depth, pre);
        return s;
    }

    // Every text node below `root`, without recursion (the tree may be deeper
    // than any stack): what is left of content nested past max_html_depth.
    void flat_text(const GumboNode* root, std::string& out)
    {
        std::vector<const GumboNode*> stack{ root };
        while (!stack.empty() && !full()) {
            const GumboNode* n = stack.back();
            stack.pop_back();
            if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA || n->type == GUMBO_NODE_WHITESPACE) {
                inline_text(out, n->v.text.text);
                continue;
            }
            if ((n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) || dropped(n->v.element.tag))
                continue;
            const GumboVector& kids = n->v.element.children;
            for (unsigned i = kids.length; i > 0; --i)
                stack.push_back(static_cast<const GumboNode*>(kids.data[i - 1]));
        }
    }

    void wrap(std::string& out, std::string_view inner, std::string_view mark)
    {
        if (trim(inner).empty()) {
            inline_text(out, inner);
            return;
        }
        if (is_space(inner.front()))
            inline_text(out, " ");
        out += mark;
        out += trim(inner);
        out += mark;
        if (is_space(inner.back()))
            out += ' ';
    }

    void link(const GumboNode* n, std::string& out, int depth, bool pre)
    {
        std::string inner = rendered(n, depth, pre);
        const char* href = attribute(n, "href");
        std::optional<std::string> url;
        if (href && *href != '#')
            url = resolve_url(m_base, trim(href));
        if (!url || trim(inner).empty()) {
            out += inner;
            return;
        }
        if (is_space(inner.front()))
            inline_text(out, " ");
        out += '[';
        out += one_line(inner);
        out += "](";
        std::string target = link_target(*url);
        emit(out, target);
        out += ')';
        if (is_space(inner.back()))
            out += ' ';
    }

    void image(const GumboNode* n, std::string& out)
    {
        const char* alt = attribute(n, "alt");
        const char* src = attribute(n, "src");
        std::string text = alt ? one_line(alt) : std::string();
        if (text.empty())
            return;
        std::optional<std::string> url = src ? resolve_url(m_base, trim(src)) : std::nullopt;
        if (!url) {
            inline_text(out, text);
            return;
        }
        out += "![";
        inline_text(out, text);
        out += "](";
        emit(out, link_target(*url));
        out += ')';
    }

    void code_span(const GumboNode* n, std::string& out)
    {
        std::string raw;
        flat_text(n, raw);
        std::string text = one_line(raw);
        if (text.empty())
            return;
        std::string ticks(longest_run(text, '`') + 1, '`');
        bool pad = text.front() == '`' || text.back() == '`';
        out += ticks;
        out += pad ? " " : "";
        out += text;
        out += pad ? " " : "";
        out += ticks;
    }

    void code_block(const GumboNode* n, std::string& out, int depth)
    {
        std::string text = rendered(n, depth, true);
        while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
            text.pop_back();
        while (!text.empty() && text.front() == '\n')
            text.erase(0, 1);
        const GumboNode* code = nullptr;
        if (n->v.element.children.length == 1) {
            const auto* only = static_cast<const GumboNode*>(n->v.element.children.data[0]);
            if (only->type == GUMBO_NODE_ELEMENT && only->v.element.tag == GUMBO_TAG_CODE)
                code = only;
        }
        std::string lang = code_language(n);
        if (lang.empty())
            lang = code_language(code);
        std::string fence(std::max<size_t>(3, longest_run(text, '`') + 1), '`');
        ensure(out, Break::blank);
        out += fence + lang + "\n" + text + "\n" + fence;
        ensure(out, Break::blank);
    }

    void list(const GumboNode* n, std::string& out, int depth)
    {
        bool ordered = n->v.element.tag == GUMBO_TAG_OL;
        long number = 1;
        if (const char* start = attribute(n, "start"); ordered && start)
            number = std::clamp(std::strtol(start, nullptr, 10), 0L, 1'000'000'000L);
        ensure(out, Break::newline);
        const GumboVector& kids = n->v.element.children;
        for (unsigned i = 0; i < kids.length && !full(); ++i) {
            const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
            if (kid->type != GUMBO_NODE_ELEMENT || kid->v.element.tag != GUMBO_TAG_LI) {
                node(kid, out, depth, false);
                continue;
            }
            std::string item = rendered(kid, depth, false);
            std::string marker = ordered ? fmt_number(number++) : std::string("- ");
            ensure(out, Break::newline);
            out += prefixed(trim(item), marker, std::string(marker.size(), ' '));
            ensure(out, Break::newline);
        }
        ensure(out, Break::blank);
    }

    static std::string fmt_number(long n) { return std::to_string(n) + ". "; }

    void table(const GumboNode* n, std::string& out, int depth)
    {
        std::vector<std::vector<std::string>> rows;
        collect_rows(n, rows, depth);
        ensure(out, Break::blank);
        for (size_t r = 0; r < rows.size(); ++r) {
            std::string line = "|";
            for (auto& cell : rows[r])
                line += " " + cell + " |";
            out += line + "\n";
            if (r == 0) {
                std::string sep = "|";
                for (size_t c = 0; c < rows[0].size(); ++c)
                    sep += " --- |";
                out += sep + "\n";
            }
        }
        ensure(out, Break::blank);
    }

    void collect_rows(const GumboNode* n, std::vector<std::vector<std::string>>& rows, int depth)
    {
        const GumboVector& kids = n->v.element.children;
        for (unsigned i = 0; i < kids.length && !full(); ++i) {
            const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
            if (kid->type != GUMBO_NODE_ELEMENT)
                continue;
            GumboTag tag = kid->v.element.tag;
            if (tag == GUMBO_TAG_THEAD || tag == GUMBO_TAG_TBODY || tag == GUMBO_TAG_TFOOT) {
                collect_rows(kid, rows, depth);
            } else if (tag == GUMBO_TAG_TR) {
                std::vector<std::string> cells;
                const GumboVector& tds = kid->v.element.children;
                for (unsigned j = 0; j < tds.length; ++j) {
                    const auto* td = static_cast<const GumboNode*>(tds.data[j]);
                    if (td->type != GUMBO_NODE_ELEMENT
                        || (td->v.element.tag != GUMBO_TAG_TD && td->v.element.tag != GUMBO_TAG_TH))
                        continue;
                    std::string cell = one_line(rendered(td, depth + 1, false));
                    std::string escaped;
                    for (char c : cell)
                        escaped += c == '|' ? std::string("\\|") : std::string(1, c);
                    cells.push_back(std::move(escaped));
                }
                if (!cells.empty())
                    rows.push_back(std::move(cells));
            }
        }
    }

    void element(const GumboNode* n, std::string& out, int depth, bool pre)
    {
        GumboTag tag = n->v.element.tag;
        if (dropped(tag))
            return;
        if (int level = heading_level(tag); level > 0) {
            std::string text = one_line(rendered(n, depth, false));
            ensure(out, Break::blank);
            if (!text.empty())
                out += std::string(static_cast<size_t>(level), '#') + " " + text;
            ensure(out, Break::blank);
            return;
        }
        if (is_block(tag)) {
            Break b = tag == GUMBO_TAG_P ? Break::blank : Break::newline;
            ensure(out, b);
            children(n, out, depth, pre);
            ensure(out, b);
            return;
        }
        switch (tag) {
        case GUMBO_TAG_BR:
            rtrim_spaces(out);
            out += '\n';
            return;
        case GUMBO_TAG_HR:
            ensure(out, Break::blank);
            out += "---";
            ensure(out, Break::blank);
            return;
        case GUMBO_TAG_PRE:
            if (!pre) {
                code_block(n, out, depth);
                return;
            }
            break;
        case GUMBO_TAG_CODE:
        case GUMBO_TAG_KBD:
        case GUMBO_TAG_SAMP:
            if (!pre) {
                code_span(n, out);
                return;
            }
            break;
        case GUMBO_TAG_A:
            if (!pre) {
                link(n, out, depth, pre);
                return;
            }
            break;
        case GUMBO_TAG_IMG:
            image(n, out);
            return;
        case GUMBO_TAG_STRONG:
        case GUMBO_TAG_B:
            wrap(out, rendered(n, depth, pre), pre ? "" : "**");
            return;
        case GUMBO_TAG_EM:
        case GUMBO_TAG_I:
            wrap(out, rendered(n, depth, pre), pre ? "" : "*");
            return;
        case GUMBO_TAG_UL:
        case GUMBO_TAG_OL:
            list(n, out, depth);
            return;
        case GUMBO_TAG_LI: // outside a list
            ensure(out, Break::newline);
            out += prefixed(trim(rendered(n, depth, false)), "- ", "  ");
            ensure(out, Break::newline);
            return;
        case GUMBO_TAG_BLOCKQUOTE: {
            std::string inner = rendered(n, depth, false);
            ensure(out, Break::blank);
            out += prefixed(trim(inner), "> ", "> ");
            ensure(out, Break::blank);
            return;
        }
        case GUMBO_TAG_TABLE:
            table(n, out, depth);
            return;
        default:
            break;
        }
        children(n, out, depth, pre);
    }

    std::string_view m_base;
    size_t m_max;
    size_t m_emitted = 0;
    bool m_truncated = false;
};

const GumboNode* child_element(const GumboNode* n, GumboTag tag)
{
    if (!n || n->type != GUMBO_NODE_ELEMENT)
        return nullptr;
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
        const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
        if (kid->type == GUMBO_NODE_ELEMENT && kid->v.element.tag == tag)
            return kid;
    }
    return nullptr;
}

std::string title_of(const GumboNode* html)
{
    const GumboNode* title = child_element(child_element(html, GUMBO_TAG_HEAD), GUMBO_TAG_TITLE);
    if (!title)
        return {};
    std::string text;
    const GumboVector& kids = title->v.element.children;
    for (unsigned i = 0; i < kids.length && text.size() < max_title_bytes * 4; ++i) {
        const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
        if (kid->type == GUMBO_NODE_TEXT || kid->type == GUMBO_NODE_WHITESPACE)
            text += kid->v.text.text;
    }
    return std::string(utf8_prefix(clean_text(one_line(text)), max_title_bytes));
}

// <base href> changes what relative links mean.
std::string base_of(const GumboNode* html, std::string_view fetched)
{
    const GumboNode* base = child_element(child_element(html, GUMBO_TAG_HEAD), GUMBO_TAG_BASE);
    const char* href = base ? attribute(base, "href") : nullptr;
    if (!href)
        return std::string(fetched);
    return resolve_url(fetched, trim(href)).value_or(std::string(fetched));
}

void* arena_alloc(void* arena, size_t bytes)
{
    return static_cast<mem::Arena*>(arena)->alloc(bytes);
}

// The arena frees the whole tree at once; gumbo_destroy_output would walk it
// recursively, which a deep enough page turns into a stack overflow.
void arena_free(void*, void*)
{
}

} // namespace

Result<Markdown> html_to_markdown(std::string_view html, std::string_view base_url, size_t max_bytes)
{
    TRY(internal::gumbo().ensure());
    const internal::GumboApi& gumbo = internal::gumbo().api();
    mem::Arena arena(mem::root(), "html", { .cap = 0, .block_size = size_t{ 64 } * 1024 });
    GumboOptions options = *gumbo.kGumboDefaultOptions;
    options.allocator = arena_alloc;
    options.deallocator = arena_free;
    options.userdata = &arena;
    options.max_errors = 0; // errors are of no use here and cost memory per error
    size_t parsed = nesting_prefix(html);
    GumboOutput* output = gumbo.gumbo_parse_with_options(&options, html.data(), parsed);
    Markdown md;
    if (!output)
        return md;
    md.title = title_of(output->root);
    std::string base = base_of(output->root, base_url);
    Converter converter(base, max_bytes);
    std::string out;
    converter.node(output->root, out, 0, false);
    std::string text = clean_text(tidy(out));
    md.truncated = converter.truncated() || text.size() > max_bytes || parsed < html.size();
    md.text = std::string(utf8_prefix(text, max_bytes));
    return md;
}

} // namespace ik::web
