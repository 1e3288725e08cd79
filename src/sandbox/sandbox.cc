#include "sandbox/sandbox.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "sandbox/bwrap.h"
#include "sandbox/confined_exec.h"
#include "sandbox/environment.h"
#include "sandbox/landlock.h"
#include "sandbox/terminal_filter.h"

namespace ik::sandbox {

namespace fs = std::filesystem;

namespace {

// The absolute, symlink-free form of an existing path; empty when missing.
fs::path existing(const fs::path& p)
{
    std::error_code ec;
    if (p.empty() || !fs::exists(p, ec))
        return {};
    fs::path c = fs::canonical(p, ec);
    return ec ? fs::path() : c;
}

void add_unique(std::vector<fs::path>& list, const fs::path& p)
{
    if (p.empty())
        return;
    for (auto& q : list)
        if (q == p)
            return;
    list.push_back(p);
}

} // namespace

Result<Mode> parse_mode(std::string_view text)
{
    if (text == "read-only")
        return Mode::read_only;
    if (text == "workspace-write")
        return Mode::workspace_write;
    if (text == "off")
        return Mode::off;
    return fail(
        ErrorCode::invalid_argument, "unknown sandbox mode '{}': expected read-only, workspace-write or off", text);
}

Result<Backend> parse_backend(std::string_view text)
{
    if (text == "auto")
        return Backend::automatic;
    if (text == "bwrap")
        return Backend::bwrap;
    if (text == "landlock")
        return Backend::landlock;
    return fail(ErrorCode::invalid_argument, "unknown sandbox backend '{}': expected auto, bwrap or landlock", text);
}

std::string_view to_string(Mode mode)
{
    switch (mode) {
    case Mode::read_only:
        return "read-only";
    case Mode::workspace_write:
        return "workspace-write";
    case Mode::off:
        return "off";
    }
    return "off";
}

std::string_view to_string(Backend backend)
{
    switch (backend) {
    case Backend::automatic:
        return "auto";
    case Backend::bwrap:
        return "bwrap";
    case Backend::landlock:
        return "landlock";
    }
    return "auto";
}

std::string_view to_string(Active active)
{
    switch (active) {
    case Active::bwrap:
        return "bwrap";
    case Active::landlock:
        return "landlock";
    case Active::unavailable:
        return "unavailable";
    case Active::off:
        return "off";
    }
    return "off";
}

Sandbox::Sandbox(Settings settings)
    : m_settings(std::move(settings))
{
}

Sandbox::~Sandbox()
{
    if (!m_plan.tmp.empty()) {
        std::error_code ec;
        fs::remove_all(m_plan.tmp, ec);
    }
}

Result<std::unique_ptr<Sandbox>> Sandbox::create(Settings settings)
{
    std::unique_ptr<Sandbox> box(new Sandbox(std::move(settings))); // NOLINT: private constructor
    TRY(box->init());
    return box;
}

Result<void> Sandbox::init()
{
    if (m_settings.mode == Mode::off) {
        m_active = Active::off;
        m_resolved = true;
    }
    return {};
}

Result<void> Sandbox::make_plan() const
{
    std::error_code ec;
    std::string tmpl = (fs::temp_directory_path(ec) / "ik-sandbox-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr)
        return fail(ErrorCode::io, "cannot create the sandbox's private /tmp ({}): {}", tmpl, std::strerror(errno));
    m_plan.tmp = tmpl;
    m_plan.network = m_settings.network;
    m_plan.project = existing(m_settings.project_root);
    if (m_settings.mode == Mode::workspace_write) {
        add_unique(m_plan.writable, existing(m_settings.project_root));
        for (auto& w : m_settings.writable)
            add_unique(m_plan.writable, existing(w));
    }
    for (auto& w : m_plan.writable)
        for (const char* rel : { ".git/config", ".git/hooks", ".ik" })
            add_unique(m_plan.read_only, existing(w / rel));
    add_unique(m_plan.writable, m_plan.tmp);
    for (auto& h : m_settings.hidden)
        add_unique(m_plan.hidden, existing(h));
    return {};
}

void Sandbox::resolve() const
{
    if (m_resolved)
        return;
    m_resolved = true;
    // The plan (a directory made in /tmp, every path resolved) is made here,
    // with the backend, so a run that never starts a command never pays for
    // it: creating and removing the directory costs a few ms on ext4.
    if (Result<void> planned = make_plan(); !planned) {
        m_active = Active::unavailable;
        m_reason = planned.error().message();
    } else {
        choose_backend();
    }
    if (m_active == Active::unavailable && m_notice)
        m_notice(m_reason);
}

void Sandbox::choose_backend() const
{
    std::string bwrap_problem;
    if (m_settings.backend != Backend::landlock) {
        bwrap_problem = probe_bwrap();
        if (bwrap_problem.empty()) {
            auto filter = terminal_filter_program();
            if (filter) {
                m_bwrap_filter = std::move(*filter);
                m_active = Active::bwrap;
                return;
            }
            bwrap_problem = filter.error().message();
        }
    }
    if (m_settings.backend != Backend::bwrap) {
        std::string landlock_problem = landlock_abi() < 1 ? "this kernel has no Landlock"
            : m_settings.self_exe.empty()                 ? "ik cannot find its own executable for Landlock"
                                                          : "";
        if (landlock_problem.empty()) {
            m_active = Active::landlock;
            return;
        }
        m_reason = bwrap_problem.empty() ? landlock_problem : bwrap_problem + ", and " + landlock_problem;
    } else {
        m_reason = bwrap_problem;
    }
    m_active = Active::unavailable;
}

std::vector<std::string> Sandbox::unconfined(std::string_view command)
{
    return { "/bin/bash", "-c", std::string(command) };
}

std::vector<std::string> Sandbox::command_argv(std::string_view command, const fs::path& cwd) const
{
    switch (active()) {
    case Active::bwrap:
        return bwrap_argv(m_plan, command, cwd);
    case Active::landlock:
        return landlock_argv(m_settings.self_exe, m_plan, command, cwd);
    case Active::unavailable:
    case Active::off:
        break;
    }
    return unconfined(command);
}

std::optional<std::string> Sandbox::command_fd3() const
{
    if (active() == Active::bwrap)
        return m_bwrap_filter;
    return std::nullopt;
}

std::vector<std::string> Sandbox::environment(char** parent) const
{
    // Under bwrap the private directory is mounted at /tmp.
    std::string tmpdir = active() == Active::bwrap ? "/tmp" : m_plan.tmp.string();
    return filtered_environment(parent, tmpdir);
}

} // namespace ik::sandbox
