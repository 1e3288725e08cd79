#include "tui/editor.h"

#include <algorithm>

namespace ik::tui {
namespace {

using utf8::Bytes;
using utf8::Columns;

bool is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

// The columns a grapheme takes when it starts at column `col` of its row.
size_t cell_width(std::string_view g, size_t col)
{
    auto c = static_cast<unsigned char>(g[0]);
    if (c == '\t')
        return Editor::tab_width - col % Editor::tab_width;
    if (is_control(c))
        return 2; // caret notation
    if (c < 0x80)
        return 1;
    return utf8::grapheme_width(g).value;
}

bool is_word(std::string_view g)
{
    auto c = static_cast<unsigned char>(g[0]);
    return c >= 0x80 || std::isalnum(c) != 0 || c == '_';
}

bool is_space(std::string_view g)
{
    auto c = static_cast<unsigned char>(g[0]);
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

void Editor::clear()
{
    m_text.clear();
    m_cursor = 0;
    motion();
}

void Editor::set_text(std::string_view text)
{
    m_text.assign(text);
    m_cursor = m_text.size();
    motion();
}

void Editor::set_cursor(Bytes offset)
{
    motion();
    size_t pos = std::min(offset.value, m_text.size());
    if (pos == 0 || pos == m_text.size()) {
        m_cursor = pos;
        return;
    }
    size_t start = grapheme_start(pos);
    m_cursor = grapheme_end(start) == pos ? pos : start;
}

size_t Editor::grapheme_end(size_t pos) const
{
    return pos + utf8::next_grapheme(m_text, Bytes(pos)).value;
}

size_t Editor::grapheme_start(size_t pos) const
{
    return utf8::previous_grapheme(m_text, Bytes(pos)).value;
}

size_t Editor::line_start(size_t pos) const
{
    size_t nl = pos == 0 ? std::string::npos : m_text.rfind('\n', pos - 1);
    return nl == std::string::npos ? 0 : nl + 1;
}

size_t Editor::line_end(size_t pos) const
{
    size_t nl = m_text.find('\n', pos);
    return nl == std::string::npos ? m_text.size() : nl;
}

void Editor::motion()
{
    m_killing = false;
    m_goal.reset();
}

void Editor::insert(std::string_view text)
{
    motion();
    m_text.insert(m_cursor, text);
    m_cursor += text.size();
}

void Editor::insert_paste(std::string_view text)
{
    if (text.find('\r') == std::string_view::npos) {
        insert(text);
        return;
    }
    std::string normalized;
    normalized.reserve(text.size());
    size_t from = 0;
    for (size_t cr = text.find('\r'); cr != std::string_view::npos; cr = text.find('\r', from)) {
        normalized.append(text.substr(from, cr - from));
        normalized += '\n';
        from = cr + 1;
        if (from < text.size() && text[from] == '\n')
            ++from;
    }
    normalized.append(text.substr(from));
    insert(normalized);
}

bool Editor::move_left()
{
    motion();
    if (m_cursor == 0)
        return false;
    m_cursor = grapheme_start(m_cursor);
    return true;
}

bool Editor::move_right()
{
    motion();
    if (m_cursor >= m_text.size())
        return false;
    m_cursor = grapheme_end(m_cursor);
    return true;
}

void Editor::move_word_left()
{
    motion();
    auto at = [&](size_t end) {
        size_t s = grapheme_start(end);
        return std::string_view(m_text).substr(s, end - s);
    };
    while (m_cursor > 0 && !is_word(at(m_cursor)))
        m_cursor = grapheme_start(m_cursor);
    while (m_cursor > 0 && is_word(at(m_cursor)))
        m_cursor = grapheme_start(m_cursor);
}

void Editor::move_word_right()
{
    motion();
    auto at = [&](size_t s) { return std::string_view(m_text).substr(s, grapheme_end(s) - s); };
    while (m_cursor < m_text.size() && !is_word(at(m_cursor)))
        m_cursor = grapheme_end(m_cursor);
    while (m_cursor < m_text.size() && is_word(at(m_cursor)))
        m_cursor = grapheme_end(m_cursor);
}

void Editor::move_line_start()
{
    motion();
    m_cursor = line_start(m_cursor);
}

void Editor::move_line_end()
{
    motion();
    m_cursor = line_end(m_cursor);
}

bool Editor::on_first_line() const
{
    return line_start(m_cursor) == 0;
}

bool Editor::on_last_line() const
{
    return line_end(m_cursor) == m_text.size();
}

Columns Editor::column_of(size_t pos) const
{
    size_t col = 0;
    for (size_t p = line_start(pos); p < pos;) {
        size_t e = grapheme_end(p);
        col += cell_width(std::string_view(m_text).substr(p, e - p), col);
        p = e;
    }
    return Columns(col);
}

// The offset in the line starting at `begin` whose column is the last one
// not past `goal`.
size_t Editor::column_to_offset(size_t begin, Columns goal) const
{
    size_t end = line_end(begin);
    size_t col = 0;
    size_t p = begin;
    while (p < end) {
        size_t e = grapheme_end(p);
        size_t w = cell_width(std::string_view(m_text).substr(p, e - p), col);
        if (col + w > goal.value)
            break;
        col += w;
        p = e;
    }
    return p;
}

bool Editor::move_up()
{
    size_t begin = line_start(m_cursor);
    if (begin == 0)
        return false;
    Columns goal = m_goal.value_or(column_of(m_cursor));
    m_killing = false;
    m_cursor = column_to_offset(line_start(begin - 1), goal);
    m_goal = goal;
    return true;
}

bool Editor::move_down()
{
    size_t end = line_end(m_cursor);
    if (end == m_text.size())
        return false;
    Columns goal = m_goal.value_or(column_of(m_cursor));
    m_killing = false;
    m_cursor = column_to_offset(end + 1, goal);
    m_goal = goal;
    return true;
}

bool Editor::delete_backward()
{
    motion();
    if (m_cursor == 0)
        return false;
    size_t start = grapheme_start(m_cursor);
    m_text.erase(start, m_cursor - start);
    m_cursor = start;
    return true;
}

bool Editor::delete_forward()
{
    motion();
    if (m_cursor >= m_text.size())
        return false;
    m_text.erase(m_cursor, grapheme_end(m_cursor) - m_cursor);
    return true;
}

void Editor::kill(size_t begin, size_t end, KillDirection direction)
{
    bool append = m_killing;
    motion();
    if (begin >= end)
        return;
    std::string_view cut = std::string_view(m_text).substr(begin, end - begin);
    if (!append)
        m_kill.assign(cut);
    else if (direction == KillDirection::forward)
        m_kill.append(cut);
    else
        m_kill.insert(0, cut);
    m_text.erase(begin, end - begin);
    m_cursor = begin;
    m_killing = true;
}

void Editor::kill_to_line_end()
{
    size_t end = line_end(m_cursor);
    if (end == m_cursor && end < m_text.size())
        ++end; // at a line end: kill the newline, joining the lines
    kill(m_cursor, end, KillDirection::forward);
}

void Editor::kill_to_line_start()
{
    size_t begin = line_start(m_cursor);
    if (begin == m_cursor && begin > 0)
        --begin;
    kill(begin, m_cursor, KillDirection::backward);
}

void Editor::kill_previous_word()
{
    size_t p = m_cursor;
    auto at = [&](size_t end) {
        size_t s = grapheme_start(end);
        return std::string_view(m_text).substr(s, end - s);
    };
    while (p > 0 && is_space(at(p)))
        p = grapheme_start(p);
    while (p > 0 && !is_space(at(p)))
        p = grapheme_start(p);
    kill(p, m_cursor, KillDirection::backward);
}

void Editor::yank()
{
    std::string saved = m_kill;
    insert(saved);
}

EditorLayout Editor::layout(Columns width) const
{
    const size_t max = std::max<size_t>(width.value, 1);
    EditorLayout out;
    const std::string_view text = m_text;
    size_t row_begin = 0;
    size_t col = 0;
    auto end_row = [&](size_t end) {
        out.rows.push_back(EditorRow{ Bytes(row_begin), Bytes(end), Columns(col) });
        row_begin = end;
        col = 0;
    };
    // The cursor after a full row would sit past the edge: give it a row.
    auto place_cursor = [&](size_t pos) {
        if (col >= max) {
            end_row(pos);
        }
        out.cursor_row = out.rows.size();
        out.cursor_column = Columns(col);
    };
    size_t pos = 0;
    while (pos < text.size()) {
        if (pos == m_cursor && (text[pos] == '\n'))
            place_cursor(pos);
        if (text[pos] == '\n') {
            end_row(pos);
            row_begin = ++pos;
            continue;
        }
        size_t len = utf8::next_grapheme(text, Bytes(pos)).value;
        size_t w = cell_width(text.substr(pos, len), col);
        // A tab near the edge fills the row instead of wrapping.
        if (text[pos] == '\t' && col < max)
            w = std::min(w, max - col);
        if (col + w > max && col > 0) {
            end_row(pos);
            if (text[pos] == '\t')
                w = std::min(cell_width(text.substr(pos, len), 0), max);
        }
        if (pos == m_cursor)
            place_cursor(pos);
        col += w;
        pos += len;
    }
    if (m_cursor >= text.size())
        place_cursor(text.size());
    end_row(text.size());
    return out;
}

std::string Editor::row_text(const EditorRow& row) const
{
    std::string out;
    std::string_view text = std::string_view(m_text).substr(row.begin.value, (row.end - row.begin).value);
    out.reserve(text.size());
    size_t col = 0;
    for (size_t p = 0; p < text.size();) {
        size_t len = utf8::next_grapheme(text, Bytes(p)).value;
        std::string_view g = text.substr(p, len);
        auto c = static_cast<unsigned char>(g[0]);
        size_t w = cell_width(g, col);
        if (c == '\t') {
            w = std::min(w, std::max<size_t>(row.width.value, col) - col);
            out.append(w, ' ');
        } else if (is_control(c)) {
            out += '^';
            out += static_cast<char>(c ^ 0x40);
        } else if (!utf8::is_valid(g)) {
            for (size_t i = 0; i < g.size(); ++i)
                out += "\xEF\xBF\xBD"; // U+FFFD, one column per bad byte
        } else {
            out.append(g);
        }
        col += w;
        p += len;
    }
    return out;
}

} // namespace ik::tui
