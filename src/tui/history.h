// Prompt history: what the user submitted, newest last, persisted.
//
// The file ($XDG_DATA_HOME/ik/history, else ~/.local/share/ik/history) holds
// one JSON string per line, so multi-line prompts survive intact and a torn
// last line (a crash mid-write) costs only that line. add() appends one line
// (O_APPEND, one write); when the file holds twice the capacity, it is
// rewritten with the newest `capacity` entries (temp file + rename).
// Consecutive duplicates and blank entries are not recorded.
//
// Navigation (Up/Down, Ctrl-P/N) walks from the newest entry back and
// remembers the line being edited when it started, so going back down past
// the newest entry restores it. HistorySearch is Ctrl-R's incremental reverse
// search over the entries; its prompt() is what the renderer shows.
//
// Owns: the entries (std::string each, at most `capacity`), the saved draft.
// Borrows nothing. Not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ik::tui {

class History {
public:
    static constexpr size_t default_capacity = 1000;

    // An in-memory history (no file).
    explicit History(size_t capacity = default_capacity)
        : m_capacity(capacity)
    {
    }
    // Loads `path` if it exists (a missing file is an empty history) and
    // appends to it from then on. Unparsable lines are skipped and counted.
    static Result<History> open(std::string path, size_t capacity = default_capacity);
    // $XDG_DATA_HOME/ik/history, else $HOME/.local/share/ik/history; empty
    // when neither variable is set.
    static std::string default_path();

    // Records a submitted entry (in memory even if persisting fails; the
    // error says which file and why). Ends any navigation.
    Result<void> add(std::string_view entry);

    size_t size() const { return m_entries.size(); }
    // 0 is the oldest entry.
    std::string_view at(size_t index) const { return m_entries[index]; }
    const std::string& path() const { return m_path; }
    size_t skipped_lines() const { return m_skipped; }

    // One step older; `current` is the editor's text, saved on the first step.
    // nullopt when there is nothing older.
    std::optional<std::string_view> previous(std::string_view current);
    // One step newer; past the newest entry, the saved line. nullopt when not
    // navigating.
    std::optional<std::string_view> next();
    bool navigating() const { return m_position.has_value(); }
    void reset_navigation();

    // The newest entry with index < `before` containing `query`.
    std::optional<size_t> find_before(std::string_view query, size_t before) const;

private:
    Result<void> load();
    Result<void> append_line(std::string_view entry);
    Result<void> rewrite();

    std::string m_path; // empty: not persisted
    size_t m_capacity;
    std::vector<std::string> m_entries;
    size_t m_file_lines = 0;
    size_t m_skipped = 0;
    std::optional<size_t> m_position; // index being shown while navigating
    std::string m_draft;
};

// Ctrl-R state: a query refined by typing, and the entry it currently matches.
class HistorySearch {
public:
    // Borrows `history`; it must outlive the search.
    explicit HistorySearch(const History& history)
        : m_history(&history)
    {
    }

    void set_query(std::string_view query); // searches again from the newest
    void append(std::string_view text);
    void erase_last(); // removes the last grapheme
    void older(); // Ctrl-R again: the next older match
    const std::string& query() const { return m_query; }
    std::optional<std::string_view> match() const;
    // "(reverse-i-search)`query': match", or "(failed reverse-i-search)`query': "
    // when nothing matches.
    std::string prompt() const;

private:
    void search_from(size_t before);

    const History* m_history;
    std::string m_query;
    std::optional<size_t> m_match;
    bool m_failed = false;
};

} // namespace ik::tui
