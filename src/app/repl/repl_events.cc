// ReplUi: what the session reports (streamed text, thinking, tool calls,
// approvals, notices) and what slash commands do, turned into scrollback
// lines. Input and frames are in repl_ui.cc.
#include <fmt/format.h>

#include "app/repl/repl_ui.h"
#include "tui/widgets.h"

namespace ik::app {
namespace {

tui::Style tone_style(Tone tone)
{
    switch (tone) {
    case Tone::normal:
        return {};
    case Tone::dim:
        return tui::Style{}.with(tui::attr_dim);
    case Tone::error:
        return tui::Style{}.with_fg(tui::color::red);
    }
    return {};
}

// The command's exit status when it has one; for other tools 0 or 1.
std::optional<int> exit_code_of(const agent::ToolResult& result)
{
    if (result.exit_code)
        return result.exit_code;
    return result.is_error ? 1 : 0;
}

std::string approval_title(const agent::ApprovalRequest& request)
{
    if (request.tool == "bash")
        return "Run this command?";
    if (!request.preview.path.empty())
        return fmt::format("{} {}?", request.tool == "write_file" ? "Write" : "Edit", request.preview.path);
    return fmt::format("Run {}?", request.tool);
}

} // namespace

void ReplUi::print(std::string_view text, Tone tone)
{
    end_thinking();
    end_reply();
    m_lines.clear();
    tui::Style style = tone_style(tone);
    size_t start = 0;
    while (true) {
        size_t nl = text.find('\n', start);
        m_lines.begin_line();
        m_lines.add(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start), style);
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    m_scrollback->append(m_lines);
    redraw(tui::Screen::Redraw::output);
}

void ReplUi::show_user_prompt(std::string_view text)
{
    m_lines.clear();
    m_lines.blank_line();
    tui::Style style = tui::Style{}.with(tui::attr_bold);
    size_t start = 0;
    bool first = true;
    while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        m_lines.begin_line();
        m_lines.add(first ? "› " : "  ", tui::Style{}.with_fg(tui::color::cyan));
        m_lines.add_prefix("  ");
        m_lines.add(line, style);
        first = false;
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    m_lines.blank_line();
    m_scrollback->append(m_lines);
    redraw(tui::Screen::Redraw::input);
}

// A resumed session's conversation, as it would have been shown live.
void ReplUi::show_history()
{
    for (const llm::Message& m : m_session->conversation().messages()) {
        switch (m.role) {
        case llm::Role::user:
            show_user_prompt(m.text);
            break;
        case llm::Role::assistant:
            if (!m.text.empty()) {
                m_reply->append(m.text);
                m_reply->finish();
                m_reply->reset();
            }
            for (const auto& call : m.tool_calls) {
                std::string args(call.arguments.substr(0, 200));
                print(fmt::format("● {} {}", call.name, args), Tone::dim);
            }
            break;
        case llm::Role::tool:
            break;
        }
    }
    print(
        fmt::format("Resumed session {} ({} messages).", m_session->id(), m_session->conversation().messages().size()),
        Tone::dim);
}

void ReplUi::end_reply()
{
    if (!m_in_reply)
        return;
    m_in_reply = false;
    m_reply->finish();
    m_reply->reset();
}

void ReplUi::end_thinking()
{
    if (!m_in_thinking)
        return;
    m_in_thinking = false;
    // Thinking is shown collapsed: one dim line saying how long and how much.
    auto elapsed = std::chrono::duration<double>(Loop::now() - m_thinking_started).count();
    char count[16];
    tui::format_count(count, m_thinking_bytes);
    m_lines.clear();
    m_lines.begin_line();
    m_lines.add(fmt::format("✻ Thought for {:.1f}s ({} chars)", elapsed, count),
        tui::Style{}.with(tui::attr_dim | tui::attr_italic));
    m_scrollback->append(m_lines);
    m_thinking_bytes = 0;
}

void ReplUi::on_round_start(int /*round*/)
{
    m_round_usage = {};
    set_waiting(true, "Thinking");
}

void ReplUi::on_model_event(const llm::Event& event)
{
    switch (event.kind) {
    case llm::EventKind::thinking_delta:
        if (!m_in_thinking) {
            end_reply();
            m_in_thinking = true;
            m_thinking_started = Loop::now();
        }
        m_thinking_bytes += event.text.size();
        if (!m_waiting)
            set_waiting(true, "Thinking");
        redraw(tui::Screen::Redraw::output);
        break;
    case llm::EventKind::text_delta:
        end_thinking();
        if (m_waiting)
            set_waiting(false);
        m_in_reply = true;
        m_reply->append(event.text);
        redraw(tui::Screen::Redraw::output);
        break;
    case llm::EventKind::tool_call_start:
        end_thinking();
        end_reply();
        set_waiting(true, fmt::format("Preparing {}", event.name));
        break;
    case llm::EventKind::usage:
        m_round_usage = event.usage;
        redraw(tui::Screen::Redraw::output);
        break;
    default:
        break;
    }
}

void ReplUi::on_tool_start(const llm::ToolCall& call, const agent::ApprovalRequest& request)
{
    end_thinking();
    end_reply();
    m_round_usage = {}; // the round is over: its usage is in session().usage()
    const auto& p = request.preview;
    std::string what = !p.command.empty() ? p.command : !p.path.empty() ? p.path : std::string(call.arguments);
    m_tools[std::string(call.id)] = RunningTool{ std::string(call.name), std::move(what) };
    std::string label = fmt::format("Running {}", call.name);
    set_waiting(true, label);
}

void ReplUi::on_tool_result(const llm::ToolCall& call, const agent::ToolResult& result)
{
    auto it = m_tools.find(call.id);
    std::string name(call.name);
    std::string command = it != m_tools.end() ? it->second.command : std::string(call.arguments);
    if (it != m_tools.end())
        m_tools.erase(it);
    tui::ToolCallView view;
    view.name = name;
    view.command = command;
    view.exit_code = exit_code_of(result);
    view.output = result.content;
    m_lines.clear();
    tui::render_tool_call(m_lines, view);
    m_scrollback->append(m_lines);
    set_waiting(false);
}

void ReplUi::on_tool_denied(const llm::ToolCall& call, const agent::Decision& decision, std::string_view /*message*/)
{
    print(fmt::format("✗ {} not run: {}", call.name, decision.reason), Tone::dim);
}

void ReplUi::on_turn_end(const agent::TurnOutcome& outcome)
{
    end_thinking();
    end_reply();
    set_waiting(false);
    m_round_usage = {};
    m_tools.clear();
    if (outcome.error && !(outcome.interrupted && outcome.error->code() == ErrorCode::interrupted))
        print(outcome.error->to_string(), Tone::error);
    if (outcome.interrupted)
        print("Interrupted.", Tone::dim);
    if (outcome.hit_tool_limit)
        print("Stopped: the tool-call limit for one prompt was reached.", Tone::dim);
    redraw(tui::Screen::Redraw::input);
}

void ReplUi::on_notice(std::string_view text)
{
    print(text, Tone::dim);
}

void ReplUi::ask_approval(const agent::ApprovalRequest& request, std::function<void(agent::UserAnswer)> answer)
{
    end_thinking();
    end_reply();
    set_waiting(false);
    m_approval = PendingApproval{ request, std::move(answer), approval_title(request) };
    m_note = "y yes · n no · a always";
    redraw(tui::Screen::Redraw::input);
}

void ReplUi::handle_approval_key(const tui::KeyEvent& key)
{
    if (key.is_char('c', tui::mod_ctrl)) {
        // Cancel first: the turn sees the cancellation when the answer comes.
        if (m_session->busy())
            m_session->cancel();
        answer_approval(agent::UserAnswer::no);
        return;
    }
    if (key.is_char('z', tui::mod_ctrl)) {
        if (m_hooks.suspend)
            m_hooks.suspend();
        return;
    }
    if (key.key == tui::Key::Escape) {
        answer_approval(agent::UserAnswer::no);
        return;
    }
    if (key.key != tui::Key::Text || key.text.size() != 1)
        return;
    switch (key.text[0]) {
    case 'y':
    case 'Y':
        answer_approval(agent::UserAnswer::yes);
        break;
    case 'n':
    case 'N':
        answer_approval(agent::UserAnswer::no);
        break;
    case 'a':
    case 'A':
        answer_approval(agent::UserAnswer::always);
        break;
    default:
        break;
    }
}

void ReplUi::answer_approval(agent::UserAnswer answer)
{
    if (!m_approval)
        return;
    PendingApproval pending = std::move(*m_approval);
    m_approval.reset();
    m_note.clear();
    std::string_view what = pending.request.preview.command.empty() ? std::string_view(pending.request.preview.path)
                                                                    : std::string_view(pending.request.preview.command);
    std::string_view verdict = answer == agent::UserAnswer::yes ? "approved"
        : answer == agent::UserAnswer::always                   ? "approved (always, this session)"
                                                                : "denied";
    print(fmt::format("{} {}: {}", answer == agent::UserAnswer::no ? "✗" : "✓", verdict, what), Tone::dim);
    redraw(tui::Screen::Redraw::input);
    pending.answer(answer);
}

void ReplUi::run_command(std::string_view line)
{
    print(line, Tone::dim);
    auto parsed = parse_command(line);
    if (!parsed) {
        print("Not a command: type /help for the list.", Tone::error);
        return;
    }
    if (auto r = m_session->record_command(line); !r)
        print(r.error().to_string(), Tone::error);
    const SlashCommand* command = find_command(parsed->name);
    if (!command) {
        print(fmt::format("Unknown command /{}: /help lists the commands.", parsed->name), Tone::error);
        return;
    }
    bool safe_while_busy = command->name == "help" || command->name == "usage" || command->name == "mem"
        || command->name == "exit" || command->name == "sessions";
    if (m_session->busy() && !safe_while_busy) {
        print(fmt::format("/{} has to wait until the reply is done (Ctrl-C stops it).", command->name), Tone::error);
        return;
    }
    if (auto r = command->run(*this, parsed->args); !r)
        print(r.error().message(), Tone::error);
}

void ReplUi::clear_scrollback()
{
    end_thinking();
    end_reply();
    m_scrollback->clear();
    redraw(tui::Screen::Redraw::input);
}

Result<ModelChoice> ReplUi::resolve_model(std::string_view spec)
{
    if (!m_deps.resolve_model)
        return fail(ErrorCode::config, "switching models is not available in this build");
    return m_deps.resolve_model(spec);
}

Result<void> ReplUi::resume(std::string_view id)
{
    if (m_session->busy())
        return fail(ErrorCode::invalid_argument, "a reply is running; stop it first");
    agent::SessionDeps deps{ m_deps.loop, m_deps.store, m_deps.model, *this, m_deps.arena };
    agent::SessionSettings settings = m_session->settings();
    auto next = TRY(agent::Session::create(deps, std::move(settings), id));
    m_session = std::move(next);
    clear_scrollback();
    show_history();
    return {};
}

} // namespace ik::app
