// What a session needs to take checkpoints (docs/safety.md): the project's
// shadow repository and the retention to apply.
//
// The repository is opened at its first use, not at start-up: most runs
// never change a file, and creating a repository costs a start-up that a
// Ctrl-C may already interrupt. Shared: the session, its turns and the
// commands use the one handle (not thread-safe; everything runs on the
// loop). A null `repo`: checkpoints are off (config).
#pragma once

#include <filesystem>
#include <memory>

#include "checkpoint/shadow_repo.h"

namespace ik::agent {

class CheckpointRepo {
public:
    CheckpointRepo(std::filesystem::path dir, std::filesystem::path project)
        : m_dir(std::move(dir))
        , m_project(std::move(project))
    {
    }
    // Opens (or creates) the shadow repository the first time; retried on
    // the next call after a failure. Borrowed pointer, valid while this lives.
    Result<checkpoint::ShadowRepo*> get()
    {
        if (!m_repo)
            m_repo = TRY(checkpoint::ShadowRepo::open(m_dir, m_project));
        return m_repo.get();
    }

private:
    std::filesystem::path m_dir;
    std::filesystem::path m_project;
    std::unique_ptr<checkpoint::ShadowRepo> m_repo;
};

struct CheckpointSettings {
    std::shared_ptr<CheckpointRepo> repo;
    checkpoint::Retention retention;
};

} // namespace ik::agent
