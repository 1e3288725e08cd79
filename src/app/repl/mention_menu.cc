#include "app/repl/mention_menu.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/mentions.h"
#include "app/repl/panel_rows.h"

namespace ik::app {

void MentionMenu::update(const tui::Editor& editor)
{
    std::string_view text = editor.text();
    size_t cursor = editor.cursor().value;
    std::string key = fmt::format("{}\x1f{}", cursor, text);
    if (key == m_key)
        return;
    m_key = std::move(key);
    m_dismissed = false;
    m_selected = 0;
    m_matches.clear();
    auto query = agent::mention_at(text.substr(0, cursor));
    if (!query || m_root.empty())
        return;
    auto now = std::chrono::steady_clock::now();
    if (!m_have_files || now - m_loaded > refresh) {
        m_matches.clear(); // they point into the old list
        m_files = agent::project_files(m_root);
        m_loaded = now;
        m_have_files = true;
    }
    m_matches = agent::rank_files(m_files, *query, 50);
}

void MentionMenu::next()
{
    m_selected = wrap_step(m_selected, m_matches.size(), true);
}

void MentionMenu::previous()
{
    m_selected = wrap_step(m_selected, m_matches.size(), false);
}

void MentionMenu::accept(tui::Editor& editor)
{
    if (!open())
        return;
    std::string text(editor.text());
    size_t cursor = editor.cursor().value;
    auto query = agent::mention_at(std::string_view(text).substr(0, cursor));
    if (!query)
        return;
    size_t start = cursor - query->size(); // just after the '@'
    std::string replacement = fmt::format("{} ", m_matches[m_selected]);
    text.replace(start, cursor - start, replacement);
    editor.set_text(text);
    editor.set_cursor(utf8::Bytes(start + replacement.size()));
}

void MentionMenu::fill(int cols, tui::PanelView& panel)
{
    m_rows.clear();
    m_row_views.clear();
    if (!open())
        return;
    size_t first = first_shown(m_selected, max_rows);
    size_t last = std::min(m_matches.size(), first + max_rows);
    for (size_t i = first; i < last; ++i)
        m_rows.push_back(panel_row(fmt::format("  @{}", m_matches[i]), cols));
    for (const auto& r : m_rows)
        m_row_views.emplace_back(r);
    panel.rows = m_row_views;
    panel.selected = static_cast<int>(m_selected - first);
}

} // namespace ik::app
