// Test helpers for driving real binaries: run one to completion with a
// timeout (capturing stdout, stderr and the exit status), or keep one running
// in the background and stop it by pid.
//
// The child gets a clean environment: only the variables passed in, plus
// PATH and the sanitizer options, so a developer's API keys never leak into a
// test. Owns: the child pid and pipe fds until the run ends.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace ik::testing {

struct RunOptions {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string stdin_data; // written, then stdin is closed
    std::string cwd; // the child's working directory; empty: ours
    std::chrono::milliseconds timeout{ 20'000 }; // then SIGKILL, timed_out = true
    // Send `signal` to the child once its stdout contains this text, or
    // (with no text) once `signal_after` has passed.
    int signal = 0;
    std::string signal_when_stdout_has;
    std::chrono::milliseconds signal_after{ 0 };
    // Or once stderr contains this text.
    std::string signal_when_stderr_has;
    // Or once this file exists (a command the child runs touches it).
    std::string signal_when_file_exists;
    // Or once the child blocks `signal` (ik's loop watches it through a
    // signalfd from then on): robust against a slow start on a busy machine.
    bool signal_when_blocked = false;
    // Called with the child's pid right after it started (from the calling
    // thread), for tests that signal it from elsewhere.
    std::function<void(pid_t)> on_start;
    // The child's stdout goes to this file (e.g. /dev/full) instead of `out`.
    std::string stdout_path;
    // The child's stdout is a pseudo-terminal in raw mode (isatty() is true,
    // bytes arrive as written) read into `out`, instead of a pipe.
    bool stdout_tty = false;
};

struct RunResult {
    int exit_code = -1; // -1 if killed by a signal
    int term_signal = 0;
    bool timed_out = false;
    std::string out;
    std::string err;
    double seconds = 0;
};

RunResult run_process(const std::string& exe, const RunOptions& options);

// A background child (a server). The destructor kills it (SIGTERM, then
// SIGKILL after 2 s) and reaps it.
class Background {
public:
    Background(const std::string& exe, const std::vector<std::string>& args);
    ~Background();
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    pid_t pid() const { return m_pid; }
    bool running();
    void stop();

private:
    pid_t m_pid = -1;
};

// The pids of every process on the machine whose command line contains
// `text` (a unique path in a test's command finds that command's processes).
std::vector<pid_t> processes_naming(const std::string& text);
// The processes of process group `pgid` that still run: zombies (dead, only
// waiting for a parent, often init, to reap them) do not count.
std::vector<pid_t> live_processes_in_group(pid_t pgid);

// A fresh directory under /tmp, removed with its contents on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

} // namespace ik::testing
