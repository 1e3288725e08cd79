#include "app/repl/approval_prompt.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/session_rule.h"
#include "app/repl/tool_outcome.h"

namespace ik::app {
namespace {

std::string title_for(const agent::ApprovalRequest& request)
{
    switch (request.kind) {
    case ToolKind::runs:
        if (!request.preview.command.empty())
            return "Run this command?";
        break;
    case ToolKind::edits:
        if (!request.preview.path.empty())
            return fmt::format("{} {}?", request.preview.diff.empty() ? "Write" : "Edit", request.preview.path);
        break;
    case ToolKind::network:
        if (!request.preview.command.empty()) // web_fetch: the URL is shown below
            return fmt::format("{}: fetch this URL?", request.tool);
        break;
    case ToolKind::reads:
        break;
    }
    return fmt::format("Run {}?", request.tool);
}

} // namespace

void ApprovalPrompt::open(const agent::ApprovalRequest& request, std::function<void(agent::UserAnswer)> answer,
    const std::filesystem::path& project_root)
{
    std::string title = title_for(request);
    if (!request.agent.empty()) // a sub-agent's call: say whose
        title = fmt::format("{} asks: {}", request.agent, title);
    Pending p{ request, std::move(answer), std::move(title), agent::derive_session_rule(request, project_root).shown };
    if (m_pending) {
        m_waiting.push_back(std::move(p));
        return;
    }
    m_pending = std::move(p);
    m_scroll = 0;
}

ApprovalPrompt::KeyResult ApprovalPrompt::handle_key(const tui::KeyEvent& key, int page_rows, int total_rows)
{
    if (!m_pending)
        return KeyResult::none;
    KeyResult r = scroll_or_answer(key, std::max(1, page_rows - 1));
    m_scroll = std::clamp(m_scroll, 0, std::max(0, total_rows - std::max(1, page_rows - 1)));
    return r;
}

ApprovalPrompt::KeyResult ApprovalPrompt::scroll_or_answer(const tui::KeyEvent& key, int page)
{
    if (key.is_char('c', tui::mod_ctrl))
        return KeyResult::cancel;
    if (key.is_char('z', tui::mod_ctrl))
        return KeyResult::suspend;
    switch (key.key) {
    case tui::Key::Escape:
        m_chosen = agent::UserAnswer::no;
        return KeyResult::answered;
    case tui::Key::Up:
    case tui::Key::WheelUp:
        m_scroll = std::max(0, m_scroll - 1);
        return KeyResult::none;
    case tui::Key::Down:
    case tui::Key::WheelDown:
        ++m_scroll;
        return KeyResult::none;
    case tui::Key::PageUp:
        m_scroll = std::max(0, m_scroll - page);
        return KeyResult::none;
    case tui::Key::PageDown:
        m_scroll += page;
        return KeyResult::none;
    case tui::Key::Home:
        m_scroll = 0;
        return KeyResult::none;
    case tui::Key::End:
        m_scroll = 1 << 20; // clamped when drawn
        return KeyResult::none;
    default:
        break;
    }
    if (key.key != tui::Key::Text || key.text.size() != 1)
        return KeyResult::none;
    switch (key.text[0]) {
    case 'y':
    case 'Y':
        m_chosen = agent::UserAnswer::yes;
        return KeyResult::answered;
    case 'n':
    case 'N':
        m_chosen = agent::UserAnswer::no;
        return KeyResult::answered;
    case 'a':
    case 'A':
        m_chosen = agent::UserAnswer::always;
        return KeyResult::answered;
    case 'j':
    case ' ':
        m_scroll += key.text[0] == ' ' ? page : 1;
        return KeyResult::none;
    case 'k':
        m_scroll = std::max(0, m_scroll - 1);
        return KeyResult::none;
    default:
        return KeyResult::none;
    }
}

std::optional<agent::UserAnswer> ApprovalPrompt::chosen()
{
    auto c = m_chosen;
    m_chosen.reset();
    return c;
}

void ApprovalPrompt::answer(agent::UserAnswer answer, const std::function<void(std::string_view)>& log)
{
    if (!m_pending)
        return;
    Pending pending = std::move(*m_pending);
    m_pending.reset();
    m_chosen.reset();
    if (!m_waiting.empty()) { // the next question opens as this one is answered
        m_pending = std::move(m_waiting.front());
        m_waiting.pop_front();
        m_scroll = 0;
    }
    const auto& preview = pending.request.preview;
    std::string_view what
        = preview.command.empty() ? std::string_view(preview.path) : std::string_view(preview.command);
    std::string line;
    switch (answer) {
    case agent::UserAnswer::yes:
        line = fmt::format("✓ approved: {}", what);
        break;
    case agent::UserAnswer::always:
        line = fmt::format("✓ approved: {} · always this session: {}", what, pending.always);
        break;
    case agent::UserAnswer::no:
        line = fmt::format("✗ denied: {}", what);
        break;
    }
    log(line);
    pending.answer(answer);
}

const tui::ApprovalView& ApprovalPrompt::view()
{
    m_view = {};
    if (m_pending) {
        const auto& preview = m_pending->request.preview;
        m_view.title = m_pending->title;
        m_view.command = preview.command.empty() ? std::string_view(preview.path) : std::string_view(preview.command);
        m_view.diff = preview.diff;
        m_view.always_rule = m_pending->always;
        m_view.scroll = m_scroll;
    }
    return m_view;
}

} // namespace ik::app
