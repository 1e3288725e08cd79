// MentionMenu — project files listed above the status line while an
// `@path` is typed: "@mai" shows src/main.cc first (agent/mentions.h ranks
// them). Up and Down select, Tab or Enter puts the selection in the input,
// Escape hides the menu until the text changes. The file list is read when
// the first `@` is typed and again when it is older than `refresh`.
//
// Owns: the file list and its rows. Borrows: nothing (the root is copied).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tui/editor.h"
#include "tui/layout.h"

namespace ik::app {

class MentionMenu {
public:
    static constexpr size_t max_rows = 8;
    static constexpr std::chrono::seconds refresh{ 10 };

    void set_root(std::filesystem::path root) { m_root = std::move(root); }

    // Recomputes from the editor: open while the cursor ends an @-word.
    void update(const tui::Editor& editor);
    bool open() const { return !m_dismissed && !m_matches.empty(); }
    void dismiss() { m_dismissed = true; }
    void next();
    void previous();
    // Replaces the @-word at the cursor with "@<selection> ".
    void accept(tui::Editor& editor);

    void fill(int cols, tui::PanelView& panel);

private:
    std::filesystem::path m_root;
    std::vector<std::string> m_files;
    std::chrono::steady_clock::time_point m_loaded{};
    bool m_have_files = false;
    std::string m_key; // text + cursor the matches were computed for
    std::vector<std::string_view> m_matches; // into m_files
    size_t m_selected = 0;
    bool m_dismissed = false;
    std::vector<std::string> m_rows;
    std::vector<std::string_view> m_row_views;
};

} // namespace ik::app
