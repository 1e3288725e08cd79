#include "support/forked_child.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ik::testing {

Child::Child(const std::function<int(int signal_fd)>& body)
{
    int fds[2];
    if (pipe(fds) != 0)
        return;
    m_pid = fork();
    if (m_pid == 0) {
        close(fds[0]);
        int code = body(fds[1]);
        _exit(code);
    }
    close(fds[1]);
    m_signal = fds[0];
}

Child::~Child()
{
    if (m_pid > 0) {
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
    if (m_signal >= 0)
        close(m_signal);
}

bool Child::wait_signal()
{
    pollfd p{ m_signal, POLLIN, 0 };
    char c = 0;
    return poll(&p, 1, 60'000) == 1 && read(m_signal, &c, 1) == 1;
}

void Child::kill9()
{
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}

int Child::wait_exit()
{
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void signal_parent(int fd)
{
    (void)!write(fd, "x", 1);
}

} // namespace ik::testing
