// CommandMenu — the slash commands listed above the status line while one
// is typed: "/co" shows /context and /compact with their help. Up and Down
// move the selection, Tab completes the input to it, Enter runs it, Escape
// hides the menu until the text changes.
//
// It only looks at the input text (update() after every key); what a key
// does with the menu is InputController's.
//
// Owns: its rows. Borrows: the static command table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/commands/completion.h"
#include "tui/layout.h"

namespace ik::app {

class CommandMenu {
public:
    static constexpr size_t max_rows = 8;

    // Recomputes the matches when `text` changed: the menu is open while the
    // text is one word starting with '/' that is not a path ("/etc/hosts")
    // and some command's name starts with it.
    void update(std::string_view text);
    bool open() const { return !m_dismissed && !m_matches.empty(); }
    void dismiss() { m_dismissed = true; }
    void next();
    void previous();

    const SlashCommand* selected() const { return open() ? m_matches[m_selected] : nullptr; }
    // The typed text names a command exactly (Enter runs what was typed).
    bool exact() const;
    // What Tab puts in the input: "/name", plus a space when it takes arguments.
    std::string completion() const;

    // The visible rows ("/compact [focus]   summarise the conversation now"),
    // a window of at most max_rows around the selection; valid until the next update().
    void fill(int cols, tui::PanelView& panel);

private:
    std::string m_text;
    std::vector<const SlashCommand*> m_matches;
    size_t m_selected = 0;
    bool m_dismissed = false;
    std::vector<std::string> m_rows;
    std::vector<std::string_view> m_row_views;
};

} // namespace ik::app
