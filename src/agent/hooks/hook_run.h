// HookRun — one event's hook commands, run one after another on the loop.
//
// Each command is the user's own, so it runs outside the sandbox: `/bin/sh
// -c COMMAND` in the project directory, in its own process group
// (core/process.h), with ik's environment plus IK_PROJECT_DIR and
// CLAUDE_PROJECT_DIR, the event's JSON on stdin, and its output kept up to
// the tools' cap. Nothing blocks the loop: a hook is a child process like a
// bash call. At its timeout the group is killed and the run goes on as if
// that command had not spoken. The first command that blocks (or denies)
// ends the run; the others are not started.
//
//   auto run = HookRun::start(loop, HookEvent::stop, cmds, payload, cwd,
//                             [&](HookOutcome o) { ... });
//
// `done` is called exactly once, from the loop (never from inside start()),
// unless the HookRun is destroyed first, which kills the running command.
// Owns: the running Process and the payload. Borrows: the loop and the
// commands (the session's settings), which must outlive it.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/hooks/hook_outcome.h"
#include "agent/hooks/hook_settings.h"
#include "core/loop.h"
#include "core/process.h"

namespace ik::agent {

class HookRun {
public:
    using Done = std::function<void(HookOutcome outcome)>;

    static std::unique_ptr<HookRun> start(Loop& loop, HookEvent event, std::vector<const HookCommand*> commands,
        std::string payload, std::filesystem::path project_dir, Done done);

    HookRun(Loop& loop, HookEvent event, std::vector<const HookCommand*> commands, std::string payload,
        std::filesystem::path project_dir, Done done);
    ~HookRun();
    HookRun(const HookRun&) = delete;
    HookRun& operator=(const HookRun&) = delete;

    // Ctrl-C: kills the running command; `done` still runs, with what the
    // commands before it said, and the run is marked cancelled.
    void cancel();
    bool cancelled() const { return m_cancelled; }

private:
    void run_next();
    void on_exit(const ProcessResult& result);
    void finish();

    Loop& m_loop;
    HookEvent m_event;
    std::vector<const HookCommand*> m_commands;
    std::string m_payload;
    std::filesystem::path m_project_dir;
    Done m_done;
    HookOutcome m_outcome;
    size_t m_next = 0;
    std::unique_ptr<Process> m_process;
    std::vector<std::unique_ptr<Process>> m_spent; // finished, freed with the run
    std::optional<Loop::TimerId> m_timer;
    bool m_cancelled = false;
};

// ik's environment with IK_PROJECT_DIR and CLAUDE_PROJECT_DIR set to `project_dir`.
std::vector<std::string> hook_environment(char** environment, const std::filesystem::path& project_dir);

} // namespace ik::agent
