#include "app/repl/command_menu.h"

#include <algorithm>

#include <fmt/format.h>

#include "app/repl/panel_rows.h"

namespace ik::app {
namespace {

// "/na" -> "na" when the text is a command name being typed; nullopt for
// anything else (arguments begun, several lines, a path).
std::optional<std::string_view> typed_name(std::string_view text)
{
    if (!text.starts_with('/'))
        return std::nullopt;
    std::string_view name = text.substr(1);
    if (name.find_first_of(" \t\n/") != std::string_view::npos)
        return std::nullopt;
    return name;
}

} // namespace

void CommandMenu::update(std::string_view text)
{
    if (text == m_text)
        return;
    m_text.assign(text);
    m_dismissed = false;
    m_selected = 0;
    m_matches.clear();
    if (auto name = typed_name(text))
        m_matches = commands_with_prefix(*name);
}

void CommandMenu::next()
{
    m_selected = wrap_step(m_selected, m_matches.size(), true);
}

void CommandMenu::previous()
{
    m_selected = wrap_step(m_selected, m_matches.size(), false);
}

bool CommandMenu::exact() const
{
    auto name = typed_name(m_text);
    return name && find_command(*name) != nullptr;
}

std::string CommandMenu::completion() const
{
    const SlashCommand* c = selected();
    if (!c)
        return m_text;
    return fmt::format("/{}{}", c->name, c->args.empty() ? "" : " ");
}

void CommandMenu::fill(int cols, tui::PanelView& panel)
{
    m_rows.clear();
    m_row_views.clear();
    if (!open())
        return;
    size_t first = first_shown(m_selected, max_rows);
    size_t last = std::min(m_matches.size(), first + max_rows);
    size_t width = 0;
    for (size_t i = first; i < last; ++i)
        width = std::max(
            width, m_matches[i]->name.size() + 1 + (m_matches[i]->args.empty() ? 0 : m_matches[i]->args.size() + 1));
    for (size_t i = first; i < last; ++i) {
        const SlashCommand& c = *m_matches[i];
        std::string usage = fmt::format("/{}{}{}", c.name, c.args.empty() ? "" : " ", c.args);
        m_rows.push_back(panel_row(fmt::format("  {:<{}}  {}", usage, width, c.help), cols));
    }
    for (const auto& r : m_rows)
        m_row_views.emplace_back(r);
    panel.rows = m_row_views;
    panel.selected = static_cast<int>(m_selected - first);
}

} // namespace ik::app
