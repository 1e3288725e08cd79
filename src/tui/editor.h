// The prompt's input buffer: multi-line UTF-8 text and a cursor.
//
// The text is one std::string; the cursor is a byte offset that always sits
// on a grapheme boundary (core/utf8.h), so a cursor never lands inside an
// emoji, a ZWJ sequence or a letter with combining marks. Edits are single
// splices: inserting a 1 MB paste is one O(n) insert. Lines are separated by
// '\n'; Up/Down move between these logical lines keeping a goal column and
// report when there is no line to move to, so the caller falls through to
// history. Kills go to a one-entry kill ring (consecutive kills accumulate,
// like readline) that Ctrl-Y yanks back.
//
// layout() soft-wraps the text for a given width in display columns: wide
// glyphs are never split across rows, combining marks take no column, tabs
// expand to the next multiple of tab_width, control characters show in caret
// notation (^X, two columns). Rows are byte ranges into text(); row_text()
// gives a row's displayable string (tabs expanded, controls and invalid bytes
// made safe) so a renderer never writes a raw control byte.
//
// Owns: the text and the kill ring (std::string). Not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"

namespace ik::tui {

struct EditorRow {
    utf8::Bytes begin; // into Editor::text()
    utf8::Bytes end; // excludes the '\n' that ended the line
    utf8::Columns width; // display columns used
};

struct EditorLayout {
    std::vector<EditorRow> rows; // at least one row
    size_t cursor_row = 0;
    utf8::Columns cursor_column; // always < width (a full row moves the cursor to a new row)
};

class Editor {
public:
    static constexpr size_t tab_width = 8;

    std::string_view text() const { return m_text; }
    utf8::Bytes cursor() const { return utf8::Bytes(m_cursor); }
    bool empty() const { return m_text.empty(); }

    void clear();
    // Replaces the text (history recall); the cursor goes to the end.
    void set_text(std::string_view text);
    // Moves the cursor, snapped back to the start of the grapheme it falls in.
    void set_cursor(utf8::Bytes offset);

    // Inserts at the cursor and moves past the insertion: one splice.
    void insert(std::string_view text);
    // Inserts pasted text as-is except line endings: CR LF and CR become LF
    // (terminals send newlines inside a paste as CR).
    void insert_paste(std::string_view text);
    void insert_newline() { insert("\n"); }

    // Motions. move_left/right return false at the ends of the text;
    // move_up/down return false on the first/last line (history's turn).
    bool move_left();
    bool move_right();
    void move_word_left();
    void move_word_right();
    void move_line_start();
    void move_line_end();
    bool move_up();
    bool move_down();
    bool on_first_line() const;
    bool on_last_line() const;

    // Deletions by grapheme; false when there is nothing to delete.
    bool delete_backward();
    bool delete_forward();

    // Kills (saved for yank()).
    void kill_to_line_end(); // Ctrl-K; at a line end, joins the next line
    void kill_to_line_start(); // Ctrl-U; at a line start, joins the previous line
    void kill_previous_word(); // Ctrl-W: back to the previous whitespace
    void yank(); // Ctrl-Y
    std::string_view kill_ring() const { return m_kill; }

    EditorLayout layout(utf8::Columns width) const;
    // The displayable text of `row` (see the header comment).
    std::string row_text(const EditorRow& row) const;

private:
    enum class KillDirection { forward, backward };
    void kill(size_t begin, size_t end, KillDirection direction);
    void motion(); // ends a run of kills and any vertical goal column
    size_t line_start(size_t pos) const;
    size_t line_end(size_t pos) const;
    size_t grapheme_end(size_t pos) const;
    size_t grapheme_start(size_t pos) const;
    size_t column_to_offset(size_t line_begin, utf8::Columns goal) const;
    utf8::Columns column_of(size_t pos) const;

    std::string m_text;
    size_t m_cursor = 0;
    std::string m_kill;
    bool m_killing = false; // last command was a kill
    std::optional<utf8::Columns> m_goal; // Up/Down keep the column they started from
};

} // namespace ik::tui
