#include "tui/markdown_stream.h"

namespace ik::tui {
namespace {

bool is_blank(std::string_view line)
{
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    return true;
}

// A fence line: up to 3 spaces, then 3+ backticks or tildes.
bool fence_of(std::string_view line, char& ch, size_t& len)
{
    size_t i = 0;
    while (i < line.size() && i < 3 && line[i] == ' ')
        ++i;
    if (i >= line.size() || (line[i] != '`' && line[i] != '~'))
        return false;
    char c = line[i];
    size_t n = 0;
    while (i + n < line.size() && line[i + n] == c)
        ++n;
    if (n < 3)
        return false;
    ch = c;
    len = n;
    return true;
}

// A line that could continue the block above a blank line: indented (list
// item content, indented code) or another list item.
bool may_continue(std::string_view line)
{
    if (line.empty())
        return false;
    if (line[0] == ' ' || line[0] == '\t')
        return true;
    if ((line[0] == '-' || line[0] == '*' || line[0] == '+') && (line.size() == 1 || line[1] == ' '))
        return true;
    size_t i = 0;
    while (i < line.size() && i < 9 && line[i] >= '0' && line[i] <= '9')
        ++i;
    return i > 0 && i < line.size() && (line[i] == '.' || line[i] == ')');
}

} // namespace

MarkdownStream::MarkdownStream(Scrollback& scrollback, const MarkdownTheme& theme, CodeHighlighter* highlighter)
    : m_scrollback(scrollback)
    , m_theme(theme)
    , m_highlighter(highlighter)
{
}

void MarkdownStream::reset()
{
    m_source.clear();
    m_committed = m_scan = m_candidate = 0;
    m_in_fence = false;
    m_state = RenderState{};
}

void MarkdownStream::append(std::string_view delta)
{
    m_source += delta;
    scan();
    render_tail();
}

void MarkdownStream::scan()
{
    while (true) {
        size_t nl = m_source.find('\n', m_scan);
        if (nl == std::string::npos)
            return;
        std::string_view line(m_source.data() + m_scan, nl - m_scan);
        size_t line_start = m_scan;
        m_scan = nl + 1;
        char ch;
        size_t len;
        if (m_in_fence) {
            // A closing fence: same character, at least as long, nothing after.
            if (fence_of(line, ch, len) && ch == m_fence_char && len >= m_fence_len
                && is_blank(line.substr(line.find_first_not_of(' ') + len)))
                m_in_fence = false;
            continue;
        }
        if (is_blank(line)) {
            m_candidate = m_scan;
            continue;
        }
        if (m_candidate != 0 && !may_continue(line))
            commit_until(line_start);
        m_candidate = 0;
        if (fence_of(line, ch, len)) {
            m_in_fence = true;
            m_fence_char = ch;
            m_fence_len = len;
        }
    }
}

void MarkdownStream::commit_until(size_t end)
{
    if (end <= m_committed)
        return;
    m_lines.clear();
    render_markdown(
        std::string_view(m_source).substr(m_committed, end - m_committed), m_lines, m_state, m_theme, m_highlighter);
    m_scrollback.clear_tail();
    m_scrollback.append(m_lines);
    m_committed = end;
}

void MarkdownStream::render_tail()
{
    m_lines.clear();
    RenderState state = m_state; // the tail is provisional: do not advance the real state
    render_markdown(std::string_view(m_source).substr(m_committed), m_lines, state, m_theme, m_highlighter);
    m_scrollback.set_tail(m_lines);
}

void MarkdownStream::finish()
{
    m_lines.clear();
    render_markdown(std::string_view(m_source).substr(m_committed), m_lines, m_state, m_theme, m_highlighter);
    m_scrollback.clear_tail();
    m_scrollback.append(m_lines);
    m_committed = m_source.size();
    m_scan = m_source.size();
}

} // namespace ik::tui
