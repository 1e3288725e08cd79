// Screen: turns frames into the fewest bytes that update the terminal.
//
// The screen keeps the frame now on the terminal and, for each new frame,
// compares row by row (a hash per row, confirmed by comparing bytes, as
// Kakoune does). Unchanged rows cost nothing; a changed row is rewritten
// from its first differing grapheme, so text streaming onto the end of a row
// sends just the new text. Like tmux, it remembers the terminal's cursor
// position and current attributes and never emits a move or SGR that would
// change nothing. The whole update is built in one buffer wrapped in DEC 2026
// synchronized-output markers and handed to the sink in one write; an
// identical frame writes nothing at all.
//
// Rate cap: producers call request_redraw() as often as they like; the REPL
// asks frame_due(now) (or until_due(now) to arm a timer) and presents a frame
// when it is due. Streamed output alone (Redraw::output) is batched for 50 ms
// after the last frame, so a fast stream is not a write per token and the
// bytes sent stay close to the reply's size (docs/perf.md). A key press
// (Redraw::input) is due at once, however recent the last output frame: only
// another key's frame less than 16 ms ago holds it back (to that frame's
// 16 ms slot), so typing is drawn without waiting for a frame slot while a
// burst of keys (repeat, a paste without bracketed paste) is still capped at
// one frame per 16 ms. The frame a key triggers also carries the output
// pending by then, and the output interval restarts from it.
//
// Vertical shifts (new output pushing the scrollback up) are detected from
// the row hashes and done with a scroll region and SU, so the terminal moves
// the rows and only the new ones are sent.
//
//   Frame& f = screen.begin_frame(terminal.size());
//   layout(f, ...);
//   TRY(screen.present(terminal, Loop::now()));
//
// Owns two frames (current and next) and the output buffer, all reused.
// Borrows the sink for the duration of present().
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tui/frame.h"

namespace ik::tui {

// Where frame bytes go: the Terminal, or a recording sink in tests.
class ByteSink {
public:
    virtual ~ByteSink() = default;
    virtual Result<void> write(std::string_view bytes) = 0;
};

class Screen {
public:
    using Clock = std::chrono::steady_clock;

    explicit Screen(ColorMode mode);

    ColorMode color_mode() const { return m_mode; }

    // The frame to draw next, emptied and sized.
    Frame& begin_frame(Size size);
    // Diffs the frame from begin_frame() against the screen and writes the
    // update in one sink.write (none when nothing changed). Returns the
    // number of bytes written.
    Result<size_t> present(ByteSink& sink, Clock::time_point now);

    // Forget what is on the terminal: the next present() clears and redraws
    // everything (after a resize, SIGCONT, or Ctrl-L).
    void invalidate();

    // Rate cap.
    enum class Redraw { input, output };
    void request_redraw(Redraw kind = Redraw::input)
    {
        m_dirty = true;
        m_urgent = m_urgent || kind == Redraw::input;
    }
    bool dirty() const { return m_dirty; }
    // The least time between two frames drawn for keys (16 ms).
    void set_min_interval(std::chrono::milliseconds interval) { m_min_interval = interval; }
    // The least time between a frame and one drawn for output alone (50 ms).
    void set_output_interval(std::chrono::milliseconds interval) { m_output_interval = interval; }
    // True when a redraw was requested and it may go out now: for input,
    // when no frame drawn for input went out within the min interval; for
    // output alone, when no frame at all went out within the output interval.
    bool frame_due(Clock::time_point now) const;
    // How long until frame_due() becomes true (0 if it is; max() if no redraw
    // is requested).
    std::chrono::milliseconds until_due(Clock::time_point now) const;

    // The frame being built, as text (debugging).
    std::string pending_frame_text() const { return m_frames_buf[1 - m_current].to_text(); }
    // The bytes of the last present() (tests, debugging).
    std::string_view last_output() const { return m_out; }
    uint64_t frames_written() const { return m_frames; }
    uint64_t bytes_written() const { return m_bytes; }

private:
    static uint64_t row_hash(const Frame::Row& row);
    void full_redraw(const Frame& next);
    void update_row(int index, const Frame::Row* old_row, const Frame::Row& new_row);
    void move_to(int row, int col);
    void emit_range(const Frame::Row& row, size_t from, size_t to);
    void scroll_if_shifted(const Frame& current, const Frame& next, const std::vector<uint64_t>& old_hashes);
    void set_style(Style style);
    // Time left before the pending redraw may go out (<= 0: now).
    Clock::duration wait_left(Clock::time_point now) const;

    ColorMode m_mode;
    Frame m_frames_buf[2];
    int m_current = 0; // index of the frame on the terminal
    std::vector<uint64_t> m_hashes; // per row of the current frame
    std::vector<uint64_t> m_next_hashes;
    std::vector<int> m_old_for; // row i of the terminal shows old row m_old_for[i] (-1: blank)
    bool m_valid = false; // the terminal shows m_frames_buf[m_current]
    std::string m_out;

    // What the terminal is known to be in. -1: unknown.
    int m_cursor_row = -1;
    int m_cursor_col = -1;
    int m_cursor_shown = -1;
    Style m_style;
    bool m_style_known = false;

    bool m_dirty = true;
    bool m_urgent = true;
    std::chrono::milliseconds m_min_interval{ 16 };
    std::chrono::milliseconds m_output_interval{ 50 };
    Clock::time_point m_last_frame{};
    Clock::time_point m_last_input_frame{}; // the last frame drawn with input pending
    uint64_t m_frames = 0;
    uint64_t m_bytes = 0;
};

} // namespace ik::tui
