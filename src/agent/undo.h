// Undo — taking a turn's file changes back (/undo, `ik undo`; docs/safety.md).
//
// A session's checkpoints are its `checkpoint` events; an `undo` event marks
// one as taken back. Undo takes the newest checkpoint not yet undone, so it
// can be repeated turn by turn. It restores, in the project, exactly the
// files that checkpoint's turn changed (by any tool or command): each goes
// back to its content before the turn; files the turn created are removed;
// files it deleted come back.
//
// It never overwrites a later change of the user's silently: prepare()
// snapshots the project and lists, in `conflicts`, the files the undo would
// touch that differ from the turn's end. The caller asks (REPL) or refuses
// unless forced (headless), then calls apply().
//
//   mem::Arena scratch(mem::root(), "undo");
//   Undo undo = TRY(Undo::prepare(scratch, store, session_id, checkpoints_dir));
//   if (!undo.conflicts().empty() && !force) return refuse(undo.conflicts());
//   size_t files = TRY(undo.apply(store, UndoForce::yes));
//
// Memory: everything prepare() returns lives in the arena it is given; an
// Undo owns its shadow repository handle.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string_view>

#include "checkpoint/shadow_repo.h"
#include "core/arena.h"
#include "core/result.h"
#include "store/store.h"

namespace ik::agent {

// One checkpoint of a session, as recorded.
struct CheckpointEntry {
    int64_t seq = 0; // the checkpoint event
    store::TimeMs time = 0;
    std::string_view prompt{};
    std::string_view project{};
    std::string_view pre{};
    std::string_view post{};
    std::string_view ref{}; // its name in the shadow repository, while retention keeps it
    std::span<const std::string_view> files{}; // "M path", at most store::checkpoint_files_cap
    int64_t files_total = 0;
    bool undone = false;
};

// The session's checkpoints, oldest first. Returns memory in `arena`.
Result<std::span<const CheckpointEntry>> load_checkpoints(
    mem::Arena& arena, store::Store& store, std::string_view session_id);

enum class UndoForce : bool { no, yes };

class Undo {
public:
    // The newest checkpoint of `session_id` not yet undone, checked against
    // the project as it is now. not_found when there is none; not_found too
    // when retention has dropped its commits.
    static Result<Undo> prepare(mem::Arena& arena, store::Store& store, std::string_view session_id,
        const std::filesystem::path& checkpoints_dir);

    const CheckpointEntry& entry() const { return m_entry; }
    // What the undo writes or removes, and which of them changed after the turn.
    std::span<const checkpoint::ChangedFile> files() const { return m_files; }
    std::span<const std::string_view> conflicts() const { return m_conflicts; }

    // Restores the files and records the undo; returns how many files it
    // wrote or removed. Refuses (ErrorCode::denied) over conflicts unless forced.
    Result<size_t> apply(store::Store& store, UndoForce force);

private:
    Undo() = default;
    std::string_view m_session;
    CheckpointEntry m_entry;
    std::shared_ptr<checkpoint::ShadowRepo> m_repo;
    std::span<const checkpoint::ChangedFile> m_files;
    std::span<const std::string_view> m_conflicts;
};

// "$XDG_DATA_HOME/ik/checkpoints" (else ~/.local/share/ik/checkpoints): beside the store's default file.
std::filesystem::path default_checkpoints_dir();

} // namespace ik::agent
