#include "app/repl/picker.h"

#include <algorithm>

#include <fmt/format.h>

#include "app/repl/panel_rows.h"
#include "tui/styled_text.h"

namespace ik::app {
namespace {

char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool contains_folded(std::string_view text, std::string_view needle)
{
    if (needle.empty())
        return true;
    auto it = std::search(
        text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) { return lower(a) == lower(b); });
    return it != text.end();
}

} // namespace

void Picker::open(std::string title, std::vector<PickItem> items, size_t selected, Chosen chosen)
{
    m_title = std::move(title);
    m_items = std::move(items);
    m_filter.clear();
    m_chosen = std::move(chosen);
    m_active = true;
    refilter();
    auto it = std::find(m_visible.begin(), m_visible.end(), selected);
    m_selected = it == m_visible.end() ? 0 : static_cast<size_t>(it - m_visible.begin());
}

void Picker::close()
{
    m_active = false;
    m_items.clear();
    m_visible.clear();
    m_filter.clear();
}

void Picker::refilter()
{
    m_visible.clear();
    for (size_t i = 0; i < m_items.size(); ++i)
        if (contains_folded(m_items[i].label, m_filter))
            m_visible.push_back(i);
    m_selected = 0;
}

void Picker::handle_key(const tui::KeyEvent& key)
{
    using tui::Key;
    size_t n = m_visible.size();
    switch (key.key) {
    case Key::Up:
        m_selected = wrap_step(m_selected, n, false);
        return;
    case Key::Down:
        m_selected = wrap_step(m_selected, n, true);
        return;
    case Key::PageUp:
        m_selected = m_selected > max_rows ? m_selected - max_rows : 0;
        return;
    case Key::PageDown:
        if (n > 0)
            m_selected = std::min(n - 1, m_selected + max_rows);
        return;
    case Key::Escape:
        close();
        return;
    case Key::Backspace:
        if (!m_filter.empty()) {
            m_filter.resize(utf8::previous_grapheme(m_filter, utf8::Bytes(m_filter.size())).value);
            refilter();
        }
        return;
    case Key::Enter: {
        if (n == 0)
            return;
        PickItem item = m_items[m_visible[m_selected]];
        Chosen chosen = std::move(m_chosen);
        close();
        if (chosen)
            chosen(item);
        return;
    }
    case Key::Char:
        if (key.is_char('c', tui::mod_ctrl) || key.is_char('g', tui::mod_ctrl))
            close();
        return;
    case Key::Text:
        m_filter += key.text;
        refilter();
        return;
    default:
        return;
    }
}

void Picker::fill(int cols, tui::PanelView& panel)
{
    m_rows.clear();
    m_row_views.clear();
    if (!m_active)
        return;
    m_rows.push_back(panel_row(fmt::format("  {} · type to filter{}{} · Enter choose · Esc close", m_title,
                                   m_filter.empty() ? "" : ": ", m_filter),
        cols));
    size_t first = first_shown(m_selected, max_rows);
    size_t last = std::min(m_visible.size(), first + max_rows);
    for (size_t i = first; i < last; ++i)
        m_rows.push_back(panel_row(fmt::format("  {}", m_items[m_visible[i]].label), cols));
    if (m_visible.empty())
        m_rows.push_back(panel_row("  (nothing matches)", cols));
    for (const auto& r : m_rows)
        m_row_views.emplace_back(r);
    panel.rows = m_row_views;
    panel.selected = m_visible.empty() ? -1 : static_cast<int>(m_selected - first) + 1;
}

} // namespace ik::app
