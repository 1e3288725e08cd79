// ReplUi: start-up, input and frames. The observer callbacks and the
// command host are in repl_events.cc.
#include "app/repl/repl_ui.h"

#include <fmt/format.h>

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
    m_input.feed(bytes);
    m_view.pump();
}

void ReplUi::interrupt()
{
    if (m_session && m_session->busy())
        m_session->cancel();
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

void ReplUi::submit(std::string text)
{
    m_note.clear();
    // Whatever was sent, its answer arrives at the bottom: follow it.
    m_transcript.scrollback().end();
    if (looks_like_command(text)) {
        run_command(text);
        return;
    }
    if (text.find_first_not_of(" \t\n") == std::string::npos)
        return;
    if (m_session->busy()) {
        m_input.editor().set_text(text);
        print("A reply is still running: wait for it, or Esc to stop it.", Tone::dim);
        return;
    }
    m_transcript.user_prompt(text);
    if (auto r = m_session->submit(text); !r) {
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
    else if (note.empty() && !m_transcript.scrollback().following())
        note = "scrolled · Ctrl-End to follow";
    status.note = note;
}

void ReplUi::fill(ViewModel& model)
{
    model.scrollback = &m_transcript.scrollback();
    fill_status(model.status);
    model.approval = m_approval.pending() ? &m_approval.view() : nullptr;
    m_input.layout(m_view.size().cols, model.input);
    model.input.show_cursor = !m_approval.pending();
}

void ReplUi::shutdown()
{
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
