// Terminal: the RAII session on the user's tty.
//
// Entering puts the tty in raw mode (termios) and turns on the alternate
// screen, bracketed paste and mouse wheel reporting. Leaving undoes all of it,
// and ik leaves on every path: destruction, an error return (destruction
// again), ik::panic (a panic hook), a fatal signal (SIGSEGV/SIGBUS/SIGFPE/
// SIGILL handlers), SIGTERM/SIGHUP/SIGQUIT (handlers before attach(), the
// loop's signalfd after), and job control: suspend() (Ctrl-Z, or SIGTSTP
// through the loop) restores the tty, stops the process with the default
// SIGTSTP action and, when `fg` continues it, re-enters raw mode and the
// alternate screen and asks for a full redraw. SIGCONT after an outside
// SIGSTOP does the same.
//
// The restore bytes are computed once at creation so the signal-context
// restore is one write() and one tcsetattr(), both async-signal-safe.
// write() sends a whole frame with one write() call, looping only on a
// partial write or EAGAIN (a non-blocking tty), so frames are not torn.
//
//   auto term = TRY(Terminal::create(STDIN_FILENO, STDOUT_FILENO, {}));
//   TRY(term->attach(loop, {.on_resize = [&](Size) { screen.invalidate(); },
//                           .on_resume = [&] { screen.invalidate(); }}));
//   TRY(screen.present(*term, Loop::now()));
//
// Owns: the saved termios and the tty modes it turned on (restored on
// destruction). Borrows: both fds (the caller closes them) and the loop.
// One Terminal at a time per process (signal handlers reach it through a
// global).
#pragma once

#include <csignal>
#include <functional>
#include <memory>
#include <string_view>

#include <termios.h>

#include "core/loop.h"
#include "core/result.h"
#include "tui/screen.h"

namespace ik::tui {

enum class TerminateAction { re_raise, wind_down };

class Terminal final : public ByteSink {
public:
    struct Options {
        bool alt_screen = true;
        bool bracketed_paste = true;
        bool mouse = true; // wheel reporting (SGR mouse mode)
        bool hide_cursor = false; // the screen shows/hides per frame anyway
    };
    struct Callbacks {
        std::function<void(Size)> on_resize; // SIGWINCH with the new size
        std::function<void()> on_resume; // back from Ctrl-Z/SIGCONT: redraw all
        // SIGTERM/SIGHUP/SIGQUIT arrived. Returning re_raise (or no
        // callback): the terminal is restored and the signal re-raised with
        // its default action right away. Returning wind_down: the caller
        // ends on its own (stops what runs, stores what it has, exits with
        // 128 + signo) and restores the terminal by detaching or destroying
        // it.
        std::function<TerminateAction(int signo)> on_terminate;
    };

    // Enters raw mode etc. Fails (io) when `in_fd` is not a terminal.
    static Result<std::unique_ptr<Terminal>> create(int in_fd, int out_fd, Options options);
    ~Terminal() override;
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    // Delivers SIGWINCH, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP and SIGCONT
    // through `loop`. The loop must outlive the terminal's attachment
    // (detach() or destruction).
    Result<void> attach(Loop& loop, Callbacks callbacks);
    void detach();

    Size size() const { return m_size; }
    // Re-reads TIOCGWINSZ (80x24 when the ioctl fails).
    Size refresh_size();

    // One frame: one write(), continued only after a partial write or EAGAIN.
    Result<void> write(std::string_view bytes) override;

    // Ctrl-Z: restore the tty, stop, and on continue re-enter and call
    // on_resume.
    void suspend();
    // Leaves raw mode and the alternate screen (idempotent). enter() undoes it.
    void restore();
    Result<void> enter();
    bool active() const { return m_active != 0; }

    int input_fd() const { return m_in; }
    int output_fd() const { return m_out; }

    // The panic hook and signal-handler restore: one write of precomputed
    // bytes and one tcsetattr. Async-signal-safe.
    static void restore_from_signal(void* terminal);

    // Use create(); the tag keeps construction private while allowing make_unique.
    struct Private {
        explicit Private() = default;
    };
    Terminal(Private, int in_fd, int out_fd, Options options);

private:
    void on_terminate_signal(int signo);
    void on_continue();
    void install_fatal_handlers();
    void remove_fatal_handlers();

    int m_in;
    int m_out;
    Options m_options;
    termios m_saved{};
    termios m_raw{};
    volatile sig_atomic_t m_active = 0;
    char m_enter_bytes[96] = {};
    size_t m_enter_len = 0;
    char m_restore_bytes[96] = {};
    size_t m_restore_len = 0;
    Size m_size{ 24, 80 };
    Loop* m_loop = nullptr;
    Callbacks m_callbacks;
    struct sigaction m_old_actions[8] = {};
};

} // namespace ik::tui
