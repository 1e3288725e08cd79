#include "agent/turn_checkpoint.h"

#include <algorithm>

#include <fmt/format.h>

#include "store/records.h"

namespace ik::agent {

void TurnCheckpoint::set_prompt(std::string_view prompt)
{
    std::string_view line = prompt.substr(0, prompt.find('\n'));
    m_prompt = line.substr(0, 120);
    // A cut in the middle of a UTF-8 sequence: drop the partial character.
    while (!m_prompt.empty() && (static_cast<unsigned char>(m_prompt.back()) & 0xC0) == 0x80)
        m_prompt.pop_back();
    if (!m_prompt.empty() && static_cast<unsigned char>(m_prompt.back()) >= 0xC0)
        m_prompt.pop_back();
}

void TurnCheckpoint::before_call(ToolKind kind, SessionObserver& observer)
{
    if (m_tried || !m_settings.repo || (kind != ToolKind::edits && kind != ToolKind::runs))
        return;
    m_tried = true;
    auto repo = m_settings.repo->get();
    if (!repo) {
        observer.on_notice(
            fmt::format("no checkpoint for this turn (/undo cannot take it back): {}", repo.error().to_string()));
        return;
    }
    m_repo = *repo;
    auto id = m_repo->snapshot(fmt::format("ik: before the turn \"{}\"", m_prompt));
    if (!id) {
        observer.on_notice(
            fmt::format("no checkpoint for this turn (/undo cannot take it back): {}", id.error().to_string()));
        return;
    }
    m_pre = std::move(*id);
}

void TurnCheckpoint::after_turn(Recorder& recorder, SessionObserver& observer)
{
    if (m_pre.empty())
        return;
    checkpoint::ShadowRepo& repo = *m_repo;
    auto post = repo.snapshot(fmt::format("ik: after the turn \"{}\"", m_prompt), m_pre);
    if (!post) {
        observer.on_notice(fmt::format("no checkpoint for this turn: {}", post.error().to_string()));
        return;
    }
    mem::Arena scratch(mem::root(), "checkpoint");
    auto changed = repo.changes(scratch, m_pre, *post);
    if (!changed) {
        observer.on_notice(fmt::format("no checkpoint for this turn: {}", changed.error().to_string()));
        return;
    }
    if (changed->empty())
        return; // nothing to take back
    int64_t now = store::now_ms();
    std::string label(recorder.id());
    if (auto kept = repo.keep(now, label, *post); !kept) {
        observer.on_notice(fmt::format("no checkpoint for this turn: {}", kept.error().to_string()));
        return;
    }
    size_t listed = std::min(changed->size(), store::checkpoint_files_cap);
    auto* files = scratch.make_array<store::CheckpointFile>(listed);
    for (size_t i = 0; i < listed; ++i) {
        const checkpoint::ChangedFile& f = (*changed)[i];
        files[i] = { .change = scratch.copy(std::string(1, static_cast<char>(f.change))), .path = f.path };
    }
    std::string project = repo.project().string();
    std::string ref = fmt::format("{:013}-{}", now, label);
    auto seq = recorder.record(store::CheckpointRecord{ .project = project,
        .pre = m_pre,
        .post = *post,
        .ref = ref,
        .prompt = m_prompt,
        .files = { files, listed },
        .files_total = static_cast<int64_t>(changed->size()) });
    if (!seq)
        observer.on_notice(fmt::format("the checkpoint could not be recorded: {}", seq.error().to_string()));
    if (auto pruned = repo.prune(m_settings.retention, now); !pruned)
        observer.on_notice(fmt::format("checkpoint retention failed: {}", pruned.error().to_string()));
}

} // namespace ik::agent
