// Picker — a list to choose one item from, drawn above the status line:
// /model without a name lists the catalog, /resume without an id lists this
// project's recent sessions. ↑ ↓ PgUp PgDn select, typing narrows the list
// (case-insensitive substring), Backspace widens it, Enter chooses, Esc or
// Ctrl-C closes it without choosing.
//
// While it is open, every key goes to it (InputController asks the host).
//
// Owns: the items, the filter, its rows, the callback. Borrows nothing.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/commands/command.h"
#include "tui/keys.h"
#include "tui/layout.h"

namespace ik::app {

class Picker {
public:
    static constexpr size_t max_rows = 10;
    using Chosen = std::function<void(const PickItem&)>;

    void open(std::string title, std::vector<PickItem> items, size_t selected, Chosen chosen);
    bool active() const { return m_active; }

    // Applies a key; calls the callback (after closing) when Enter chose an item.
    void handle_key(const tui::KeyEvent& key);

    // The title, the filter and a window of the matching items around the
    // selection; the views stay valid until the next call.
    void fill(int cols, tui::PanelView& panel);

private:
    void refilter();
    void close();

    bool m_active = false;
    std::string m_title;
    std::vector<PickItem> m_items;
    std::vector<size_t> m_visible; // indexes into m_items matching the filter
    size_t m_selected = 0; // index into m_visible
    std::string m_filter;
    Chosen m_chosen;
    std::vector<std::string> m_rows;
    std::vector<std::string_view> m_row_views;
};

} // namespace ik::app
