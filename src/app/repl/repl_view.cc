#include "app/repl/repl_view.h"

namespace ik::app {

ReplView::ReplView(Loop& loop, tui::ByteSink& sink, std::function<void(ViewModel&)> fill)
    : m_loop(loop)
    , m_sink(sink)
    , m_fill(std::move(fill))
    , m_screen(tui::detect_color_mode())
{
}

ReplView::~ReplView()
{
    if (m_timer)
        m_loop.cancel(*m_timer);
    if (m_spinner_timer)
        m_loop.cancel(*m_spinner_timer);
}

void ReplView::set_size(tui::Size size)
{
    if (size.rows < 1 || size.cols < 1)
        return;
    m_size = size;
    draw_now();
}

void ReplView::invalidate()
{
    m_screen.invalidate();
    draw_now();
}

void ReplView::redraw(tui::Screen::Redraw kind)
{
    m_screen.request_redraw(kind);
    arm_timer();
}

void ReplView::arm_timer()
{
    auto now = Loop::now();
    auto wait = m_screen.until_due(now);
    if (wait == std::chrono::milliseconds::max())
        return;
    auto due = now + wait;
    if (m_timer) {
        if (m_timer_due <= due)
            return;
        m_loop.cancel(*m_timer);
    }
    m_timer_due = due;
    m_timer = m_loop.after(wait, [this] {
        m_timer.reset();
        pump();
    });
}

void ReplView::pump()
{
    if (m_screen.frame_due(Loop::now()))
        draw();
    else
        arm_timer();
}

void ReplView::draw_now()
{
    m_screen.request_redraw(tui::Screen::Redraw::input);
    draw();
}

void ReplView::set_waiting(bool waiting, std::string_view label)
{
    m_spinner_label = label;
    if (waiting && !m_waiting)
        m_wait_started = Loop::now();
    m_waiting = waiting;
    if (waiting && !m_spinner_timer)
        tick_spinner();
    redraw(tui::Screen::Redraw::output);
}

// While waiting, the spinner's glyph and elapsed time change every
// spinner_interval; the timer stops itself when the wait ends.
void ReplView::tick_spinner()
{
    m_spinner_timer = m_loop.after(tui::spinner_interval, [this] {
        m_spinner_timer.reset();
        if (!m_waiting)
            return;
        redraw(tui::Screen::Redraw::output);
        tick_spinner();
    });
}

void ReplView::draw()
{
    auto now = Loop::now();
    tui::Frame& frame = m_screen.begin_frame(m_size);
    ViewModel model;
    model.max_input_rows = std::max(1, m_size.rows / 3);
    m_fill(model);

    tui::Spinner spinner;
    spinner.started = m_wait_started;
    spinner.label = m_spinner_label;

    tui::LayoutInput in;
    in.scrollback = model.scrollback;
    in.status = &model.status;
    in.spinner = m_waiting && !model.approval ? &spinner : nullptr;
    in.approval = model.approval;
    in.todo = model.todo;
    in.panel = model.panel;
    in.input = model.input;
    in.max_input_rows = model.max_input_rows;
    in.now = now;
    tui::layout(frame, in);
    if (record_frames)
        m_last_frame = frame.to_text();
    // The screen forces a full redraw after a failed write; nothing else to do.
    (void)m_screen.present(m_sink, now);
}

} // namespace ik::app
