// A forked child running a function of this test program, for tests that need
// a second live process (a store writer, a session holder) without an exec.
// The child reports by exit status and by writing one byte to a pipe
// (signal_parent), and ends with _exit so it never runs the parent's
// destructors or gtest's teardown.
//
// Owns: the child's pid and the read end of its pipe. The destructor kills a
// child that is still running (SIGKILL) and reaps it by pid.
#pragma once

#include <functional>

#include <sys/types.h>

namespace ik::testing {

class Child {
public:
    // `body` runs in the child with the write end of the pipe; its return
    // value is the child's exit status.
    explicit Child(const std::function<int(int signal_fd)>& body);
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    pid_t pid() const { return m_pid; }
    // Waits for the child to write one byte (true) or for 60 s.
    bool wait_signal();
    // SIGKILL and reap.
    void kill9();
    // The exit code, or -1 when it did not exit normally.
    int wait_exit();

private:
    pid_t m_pid = -1;
    int m_signal = -1;
};

// In the child: tell the parent it reached the point it waits for.
void signal_parent(int fd);

} // namespace ik::testing
