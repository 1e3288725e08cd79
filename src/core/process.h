// ik::Process — a child process watched by the one event loop.
//
// Tools run commands without blocking the loop (design.md §6): the child's
// stdout and stderr arrive through non-blocking pipes the Loop watches, and
// its exit through a pidfd (Linux >= 5.3), so a key press is still drawn
// while a command runs. The child is started with posix_spawn as the leader
// of its own process group, with stdin on /dev/null, an empty signal mask
// and default signal dispositions (ik::Loop blocks the signals it watches;
// a child must not inherit that). A timeout or cancel() signals the whole
// group — SIGTERM, then SIGKILL after a grace — so `sleep 100 &` inside a
// command dies with it. When the leader exits, whatever is left of its group
// is killed too: a tool call never leaves processes behind.
//
// Output is kept up to a byte cap per stream; the rest is read (so the child
// never blocks on a full pipe), counted and dropped.
//
//   ProcessOptions o{.command = "make", .cwd = dir, .timeout = 120s};
//   auto p = TRY(Process::spawn(loop, std::move(o), [&](ProcessResult r) {...}));
//   // later, on Ctrl-C: p->cancel();
//
// Owns: the pipes, the pidfd, the child (reaped; killed with its group if
// the Process dies first). Borrows: the Loop, which must outlive it.
// on_exit is called exactly once, from the loop, as the last thing the
// Process does, so the callback may destroy the Process.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "core/loop.h"
#include "core/result.h"

namespace ik {

enum class OutputMode {
    separate, // stdout and stderr captured apart
    merged, // stderr goes into the stdout pipe: one interleaved stream
};

struct ProcessOptions {
    std::string command{}; // run as /bin/bash -c COMMAND, unless argv is set
    std::vector<std::string> argv{}; // argv[0] is looked up in PATH
    std::filesystem::path cwd{}; // empty: ik's own working directory
    std::chrono::milliseconds timeout{ 0 }; // 0: none
    std::chrono::milliseconds kill_grace{ 2000 }; // SIGTERM -> SIGKILL
    size_t output_cap = size_t{ 256 } * 1024; // bytes kept per stream
    OutputMode mode = OutputMode::separate;
    // "NAME=value" entries the child gets instead of ik's environment; unset:
    // ik's own (the bash tool always sets it: ik's environment holds secrets).
    std::optional<std::vector<std::string>> env{};
    // What the child reads on stdin; unset: /dev/null.
    std::optional<std::string> input{};
    // What the child reads from fd 3 (bwrap reads its seccomp program there:
    // `--seccomp 3`); unset: fd 3 is closed, like every fd above 2.
    std::optional<std::string> fd3{};
    // Run on a pseudo-terminal (a background job: a dev server, a watcher):
    // the child leads a new session whose controlling terminal is the pty;
    // stdin, stdout and stderr are all the pty, so output is one stream and
    // write_input() types into it. `input` must be unset.
    bool pty = false;
    // Set: output goes to this callback as it arrives (uncapped here: the
    // receiver keeps what it wants) instead of into ProcessResult::out. It
    // must not destroy the Process.
    std::function<void(std::string_view bytes)> on_output{};
};

struct ProcessResult {
    std::string out; // stdout (merged mode: both streams)
    std::string err; // stderr (empty in merged mode)
    size_t out_dropped = 0; // bytes read past the cap and dropped
    size_t err_dropped = 0;
    int exit_code = -1; // the exit status, or -1 when killed by a signal
    int term_signal = 0; // the signal that killed it, or 0
    bool timed_out = false;
    bool cancelled = false;
    std::chrono::milliseconds elapsed{ 0 };
};

class Process {
public:
    using OnExit = std::function<void(ProcessResult result)>;

    static Result<std::unique_ptr<Process>> spawn(Loop& loop, ProcessOptions options, OnExit on_exit);

    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    // Ctrl-C: SIGTERM the group, SIGKILL after the grace. on_exit still runs.
    void cancel();

    // Writes to the pty (ProcessOptions::pty); io error when the process is
    // gone or not reading (the pty's buffer is full).
    Result<void> write_input(std::string_view bytes);

    pid_t pid() const { return m_pid; }
    bool finished() const { return m_finished; }

private:
    struct Stream {
        int fd = -1;
        Loop::WatchId watch = 0;
        std::string* text = nullptr;
        size_t* dropped = nullptr;
    };

    Process(Loop& loop, ProcessOptions options, OnExit on_exit);
    Result<void> start();
    Result<int> open_pty(std::string& slave_path);
    bool drain(Stream& s);
    void on_readable(Stream& s);
    void on_pidfd();
    void poll_for_exit();
    void on_drain_timeout();
    void stop(bool timed_out);
    void close_stream(Stream& s);
    void maybe_finish();
    void kill_group(int signo) const;
    void cancel_timers();

    Loop& m_loop;
    ProcessOptions m_options;
    OnExit m_on_exit;
    ProcessResult m_result;
    Loop::Clock::time_point m_started{};
    pid_t m_pid = -1;
    int m_pidfd = -1;
    Loop::WatchId m_pid_watch = 0;
    Stream m_out;
    Stream m_err;
    Loop::TimerId m_timeout_timer = 0;
    Loop::TimerId m_kill_timer = 0;
    Loop::TimerId m_drain_timer = 0;
    Loop::TimerId m_exit_poll_timer = 0; // only where pidfd_open is missing
    bool m_reaped = false;
    bool m_stopping = false;
    bool m_finished = false;
};

// "SIGKILL" for 9; "signal 64" for names it does not know.
std::string signal_name(int signo);

} // namespace ik
