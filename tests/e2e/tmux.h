// A private tmux server for one end-to-end test: a pane of a fixed size
// running a shell, keys sent with send-keys, the screen read with
// capture-pane, waits that poll the pane until a condition holds or a
// timeout passes. Each instance uses its own socket (-L) and kills its
// server on destruction, so tests never touch the user's tmux.
//
// Owns: the tmux server (killed by its socket in the destructor).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace ik::testing {

class Tmux {
public:
    // Starts `command` (run by /bin/sh -c) in a detached session cols x rows.
    Tmux(const std::string& command, int cols, int rows);
    ~Tmux();
    Tmux(const Tmux&) = delete;
    Tmux& operator=(const Tmux&) = delete;

    bool ok() const { return m_ok; }
    // Key names as tmux knows them ("Enter", "C-c", "PPage", "Left").
    void keys(const std::vector<std::string>& names);
    // Literal text (send-keys -l).
    void type(const std::string& text);
    std::string screen() const;
    void resize(int cols, int rows);
    // Any other tmux command on this server ("show-buffer"); its stdout.
    std::string command(const std::vector<std::string>& args) const { return run(args); }

    // Polls the pane every 20 ms; true when `pred(screen)` holds in time.
    bool wait(const std::function<bool(const std::string&)>& pred,
        std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    bool wait_gone(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

private:
    std::string run(const std::vector<std::string>& args) const;
    std::string m_socket;
    bool m_ok = false;
};

} // namespace ik::testing
