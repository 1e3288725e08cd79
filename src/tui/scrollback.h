// Scrollback: the conversation as logical lines, and the window onto it.
//
// Data model. A logical line (styled_text.h) is stored once, in a
// session-scoped arena: its bytes, its spans and its continuation prefix are
// copied there in two or three bump allocations, and its fixed-size record
// lives in a chunk of 1024 records also in the arena. So 100k lines cost no
// per-line heap allocation, and /clear frees them all at once by dropping
// the arena. Each record caches the line's display width (measured once, at
// append) and its row count for the last width it was wrapped at.
//
// Reflow. Nothing is re-wrapped eagerly on resize: the viewport is anchored
// to a (line, row-within-line) position, and only the lines the viewport
// actually touches are wrapped, each at most once per width (the cache). A
// line narrower than the window is one row without looking at its text; an
// ASCII line is wrapped by byte arithmetic and a scan for spaces, never
// calling utf8proc; only lines with wide or combining characters walk
// graphemes. So a resize costs O(visible lines) whatever the history size.
//
// Streaming. The live tail (the assistant's open Markdown block) is a
// separate, replaceable set of lines in reusable buffers: set_tail() swaps
// it wholesale on each delta, commit_tail() moves it into the arena once the
// block is complete, so re-rendering never leaves garbage in the arena.
//
// Folding. A line may belong to the collapsed or the expanded view only
// (styled_text.h, Fold): set_expanded() switches every block at once, and a
// line outside the current view takes no rows, so the switch is a flag, not a
// re-render, and the viewport code treats it as a zero-row line.
//
// Viewport. Following (the default) shows the newest rows; scrolling up
// pins the anchor so new output does not move the view, counting the lines
// that arrive meanwhile ("↓ N new lines"); scrolling back to the bottom, or
// end(), follows again.
//
// Owns: its child arena ("scrollback") and the tail buffers.
// Borrows: the parent arena, which must outlive it.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <vector>

#include "core/arena.h"
#include "tui/frame.h"
#include "tui/styled_text.h"

namespace ik::tui {

class Scrollback {
public:
    static constexpr size_t chunk_lines = 1024;
    static constexpr int wheel_rows = 3;

    explicit Scrollback(mem::Arena& parent);
    ~Scrollback();
    Scrollback(const Scrollback&) = delete;
    Scrollback& operator=(const Scrollback&) = delete;

    // Appends complete lines (copied into the arena).
    void append(const StyledLines& lines);
    void append(const LineView& line);
    // Replaces the live tail (copied into reusable buffers), commits it, or
    // drops it.
    void set_tail(const StyledLines& lines);
    void commit_tail();
    void clear_tail();
    // Drops everything (frees the arena) and follows again.
    void clear();

    size_t committed_lines() const { return m_count; }
    size_t tail_lines() const { return m_tail_records.size(); }
    size_t line_count() const { return m_count + m_tail_records.size(); }
    LineView line(size_t index) const;
    // Display rows of line `index` at `width` (cached).
    uint32_t rows_of(size_t index, int width);

    // Viewport. The row counts use the size of the last render().
    void scroll_up(int rows);
    void scroll_down(int rows);
    void page_up() { scroll_up(std::max(1, m_view.rows - 1)); }
    void page_down() { scroll_down(std::max(1, m_view.rows - 1)); }
    void wheel(int notches); // positive: towards older lines
    void home();
    void end();
    bool following() const { return m_follow; }
    // Lines appended since the user scrolled away from the bottom.
    size_t unseen_lines() const { return m_unseen; }

    // Draws the viewport into frame rows [top, top + height) at the frame's
    // width, with the "↓ N new lines" indicator on the last row when
    // scrolled up and output has arrived.
    void render(Frame& frame, int top, int height);

    // Ctrl-O: show the expanded or the collapsed view of tool output and thinking.
    void set_expanded(bool expanded) { m_expanded = expanded; }
    bool expanded() const { return m_expanded; }

    // Bytes of the scrollback arena subtree (for /mem and the benchmark).
    size_t arena_bytes() const;

private:
    struct Record {
        const char* text = nullptr;
        const Span* spans = nullptr;
        const char* prefix = nullptr;
        const Span* prefix_spans = nullptr;
        uint32_t text_bytes = 0;
        uint32_t span_count = 0;
        uint16_t prefix_bytes = 0;
        uint16_t prefix_span_count = 0;
        uint32_t width = 0; // display columns of the content
        uint16_t prefix_width = 0; // display columns of the continuation prefix
        LineKind kind = LineKind::text;
        Fold fold = Fold::always;
        bool ascii = true;
        uint16_t wrap_width = 0; // the width wrap_rows was computed for
        uint32_t wrap_rows = 0;
    };
    struct Position {
        size_t line = 0;
        uint32_t row = 0;
    };

    Record make_record(const LineView& line, bool copy);
    Record& record(size_t index);
    const Record& record(size_t index) const;
    static LineView view(const Record& r);
    uint32_t rows(Record& r, int width);
    bool shown(const Record& r) const { return r.fold == Fold::always || (r.fold == Fold::expanded) == m_expanded; }
    // Calls fn(row, begin, end) for each display row of `r` at `width`.
    template <typename Fn> static void for_each_row(const Record& r, int width, Fn&& fn);
    // Draws rows [first, first + max_rows) of `r`; returns how many.
    int draw_rows(Frame& frame, int frame_row, const Record& r, int width, uint32_t first, int max_rows);
    Position bottom_top(int height, int width);
    void count_new_lines();

    mem::Arena& m_parent;
    mem::Arena* m_arena;
    std::vector<Record*> m_chunks; // one heap pointer per 1024 lines
    size_t m_count = 0;

    StyledLines m_tail;
    std::vector<Record> m_tail_records;

    bool m_follow = true;
    bool m_expanded = false;
    Position m_top;
    size_t m_unseen = 0;
    size_t m_high_water = 0;
    Size m_view{ 0, 0 };
    StyledLines m_scratch;
};

} // namespace ik::tui
