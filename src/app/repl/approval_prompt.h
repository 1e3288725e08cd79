// ApprovalPrompt — one tool call waiting for the person's y / n / a.
//
// It keeps the request, the callback that resumes the turn, the box's
// title, the rule "a" (always) would add (shown before answering), and the
// box's scroll position, and turns keys into an answer: y / n / a, Esc or
// Ctrl-C (no), and ↑ ↓ PgUp PgDn Home End / j k / space to scroll a command
// taller than the box. view() describes the box for the frame.
//
// Owns the pending request and its callback; borrows nothing.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "agent/approval.h"
#include "tui/approval_box.h"
#include "tui/keys.h"

namespace ik::app {

class ApprovalPrompt {
public:
    enum class KeyResult { none, answered, cancel, suspend };

    // A request that comes while another is open (two sub-agents ask at
    // once) waits behind it and opens when that one is answered.
    void open(const agent::ApprovalRequest& request, std::function<void(agent::UserAnswer)> answer,
        const std::filesystem::path& project_root);
    bool pending() const { return m_pending.has_value(); }

    // `page_rows`: the box's body height; `total_rows`: its body rows at
    // the current width (scrolling stops at the end).
    KeyResult handle_key(const tui::KeyEvent& key, int page_rows, int total_rows);
    // The answer picked by the key that returned `answered`.
    std::optional<agent::UserAnswer> chosen();

    // Closes the prompt, logs what was decided ("✓ approved: git status")
    // and resumes the turn with `answer`. Nothing when nothing is pending.
    void answer(agent::UserAnswer answer, const std::function<void(std::string_view)>& log);

    // The box; borrows this prompt until the next change.
    const tui::ApprovalView& view();

private:
    struct Pending {
        agent::ApprovalRequest request;
        std::function<void(agent::UserAnswer)> answer;
        std::string title;
        std::string always; // the rule "a" adds, as shown
    };
    KeyResult scroll_or_answer(const tui::KeyEvent& key, int page);

    std::optional<Pending> m_pending;
    std::deque<Pending> m_waiting; // behind m_pending, in order
    std::optional<agent::UserAnswer> m_chosen;
    int m_scroll = 0;
    tui::ApprovalView m_view;
};

} // namespace ik::app
