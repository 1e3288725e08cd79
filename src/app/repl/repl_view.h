// ReplView — the REPL's screen: what is drawn, and when.
//
// It owns the Screen (diffed frames, one write each), the frame-rate timer
// and the spinner timer, and draws a frame from a ViewModel the REPL fills
// in (scrollback, status figures, spinner, approval box, input rows). It
// never decides anything about input or the session: redraw() only asks for
// a frame; pump() (after each read of the tty) or one loop timer presents it
// when the rate cap says one is due (screen.h) — at once for a key press
// unless another key's frame went out less than 16 ms ago, at most every
// 50 ms while only streamed output changed — so a key press is drawn
// without waiting for a frame slot even while a reply streams, and a fast
// stream costs one write per frame, not per token.
//
// Owns: the screen, its timers (cancelled on destruction), the last frame's
// text when recording. Borrows: the loop and the sink.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/loop.h"
#include "tui/layout.h"
#include "tui/screen.h"

namespace ik::app {

// Everything one frame shows; filled by ReplUi for each draw.
struct ViewModel {
    tui::Scrollback* scrollback = nullptr;
    tui::StatusInfo status;
    const tui::ApprovalView* approval = nullptr;
    const tui::TodoPanelView* todo = nullptr; // the model's task list; null: hidden
    tui::PanelView panel; // command menu or queued messages
    tui::InputView input;
    int max_input_rows = 8;
};

class ReplView {
public:
    // `fill` is called at every draw to describe the frame.
    ReplView(Loop& loop, tui::ByteSink& sink, std::function<void(ViewModel&)> fill);
    ~ReplView();
    ReplView(const ReplView&) = delete;
    ReplView& operator=(const ReplView&) = delete;

    void set_size(tui::Size size);
    tui::Size size() const { return m_size; }
    // Asks for a frame; drawn when due.
    void redraw(tui::Screen::Redraw kind);
    // Draws now if a frame is due; arms the timer otherwise.
    void pump();
    // Draws now, whatever the rate cap says (resize, tests).
    void draw_now();
    // Everything on the terminal is suspect (fg after Ctrl-Z): redraw all.
    void invalidate();
    // Bytes for the terminal outside any frame (a clipboard sequence): they
    // neither move the cursor nor draw.
    Result<void> write_raw(std::string_view bytes) { return m_sink.write(bytes); }

    // The spinner row ("⠙ Thinking… 2.1s") while waiting for the model or a tool.
    void set_waiting(bool waiting, std::string_view label = "Thinking");
    bool waiting() const { return m_waiting; }

    const tui::Screen& screen() const { return m_screen; }
    bool record_frames = false;
    const std::string& frame_text() const { return m_last_frame; }

private:
    void arm_timer();
    void tick_spinner();
    void draw();

    Loop& m_loop;
    tui::ByteSink& m_sink;
    std::function<void(ViewModel&)> m_fill;
    tui::Screen m_screen;
    tui::Size m_size{ 24, 80 };
    bool m_waiting = false;
    std::string m_spinner_label = "Thinking";
    std::chrono::steady_clock::time_point m_wait_started;
    std::optional<Loop::TimerId> m_timer;
    std::chrono::steady_clock::time_point m_timer_due;
    std::optional<Loop::TimerId> m_spinner_timer;
    std::string m_last_frame;
};

} // namespace ik::app
