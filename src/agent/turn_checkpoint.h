// TurnCheckpoint — the checkpoint of one turn (docs/safety.md).
//
// Before the turn's first call that may change files (a tool whose kind is
// `edits` or `runs`: file tools and commands alike) the project is
// snapshotted into the shadow repository; when the turn ends, a second
// snapshot says what the turn changed, and a `checkpoint` event records both
// commits and the changed files, so /undo and `ik undo` can put the files
// back after a restart. A turn that changed nothing records nothing. Then the
// retention runs (cheap unless a checkpoint is dropped).
//
// A snapshot that fails (a full disk, a permission) never fails the turn: a
// notice says so and the turn goes on without a checkpoint.
//
// Owns: the pre-turn commit id and the prompt excerpt (heap, short).
// Borrows: the settings' repository (shared), the recorder and observer per call.
#pragma once

#include <string>
#include <string_view>

#include "agent/checkpoint_settings.h"
#include "agent/recorder.h"
#include "agent/session_types.h"
#include "agent/tools/tool.h"

namespace ik::agent {

class TurnCheckpoint {
public:
    explicit TurnCheckpoint(const CheckpointSettings& settings)
        : m_settings(settings)
    {
    }

    void set_prompt(std::string_view prompt);
    // Before a call of `kind` runs: the pre-turn snapshot, the first time.
    void before_call(ToolKind kind, SessionObserver& observer);
    // When the turn ends: the post-turn snapshot, the record, the retention.
    void after_turn(Recorder& recorder, SessionObserver& observer);

private:
    const CheckpointSettings& m_settings;
    std::string m_prompt;
    checkpoint::ShadowRepo* m_repo = nullptr; // borrowed from the settings once opened
    std::string m_pre; // empty: no snapshot (yet, or it failed)
    bool m_tried = false;
};

} // namespace ik::agent
