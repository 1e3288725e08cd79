// What a session needs to take checkpoints (docs/safety.md): the project's
// shadow repository, opened by the app, and the retention to apply.
//
// Shared: the session, its turns and /undo use the one repository (its
// handle is not thread-safe; everything runs on the loop). Null: checkpoints
// are off (the config says so, or the repository could not be opened).
#pragma once

#include <memory>

#include "checkpoint/shadow_repo.h"

namespace ik::agent {

struct CheckpointSettings {
    std::shared_ptr<checkpoint::ShadowRepo> repo;
    checkpoint::Retention retention;
};

} // namespace ik::agent
