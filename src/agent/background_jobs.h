// Background jobs: commands the model started with `bash` and
// `background: true` — a dev server, a test watcher — that keep running
// while the conversation goes on.
//
// Each job runs on a pseudo-terminal (core/process.h, ProcessOptions::pty)
// inside the session's sandbox, in its own process group. Its output goes
// into a ring of fixed size carved once from the job's own arena (a child of
// the session's), so a chatty server costs `ring_bytes` however long it runs;
// readers ask for the bytes since an offset and are told what the ring
// dropped. The tools process_output, process_input and process_kill and the
// REPL's /ps reach jobs through this registry; destroying it (the session
// ends, ik exits) kills every job's process group.
//
// Owns: the jobs (their processes and arenas). Borrows: the loop and the
// parent arena, which outlive it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/loop.h"
#include "core/process.h"
#include "core/result.h"

namespace ik::agent {

class BackgroundJobs {
public:
    static constexpr size_t ring_bytes = size_t{ 64 } * 1024;
    static constexpr size_t max_running = 8;

    struct Job {
        std::string id; // "bg1"
        std::string command;
        std::chrono::system_clock::time_point started{};
        pid_t pid = -1;
        bool running = true;
        int exit_code = -1; // when it exited
        int term_signal = 0; // when a signal ended it
        size_t total = 0; // bytes of output ever received
    };

    // What a reader gets: the bytes from `from` to `to` (offsets in the job's
    // whole output); `dropped` bytes before `from` were past the ring.
    struct Output {
        std::string text;
        size_t from = 0;
        size_t to = 0;
        size_t dropped = 0;
    };

    BackgroundJobs(Loop& loop, mem::Arena& parent);
    ~BackgroundJobs();
    BackgroundJobs(const BackgroundJobs&) = delete;
    BackgroundJobs& operator=(const BackgroundJobs&) = delete;

    // Starts `argv` (already wrapped in the sandbox, whose fd 3 it gets:
    // Sandbox::command_fd3()) on a pty. `command` is what the model asked
    // for, shown by /ps. invalid_argument when max_running jobs run already.
    Result<const Job*> start(std::string command, std::vector<std::string> argv, std::filesystem::path cwd,
        std::vector<std::string> env, std::optional<std::string> fd3 = std::nullopt);

    const Job* find(std::string_view id) const;
    // The output since `since` (clamped to what the ring still holds).
    Result<Output> output(std::string_view id, size_t since) const;
    Result<void> input(std::string_view id, std::string_view text);
    // SIGTERM to the job's group, SIGKILL after a grace; the job stays listed
    // (with how it ended) so its last output can still be read.
    Result<void> kill(std::string_view id);

    std::vector<const Job*> list() const;
    size_t running() const;

private:
    struct Entry;
    Entry* entry(std::string_view id) const;

    Loop& m_loop;
    mem::Arena m_arena; // "jobs": each job's arena is a child of it
    std::vector<std::unique_ptr<Entry>> m_entries;
    unsigned m_next_id = 1;
};

} // namespace ik::agent
