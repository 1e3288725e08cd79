// ik::sandbox::Sandbox — where a shell command from the model runs.
//
// A model's command is untrusted input, so every bash call runs confined
// (docs/safety.md): the filesystem read-only except the project root, a
// private per-session /tmp and `sandbox.writable`; `.git/config`,
// `.git/hooks` and `.ik/` read-only even inside the project; ik's own config,
// credentials, data and state directories invisible; no network unless asked for;
// and nothing outlives ik. Two backends give that:
//
//   bwrap     bubblewrap: a mount, PID (and network) namespace per command.
//   landlock  where namespaces are not available: Landlock rules plus a
//             seccomp filter, applied by ik itself re-executed as a small
//             supervisor (confined_exec.h) between fork and exec.
//
// The backend is chosen once, on first need (active(), confines(),
// command_argv(), plan()), together with the plan and its private /tmp:
// `auto` tries bwrap (running it costs ~40 ms, which a
// prompt that runs no command should not pay), then landlock. When none
// works (or the private /tmp cannot be made), active() is `unavailable` and the notice set with on_unavailable()
// runs once: the caller says so and asks before every command rather than
// running it unconfined silently. Mode `off` is the explicit way out and
// confines nothing. Not thread-safe (the loop thread only).
//
//   auto box = TRY(Sandbox::create(settings));
//   ProcessOptions o{.argv = box->command_argv("make test", cwd),
//                    .env = box->environment(environ),
//                    .fd3 = box->command_fd3()};
//
// Owns: the per-session /tmp directory (removed with its contents by the
// destructor), copies of all paths. Borrows: nothing.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ik::sandbox {

enum class Mode { read_only, workspace_write, off };
enum class Backend { automatic, bwrap, landlock };
enum class Active { bwrap, landlock, unavailable, off };

// "read-only", "workspace-write", "off"; the error lists the choices.
Result<Mode> parse_mode(std::string_view text);
// "auto", "bwrap", "landlock".
Result<Backend> parse_backend(std::string_view text);
std::string_view to_string(Mode mode);
std::string_view to_string(Backend backend);
std::string_view to_string(Active active);

struct Settings {
    Mode mode = Mode::workspace_write;
    Backend backend = Backend::automatic;
    bool network = false;
    std::filesystem::path project_root{}; // writable in workspace-write
    std::vector<std::filesystem::path> writable{}; // sandbox.writable
    std::vector<std::filesystem::path> hidden{}; // ik's config and data dirs
    std::filesystem::path self_exe{}; // ik itself, for the landlock supervisor
};

// What a command may touch, as absolute paths that exist: the plan both
// backends carry out.
struct Plan {
    std::vector<std::filesystem::path> writable; // project, extra paths, tmp
    std::vector<std::filesystem::path> read_only; // protected paths inside writable ones
    std::vector<std::filesystem::path> hidden; // replaced by empty directories
    std::filesystem::path tmp; // the session's private /tmp (host path)
    std::filesystem::path project; // the project root, visible even when under /tmp
    bool network = false;
};

class Sandbox {
public:
    static Result<std::unique_ptr<Sandbox>> create(Settings settings);
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    Active active() const
    {
        resolve();
        return m_active;
    }
    Mode mode() const { return m_settings.mode; }
    // Why no backend works (empty unless active() is unavailable).
    const std::string& unavailable_reason() const
    {
        resolve();
        return m_reason;
    }
    // Commands run confined (bwrap or landlock).
    bool confines() const { return active() == Active::bwrap || active() == Active::landlock; }
    // Called once, with the reason, when the choice finds no backend.
    void on_unavailable(std::function<void(std::string_view reason)> notice) const { m_notice = std::move(notice); }

    // The argv that runs `/bin/bash -c command` in `cwd` the way active()
    // says; unconfined() is the plain bash for `off`, unavailable, or an
    // approved run outside the sandbox.
    std::vector<std::string> command_argv(std::string_view command, const std::filesystem::path& cwd) const;
    static std::vector<std::string> unconfined(std::string_view command);
    // What the command's fd 3 must hold (ProcessOptions::fd3): bwrap's
    // seccomp program (bwrap.h); unset for the other backends.
    std::optional<std::string> command_fd3() const;

    // The environment a command gets: the allow-list of environment.h, with
    // TMPDIR pointing at the private /tmp.
    std::vector<std::string> environment(char** parent) const;

    // Made with the backend choice, on first need.
    const Plan& plan() const
    {
        resolve();
        return m_plan;
    }

private:
    explicit Sandbox(Settings settings);
    Result<void> init();
    void resolve() const; // chooses the backend on first need
    Result<void> make_plan() const; // creates the private /tmp
    void choose_backend() const;

    Settings m_settings;
    // The plan and the choice, made on first need; mutable because needing
    // them is a read.
    mutable Plan m_plan;
    mutable bool m_resolved = false;
    mutable Active m_active = Active::off;
    mutable std::string m_reason;
    mutable std::string m_bwrap_filter; // terminal_filter_program(), for bwrap
    mutable std::function<void(std::string_view)> m_notice;
};

} // namespace ik::sandbox
