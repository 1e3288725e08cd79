// ReplUi: start-up, input and frames. The observer callbacks and the
// command host are in repl_events.cc.
#include "app/repl/repl_ui.h"

#include <cerrno>

#include <fmt/format.h>
#include <unistd.h>

#include "agent/mentions.h"
#include "app/repl/panel_rows.h"
#include "core/arena.h"
#include "llm/catalog.h"
#include "tui/styled_text.h"

namespace ik::app {
namespace {

// A line starting with '/' is a command, unless its first word is a path
// ("/etc/hosts what is this?", "/tmp/x.log"): that is a prompt.
bool looks_like_command(std::string_view text)
{
    if (!text.starts_with('/'))
        return false;
    std::string_view first = text.substr(0, text.find_first_of(" \t\n"));
    return first.find('/', 1) == std::string_view::npos;
}

} // namespace

ReplUi::ReplUi(ReplDeps& deps, tui::ByteSink& sink, Hooks hooks)
    : m_deps(deps)
    , m_hooks(std::move(hooks))
    , m_transcript(deps.arena)
    , m_input(deps.loop, *this)
    , m_view(deps.loop, sink, [this](ViewModel& model) { fill(model); })
{
}

ReplUi::~ReplUi()
{
    if (m_drain_timer)
        m_deps.loop.cancel(*m_drain_timer);
    // The session reports to this observer while it winds down.
    m_session.reset();
}

Result<void> ReplUi::start()
{
    std::string path = m_deps.history_path.empty() ? tui::History::default_path() : m_deps.history_path;
    if (auto h = m_input.open_history(path); !h)
        print(fmt::format("history not loaded: {}", h.error().to_string()), Tone::error);
    // The extra instructions are the tail the start-up appended to ik's own prompt.
    m_base_system_prompt = m_deps.settings.system_prompt;
    m_extra_instructions = m_deps.system_extra;
    if (!m_extra_instructions.empty() && m_base_system_prompt.ends_with("\n\n" + m_extra_instructions))
        m_base_system_prompt.resize(m_base_system_prompt.size() - m_extra_instructions.size() - 2);
    else
        m_extra_instructions.clear();
    m_started_mode = m_deps.settings.approval.mode;
    m_input.set_project_root(
        m_deps.settings.approval.project_root.empty() ? m_deps.settings.cwd : m_deps.settings.approval.project_root);
    TRY(open_session(m_deps.resume_id));
    print(fmt::format("ik · {} · /help for commands · Ctrl-D to quit", m_session->settings().model_spec), Tone::dim);
    install_commands();
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
    m_input.feed(bytes);
    m_view.pump();
}

void ReplUi::read_input(int fd)
{
    char buffer[16384];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            m_input.feed(std::string_view(buffer, static_cast<size_t>(n)));
            if (static_cast<size_t>(n) < sizeof buffer)
                break;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            quit(); // the terminal went away
        break;
    }
    m_view.pump();
}

void ReplUi::interrupt()
{
    if (m_shell.running())
        m_shell.cancel();
    else if (m_session && m_session->busy())
        m_session->cancel();
    if (m_expansion) {
        m_expansion.reset(); // stops its command; nothing is sent
        print("The command was stopped before anything was sent.", Tone::dim);
    }
}

void ReplUi::suspend()
{
    if (m_hooks.suspend)
        m_hooks.suspend();
}

void ReplUi::scroll(const tui::InputAction& action)
{
    tui::Scrollback& sb = m_transcript.scrollback();
    switch (action.scroll) {
    case tui::ScrollKind::page_up:
        sb.page_up();
        break;
    case tui::ScrollKind::page_down:
        sb.page_down();
        break;
    case tui::ScrollKind::lines_up:
        sb.scroll_up(action.lines);
        break;
    case tui::ScrollKind::lines_down:
        sb.scroll_down(action.lines);
        break;
    case tui::ScrollKind::top:
        sb.home();
        break;
    case tui::ScrollKind::bottom:
        sb.end();
        break;
    }
}

void ReplUi::submit(std::string text, std::string_view shown)
{
    m_note.clear();
    // Whatever was sent, its answer arrives at the bottom: follow it.
    m_transcript.scrollback().end();
    if (looks_like_command(text)) {
        run_command(text);
        return;
    }
    if (ShellCommand::is_shell(text)) {
        run_shell(text);
        return;
    }
    if (text.find_first_not_of(" \t\n") == std::string::npos)
        return;
    if (busy()) {
        // Sent when the turn ends; shown above the status line until then.
        m_queued.push_back(std::move(text));
        return;
    }
    ++m_prompts;
    m_transcript.user_prompt(shown);
    // @path mentions of project files go to the model with their text.
    const agent::SessionSettings& settings = m_session->settings();
    agent::Mentions mentions = agent::attach_mentions(text, settings.approval, m_deps.loop, settings.cwd,
        agent::mention_images(m_session->context().limits(), settings.model_spec, m_deps.model));
    for (const std::string& a : mentions.attached)
        print(fmt::format("  attached {}", a), Tone::dim);
    for (const std::string& n : mentions.notes)
        print(n, Tone::dim);
    if (auto r = m_session->submit(mentions.text, mentions.images); !r) {
        print(r.error().to_string(), Tone::error);
        return;
    }
    m_view.set_waiting(true, "Thinking");
}

void ReplUi::fill_status(tui::StatusInfo& status)
{
    status.model = m_session ? std::string_view(m_session->settings().model_spec) : std::string_view();
    if (m_session) {
        const llm::Usage& total = m_session->usage();
        // Until the round's usage is folded into the session's, add it; until
        // the provider reports it at all, estimate (4 bytes a token).
        bool folded = total.input != m_usage_at_round_start.input || total.output != m_usage_at_round_start.output;
        llm::Usage round = m_round_usage;
        bool estimate = false;
        if (m_round_running && !folded && round.input == 0 && round.output == 0) {
            round.input = static_cast<int64_t>(m_request_bytes / 4);
            round.output = static_cast<int64_t>(m_round_text_bytes / 4);
            estimate = true;
        }
        if (folded || !m_round_running)
            round = {};
        status.tokens_in = static_cast<uint64_t>(total.input + round.input);
        status.tokens_out = static_cast<uint64_t>(total.output + round.output);
        status.estimate = estimate;
        // An empty window (after /clear) holds nothing, whatever the last reply cost.
        // After resume, the newest replayed report (no reply yet in this process).
        int64_t context = round.input > 0 ? round.input : m_session->last_usage().input;
        if (context == 0)
            context = m_session->context().accounting().last_prompt_tokens;
        if (m_session->conversation().messages().empty())
            context = 0;
        status.context_used = static_cast<uint64_t>(context);
        // The window from the model catalog, and the session's cost so far.
        status.context_limit = static_cast<uint64_t>(m_session->context().limits().context_window);
        m_cost_text.clear();
        if (double usd = m_session->context().accounting().cost_usd; usd > 0)
            m_cost_text = llm::format_cost(usd);
        status.cost = m_cost_text;
    }
    status.memory_bytes = mem::root().subtree_reserved();
    std::string_view note = m_note;
    if (m_approval.pending())
        note = "y yes · n no · a always";
    else if (!m_input.note().empty())
        note = m_input.note();
    else if (ShellCommand::is_shell(m_input.editor().text()) && !m_input.searching())
        note = "! shell mode · Enter runs it (sandboxed), output to the conversation";
    else if (note.empty() && !m_transcript.scrollback().following())
        note = "scrolled · Ctrl-End to follow";
    status.note = note;
    if (m_session && m_session->settings().approval.mode != agent::ApprovalMode::ask)
        status.mode = agent::to_string(m_session->settings().approval.mode);
}

void ReplUi::fill_panel(int cols, tui::PanelView& panel)
{
    if (m_picker.active()) {
        m_picker.fill(cols, panel);
        return;
    }
    if (m_input.menu_open()) {
        m_input.menu(cols, panel);
        return;
    }
    m_panel_rows.clear();
    m_panel_views.clear();
    for (const std::string& q : m_queued) {
        std::string_view first_line = std::string_view(q).substr(0, q.find('\n'));
        m_panel_rows.push_back(
            panel_row(fmt::format("  queued › {}{}", first_line, first_line.size() < q.size() ? " …" : ""), cols));
    }
    if (!m_queued.empty())
        m_panel_rows.emplace_back("  ↑ to edit · sent when the reply is done · Esc stops the reply");
    for (const auto& r : m_panel_rows)
        m_panel_views.emplace_back(r);
    panel.rows = m_panel_views;
}

void ReplUi::next_mode()
{
    using agent::ApprovalMode;
    ApprovalMode mode = m_session->settings().approval.mode;
    switch (mode) {
    case ApprovalMode::ask:
        mode = ApprovalMode::auto_edit;
        break;
    case ApprovalMode::auto_edit:
        mode = m_started_mode == ApprovalMode::yolo ? ApprovalMode::yolo : ApprovalMode::ask;
        break;
    case ApprovalMode::yolo:
        mode = ApprovalMode::ask;
        break;
    }
    m_session->set_approval_mode(mode);
    output_changed();
}

bool ReplUi::recall_queued(tui::Editor& editor)
{
    if (m_queued.empty())
        return false;
    editor.set_text(m_queued.back());
    m_queued.pop_back();
    return true;
}

void ReplUi::drain_queue()
{
    if (m_queued.empty() || m_drain_timer)
        return;
    m_drain_timer = m_deps.loop.after(std::chrono::milliseconds(0), [this] {
        m_drain_timer.reset();
        if (m_queued.empty() || m_done)
            return;
        if (busy() || m_approval.pending()) { // the turn (or a !command) is still winding down
            drain_queue();
            return;
        }
        std::string text;
        for (const std::string& q : m_queued) {
            if (!text.empty())
                text += "\n\n";
            text += q;
        }
        m_queued.clear();
        submit(text);
        m_view.pump();
    });
}

std::string ReplUi::exit_summary()
{
    if (!m_session || m_session->id().empty())
        return {};
    // The shortest prefix of 8, 12 or all characters that names only this session.
    std::string id(m_session->id());
    std::string shown = id;
    for (size_t n : { size_t{ 8 }, size_t{ 12 } }) {
        if (n >= id.size())
            break;
        auto full = m_deps.store.resolve_id(std::string_view(id).substr(0, n));
        if (full && *full == id) {
            shown = id.substr(0, n);
            break;
        }
    }
    const llm::Usage& usage = m_session->usage();
    char in[16], out[16];
    tui::format_count(in, static_cast<uint64_t>(usage.input));
    tui::format_count(out, static_cast<uint64_t>(usage.output));
    std::string line = fmt::format(
        "ik · session {} · {} prompt{} · in {} · out {}", shown, m_prompts, m_prompts == 1 ? "" : "s", in, out);
    if (double usd = m_session->context().accounting().cost_usd; usd > 0)
        line += fmt::format(" · {}", llm::format_cost(usd));
    line += fmt::format("\nResume with: ik -r {}\n", shown);
    return line;
}

void ReplUi::fill(ViewModel& model)
{
    model.scrollback = &m_transcript.scrollback();
    fill_status(model.status);
    model.approval = m_approval.pending() ? &m_approval.view() : nullptr;
    model.todo
        = m_session ? m_todo_rows.view(m_session->task_list(), busy() ? TurnState::running : TurnState::idle) : nullptr;
    if (!m_approval.pending())
        fill_panel(m_view.size().cols, model.panel);
    m_input.layout(m_view.size().cols, model.input);
    model.input.show_cursor = !m_approval.pending();
}

void ReplUi::shutdown()
{
    m_expansion.reset();
    if (m_approval.pending())
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
