// ik::PipeChild — a long-lived child process that ik talks to through pipes,
// watched by the one event loop (an MCP stdio server, later an editor).
//
// Unlike ik::Process (a command that runs to completion with its output
// collected), a PipeChild keeps stdin open for writing and hands every chunk
// of stdout and stderr to callbacks as it arrives, so the owner frames and
// caps it (JSON-RPC lines, for MCP). Writes that the pipe cannot take at once
// are queued and sent when the loop says the pipe is writable; the queue is
// capped (a child that stops reading its stdin cannot make ik buffer without
// bound). The child is spawned as the leader of its own process group with an
// empty signal mask and default dispositions, like Process.
//
//   PipeChildOptions o{.argv = {"python3", "server.py"}};
//   auto c = TRY(PipeChild::spawn(loop, std::move(o), {
//       .on_stdout = [&](std::string_view bytes) { framer.feed(bytes); },
//       .on_stderr = [&](std::string_view bytes) { keep_tail(bytes); },
//       .on_exit = [&](int code, int signo) { ... }}));
//   TRY(c->write("{...}\n"));
//
// Stopping: destroying a PipeChild closes its stdin, sends SIGTERM to the
// group, waits up to `stop_grace` for it to exit, then SIGKILLs the group,
// and reaps the leader: no zombie, no orphan. on_exit is not called then.
// When the child exits by itself, its remaining output is read first and
// on_exit runs once, as the last thing the object does (it may destroy it).
//
// Owns: the pipes, the pidfd, the child. Borrows: the Loop, which must
// outlive it.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "core/loop.h"
#include "core/result.h"

namespace ik {

struct PipeChildOptions {
    std::vector<std::string> argv{}; // argv[0] is looked up in PATH
    std::optional<std::vector<std::string>> env{}; // "NAME=value"; unset: ik's own
    std::filesystem::path cwd{}; // empty: ik's own
    size_t write_queue_cap = size_t{ 8 } << 20; // bytes waiting for the child to read
    std::chrono::milliseconds stop_grace{ 500 }; // SIGTERM -> SIGKILL when destroyed
};

struct PipeChildCallbacks {
    std::function<void(std::string_view bytes)> on_stdout{};
    std::function<void(std::string_view bytes)> on_stderr{};
    // exit_code is -1 when a signal killed it (then signo says which).
    std::function<void(int exit_code, int signo)> on_exit{};
};

class PipeChild {
public:
    static Result<std::unique_ptr<PipeChild>> spawn(Loop& loop, PipeChildOptions options, PipeChildCallbacks callbacks);
    ~PipeChild();
    PipeChild(const PipeChild&) = delete;
    PipeChild& operator=(const PipeChild&) = delete;

    // Sends `bytes` to the child's stdin (queued if the pipe is full).
    // io when the child is gone; cap_exceeded when the queue would pass its cap.
    Result<void> write(std::string_view bytes);
    // Stops reading stdout (an owner that cut the child off); the child then
    // blocks on a full pipe until it is stopped.
    void stop_reading();

    pid_t pid() const { return m_pid; }
    bool exited() const { return m_reaped; }

private:
    PipeChild(Loop& loop, PipeChildOptions options, PipeChildCallbacks callbacks);
    Result<void> start();
    bool on_readable(int& fd, Loop::WatchId& watch, bool is_stdout); // true: bytes were read
    void on_writable();
    void on_pidfd();
    void close_fd(int& fd, Loop::WatchId& watch);
    void stop_and_reap();

    Loop& m_loop;
    PipeChildOptions m_options;
    PipeChildCallbacks m_callbacks;
    pid_t m_pid = -1;
    int m_pidfd = -1;
    int m_stdin = -1;
    int m_stdout = -1;
    int m_stderr = -1;
    Loop::WatchId m_pid_watch = 0;
    Loop::WatchId m_stdin_watch = 0;
    Loop::WatchId m_stdout_watch = 0;
    Loop::WatchId m_stderr_watch = 0;
    Loop::TimerId m_exit_poll = 0; // where pidfd_open is missing
    std::string m_queue; // bytes not yet taken by the child
    bool m_reaped = false;
};

} // namespace ik
