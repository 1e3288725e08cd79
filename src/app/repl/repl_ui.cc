// ReplUi: input, frames and timers. The observer callbacks and the command
// host are in repl_events.cc.
#include "app/repl/repl_ui.h"

#include <fmt/format.h>

#include "core/arena.h"

namespace ik::app {

ReplUi::ReplUi(ReplDeps& deps, tui::OutputSink& sink, Hooks hooks)
    : m_deps(deps)
    , m_sink(sink)
    , m_hooks(std::move(hooks))
    , m_screen(tui::detect_color_mode())
    , m_scrollback(std::make_unique<tui::Scrollback>(deps.arena))
    , m_reply(std::make_unique<tui::MarkdownStream>(*m_scrollback))
{
}

ReplUi::~ReplUi()
{
    if (m_timer)
        m_deps.loop.cancel(*m_timer);
    if (m_escape_timer)
        m_deps.loop.cancel(*m_escape_timer);
    if (m_spinner_timer)
        m_deps.loop.cancel(*m_spinner_timer);
    // The session reports to this observer while it winds down.
    m_session.reset();
}

Result<void> ReplUi::start()
{
    std::string path = m_deps.history_path.empty() ? tui::History::default_path() : m_deps.history_path;
    if (!path.empty()) {
        if (auto h = tui::History::open(path); h)
            m_history = std::move(*h);
        else
            print(fmt::format("history not loaded: {}", h.error().to_string()), Tone::error);
    }
    m_input = std::make_unique<tui::InputHandler>(m_editor, m_history);
    TRY(open_session(m_deps.resume_id));
    print(fmt::format("ik · {} · /help for commands · Ctrl-D to quit", m_session->settings().model_spec), Tone::dim);
    if (!m_deps.resume_id.empty())
        show_history();
    draw_now();
    return {};
}

Result<void> ReplUi::open_session(std::string_view resume_id)
{
    agent::SessionDeps deps{ m_deps.loop, m_deps.store, m_deps.model, *this, m_deps.arena };
    m_session = TRY(agent::Session::create(deps, m_deps.settings, resume_id));
    return {};
}

void ReplUi::feed(std::string_view bytes)
{
    m_keys.clear();
    m_decoder.feed(bytes, m_keys);
    for (auto& key : m_keys)
        handle_key(key);
    m_keys.clear();
    if (m_decoder.pending() && !m_escape_timer) {
        // A lone ESC: Escape unless the rest of a sequence follows soon.
        m_escape_timer = m_deps.loop.after(tui::KeyDecoder::escape_timeout, [this] {
            m_escape_timer.reset();
            m_keys.clear();
            m_decoder.flush_pending(m_keys);
            for (auto& key : m_keys)
                handle_key(key);
            m_keys.clear();
            pump();
        });
    }
    pump();
}

void ReplUi::handle_key(const tui::KeyEvent& key)
{
    if (m_approval) {
        handle_approval_key(key);
        return;
    }
    if (key.key == tui::Key::Escape && m_session && m_session->busy() && !m_input->searching()) {
        m_session->cancel();
        redraw(tui::Screen::Redraw::input);
        return;
    }
    tui::InputAction action = m_input->handle(key);
    if (action.kind != tui::InputAction::Kind::cancel && action.kind != tui::InputAction::Kind::none) {
        m_ctrl_c_armed = false;
    }
    if (action.kind == tui::InputAction::Kind::none && m_ctrl_c_armed && !m_editor.empty()) {
        m_ctrl_c_armed = false;
        m_note.clear();
    }
    handle_action(std::move(action));
    redraw(tui::Screen::Redraw::input);
}

void ReplUi::handle_action(tui::InputAction action)
{
    using Kind = tui::InputAction::Kind;
    switch (action.kind) {
    case Kind::none:
        break;
    case Kind::submit:
        if (action.warning)
            print(action.warning->to_string(), Tone::dim);
        submit(std::move(action.text));
        break;
    case Kind::cancel:
        on_cancel_key();
        break;
    case Kind::eof:
        quit();
        break;
    case Kind::scroll:
        scroll(action);
        break;
    case Kind::redraw:
        m_screen.invalidate();
        break;
    case Kind::suspend:
        if (m_hooks.suspend)
            m_hooks.suspend();
        break;
    }
}

void ReplUi::on_cancel_key()
{
    if (m_session->busy()) {
        m_session->cancel();
        m_ctrl_c_armed = false;
        return;
    }
    if (!m_editor.empty()) {
        m_editor.clear();
        m_ctrl_c_armed = false;
        m_note.clear();
        return;
    }
    if (m_ctrl_c_armed) {
        quit();
        return;
    }
    m_ctrl_c_armed = true;
    m_note = "Ctrl-C again to quit";
}

void ReplUi::scroll(const tui::InputAction& action)
{
    switch (action.scroll) {
    case tui::ScrollKind::page_up:
        m_scrollback->page_up();
        break;
    case tui::ScrollKind::page_down:
        m_scrollback->page_down();
        break;
    case tui::ScrollKind::lines_up:
        m_scrollback->scroll_up(action.lines);
        break;
    case tui::ScrollKind::lines_down:
        m_scrollback->scroll_down(action.lines);
        break;
    case tui::ScrollKind::top:
        m_scrollback->home();
        break;
    case tui::ScrollKind::bottom:
        m_scrollback->end();
        break;
    }
}

void ReplUi::submit(std::string text)
{
    m_ctrl_c_armed = false;
    m_note.clear();
    if (text.starts_with('/')) {
        run_command(text);
        return;
    }
    if (text.find_first_not_of(" \t\n") == std::string::npos)
        return;
    if (m_session->busy()) {
        m_editor.set_text(text);
        print("A reply is still running: wait for it, or Ctrl-C to stop it.", Tone::dim);
        return;
    }
    show_user_prompt(text);
    if (auto r = m_session->submit(text); !r) {
        print(r.error().to_string(), Tone::error);
        return;
    }
    set_waiting(true, "Thinking");
}

void ReplUi::set_size(tui::Size size)
{
    if (size.rows < 1 || size.cols < 1)
        return;
    m_size = size;
    draw_now();
}

void ReplUi::invalidate()
{
    m_screen.invalidate();
    draw_now();
}

void ReplUi::redraw(tui::Screen::Redraw kind)
{
    m_screen.request_redraw(kind);
    arm_timer();
}

void ReplUi::arm_timer()
{
    auto now = Loop::now();
    auto wait = m_screen.until_due(now);
    if (wait == std::chrono::milliseconds::max())
        return;
    auto due = now + wait;
    if (m_timer) {
        if (m_timer_due <= due)
            return;
        m_deps.loop.cancel(*m_timer);
    }
    m_timer_due = due;
    m_timer = m_deps.loop.after(wait, [this] {
        m_timer.reset();
        pump();
    });
}

void ReplUi::pump()
{
    if (m_screen.frame_due(Loop::now()))
        draw();
    else
        arm_timer();
}

void ReplUi::draw_now()
{
    m_screen.request_redraw(tui::Screen::Redraw::input);
    draw();
}

void ReplUi::set_waiting(bool waiting, std::string_view label)
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
void ReplUi::tick_spinner()
{
    m_spinner_timer = m_deps.loop.after(tui::spinner_interval, [this] {
        m_spinner_timer.reset();
        if (!m_waiting)
            return;
        redraw(tui::Screen::Redraw::output);
        tick_spinner();
    });
}

void ReplUi::draw()
{
    auto now = Loop::now();
    tui::Frame& frame = m_screen.begin_frame(m_size);

    std::string model = m_session ? m_session->settings().model_spec : std::string();
    tui::StatusInfo status;
    std::string cost;
    status.model = model;
    if (m_session) {
        const llm::Usage& total = m_session->usage();
        status.tokens_in = static_cast<uint64_t>(total.input + m_round_usage.input);
        status.tokens_out = static_cast<uint64_t>(total.output + m_round_usage.output);
        int64_t context = m_round_usage.input > 0 ? m_round_usage.input : m_session->last_usage().input;
        status.context_used = static_cast<uint64_t>(context);
        // Context hook: the window from the model catalog and the session's cost.
        status.context_limit = static_cast<uint64_t>(m_session->context().limits().context_window);
        if (double usd = m_session->context().accounting().cost_usd; usd > 0) {
            cost = llm::format_cost(usd);
            status.cost = cost;
        }
    }
    status.memory_bytes = mem::root().subtree_reserved();
    std::string note = m_note;
    if (note.empty() && !m_scrollback->following())
        note = "scrolled · Ctrl-End to follow";
    status.note = note;

    tui::Spinner spinner;
    spinner.started = m_wait_started;
    spinner.label = m_spinner_label;

    tui::ApprovalView approval;
    if (m_approval) {
        approval.title = m_approval->title;
        const auto& preview = m_approval->request.preview;
        approval.command = preview.command.empty() ? std::string_view(preview.path) : std::string_view(preview.command);
        approval.diff = preview.diff;
    }

    // The editor's rows at the width the layout gives it.
    std::string search;
    std::vector<std::string_view> rows;
    tui::InputView input;
    if (m_input && m_input->searching()) {
        search = m_input->search_prompt();
        rows.emplace_back(search);
        input.cursor_col = tui::text_width(search);
    } else {
        tui::EditorLayout lay = m_editor.layout(utf8::Columns(static_cast<size_t>(tui::input_width(m_size.cols))));
        m_input_rows.resize(lay.rows.size());
        for (size_t i = 0; i < lay.rows.size(); ++i)
            m_input_rows[i] = m_editor.row_text(lay.rows[i]);
        for (const auto& r : m_input_rows)
            rows.emplace_back(r);
        input.cursor_row = static_cast<int>(lay.cursor_row);
        input.cursor_col = static_cast<int>(lay.cursor_column.value);
    }
    input.rows = rows;
    input.show_cursor = !m_approval;

    tui::LayoutInput in;
    in.scrollback = m_scrollback.get();
    in.status = &status;
    in.spinner = m_waiting && !m_approval ? &spinner : nullptr;
    in.approval = m_approval ? &approval : nullptr;
    in.input = input;
    in.max_input_rows = std::max(1, m_size.rows / 3);
    in.now = now;
    tui::layout(frame, in);
    if (record_frames)
        m_last_frame = frame.to_text();
    if (auto r = m_screen.present(m_sink, now); !r) {
        // The screen forces a full redraw after a failed write; nothing else to do.
        (void)r;
    }
}

std::string ReplUi::scrollback_text() const
{
    std::string out;
    for (size_t i = 0; i < m_scrollback->line_count(); ++i) {
        out += m_scrollback->line(i).text;
        out += '\n';
    }
    return out;
}

void ReplUi::shutdown()
{
    if (m_approval)
        answer_approval(agent::UserAnswer::no);
    if (m_session && m_session->busy()) {
        m_session->cancel();
        auto deadline = Loop::now() + std::chrono::seconds(3);
        (void)m_deps.loop.run_until([&] { return !m_session->busy() || Loop::now() > deadline; });
    }
    // Let a retired turn be freed.
    (void)m_deps.loop.run_once(0);
}

} // namespace ik::app
