#include "tmux.h"

#include <atomic>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>

#include "support/process.h"

namespace ik::testing {
namespace {

std::string tmux_binary()
{
    const char* p = std::getenv("IK_TMUX");
    return p ? p : "/usr/bin/tmux";
}

} // namespace

Tmux::Tmux(const std::string& command, int cols, int rows)
{
    static std::atomic<int> counter{ 0 };
    m_socket = fmt::format("ik-e2e-{}-{}", ::getpid(), counter++);
    run({ "-f", "/dev/null", "new-session", "-d", "-x", std::to_string(cols), "-y", std::to_string(rows), command });
    RunOptions o;
    o.args = { "-L", m_socket, "has-session" };
    m_ok = run_process(tmux_binary(), o).exit_code == 0;
}

Tmux::~Tmux()
{
    run({ "kill-server" });
}

std::string Tmux::run(const std::vector<std::string>& args) const
{
    RunOptions o;
    o.args = { "-L", m_socket };
    o.args.insert(o.args.end(), args.begin(), args.end());
    o.timeout = std::chrono::seconds(5);
    return run_process(tmux_binary(), o).out;
}

void Tmux::keys(const std::vector<std::string>& names)
{
    std::vector<std::string> args = { "send-keys", "-t", "0" };
    args.insert(args.end(), names.begin(), names.end());
    run(args);
}

void Tmux::type(const std::string& text)
{
    run({ "send-keys", "-t", "0", "-l", text });
}

std::string Tmux::screen() const
{
    return run({ "capture-pane", "-p", "-t", "0" });
}

void Tmux::resize(int cols, int rows)
{
    run({ "resize-window", "-t", "0", "-x", std::to_string(cols), "-y", std::to_string(rows) });
}

bool Tmux::wait(const std::function<bool(const std::string&)>& pred, std::chrono::milliseconds timeout) const
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (pred(screen()))
            return true;
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

bool Tmux::wait_for(const std::string& text, std::chrono::milliseconds timeout) const
{
    return wait([&](const std::string& s) { return s.find(text) != std::string::npos; }, timeout);
}

bool Tmux::wait_gone(const std::string& text, std::chrono::milliseconds timeout) const
{
    return wait([&](const std::string& s) { return s.find(text) == std::string::npos; }, timeout);
}

} // namespace ik::testing
