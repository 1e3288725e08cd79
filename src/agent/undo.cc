#include "agent/undo.h"

#include <algorithm>

#include <fmt/format.h>

#include "store/records.h"

namespace ik::agent {

std::filesystem::path default_checkpoints_dir()
{
    return std::filesystem::path(store::default_sqlite_path()).parent_path() / "checkpoints";
}

Result<std::span<const CheckpointEntry>> load_checkpoints(
    mem::Arena& arena, store::Store& store, std::string_view session_id)
{
    std::vector<CheckpointEntry> out;
    store::EventSink sink = [&](const store::Event& e) -> Result<void> {
        if (e.kind == store::EventKind::checkpoint) {
            auto r = TRY(store::CheckpointRecord::parse(arena, e.data));
            auto* files = arena.make_array<std::string_view>(r.files.size());
            for (size_t i = 0; i < r.files.size(); ++i)
                files[i] = arena.copy(fmt::format("{} {}", r.files[i].change, r.files[i].path));
            out.push_back({ .seq = e.seq,
                .time = e.created_at,
                .prompt = r.prompt,
                .project = r.project,
                .pre = r.pre,
                .post = r.post,
                .ref = r.ref,
                .files = { files, r.files.size() },
                .files_total = r.files_total,
                .undone = false });
        } else if (e.kind == store::EventKind::undo) {
            auto r = TRY(store::UndoRecord::parse(arena, e.data));
            for (CheckpointEntry& c : out)
                if (c.seq == r.checkpoint)
                    c.undone = true;
        }
        return {};
    };
    TRY(store.load_events(session_id, 0, sink));
    auto* array = arena.make_array<CheckpointEntry>(out.size());
    std::copy(out.begin(), out.end(), array);
    return std::span<const CheckpointEntry>(array, out.size());
}

Result<Undo> Undo::prepare(
    mem::Arena& arena, store::Store& store, std::string_view session_id, const std::filesystem::path& checkpoints_dir)
{
    auto all = TRY(load_checkpoints(arena, store, session_id));
    const CheckpointEntry* target = nullptr;
    for (auto it = all.rbegin(); it != all.rend() && !target; ++it)
        if (!it->undone)
            target = &*it;
    if (!target)
        return fail(ErrorCode::not_found, "nothing to undo: session {} has no checkpoint left to take back",
            session_id.substr(0, 12));
    Undo undo;
    undo.m_session = arena.copy(session_id);
    undo.m_entry = *target;
    undo.m_repo = TRY(checkpoint::ShadowRepo::open(checkpoints_dir, target->project));
    // Retention dropped its name (its objects may linger until collected).
    bool kept = false;
    for (const checkpoint::Kept& k : TRY(undo.m_repo->kept(arena)))
        kept = kept || k.name == target->ref;
    if (!kept || !undo.m_repo->has_commit(target->pre) || !undo.m_repo->has_commit(target->post))
        return fail(ErrorCode::not_found,
            "the checkpoint of \"{}\" is no longer kept (checkpoints.keep / max_age_days pruned it)", target->prompt);
    undo.m_files = TRY(undo.m_repo->changes(arena, target->pre, target->post));
    undo.m_conflicts = TRY(undo.m_repo->changed_since(arena, target->post, undo.m_files));
    return undo;
}

Result<size_t> Undo::apply(store::Store& store, UndoForce force)
{
    if (!m_conflicts.empty() && force == UndoForce::no) {
        std::string names;
        for (std::string_view c : m_conflicts)
            names += fmt::format("{}{}", names.empty() ? "" : ", ", c);
        return fail(ErrorCode::denied, "not undone: {} changed after the turn: {} (--force overwrites them)",
            m_conflicts.size() == 1 ? "a file" : "files", names);
    }
    size_t n = TRY(m_repo->restore(m_entry.pre, m_files));
    mem::Arena scratch(mem::root(), "undo record");
    store::UndoRecord record{ .checkpoint = m_entry.seq,
        .files = static_cast<int64_t>(n),
        .forced = force == UndoForce::yes && !m_conflicts.empty() };
    TRY_CONTEXT(store.append(m_session, store::UndoRecord::kind, record.to_json(scratch)),
        "the files were restored, but the undo could not be recorded");
    return n;
}

} // namespace ik::agent
