#include "agent/hooks/hook_run.h"

#include <fmt/format.h>

#include "agent/tools/tool.h"

extern char** environ;

namespace ik::agent {

std::vector<std::string> hook_environment(char** environment, const std::filesystem::path& project_dir)
{
    std::vector<std::string> env;
    for (char** e = environment; e && *e; ++e) {
        std::string_view entry(*e);
        if (entry.starts_with("IK_PROJECT_DIR=") || entry.starts_with("CLAUDE_PROJECT_DIR="))
            continue;
        env.emplace_back(entry);
    }
    env.push_back(fmt::format("IK_PROJECT_DIR={}", project_dir.string()));
    env.push_back(fmt::format("CLAUDE_PROJECT_DIR={}", project_dir.string()));
    return env;
}

std::unique_ptr<HookRun> HookRun::start(Loop& loop, HookEvent event, std::vector<const HookCommand*> commands,
    std::string payload, std::filesystem::path project_dir, Done done)
{
    auto run = std::make_unique<HookRun>(
        loop, event, std::move(commands), std::move(payload), std::move(project_dir), std::move(done));
    // From a fresh loop round: `done` never runs inside start().
    HookRun* self = run.get();
    self->m_timer = loop.after(std::chrono::milliseconds(0), [self] {
        self->m_timer.reset();
        self->run_next();
    });
    return run;
}

HookRun::HookRun(Loop& loop, HookEvent event, std::vector<const HookCommand*> commands, std::string payload,
    std::filesystem::path project_dir, Done done)
    : m_loop(loop)
    , m_event(event)
    , m_commands(std::move(commands))
    , m_payload(std::move(payload))
    , m_project_dir(std::move(project_dir))
    , m_done(std::move(done))
{
}

HookRun::~HookRun()
{
    if (m_timer)
        m_loop.cancel(*m_timer);
}

void HookRun::cancel()
{
    m_cancelled = true;
    if (m_process && !m_process->finished())
        m_process->cancel();
}

void HookRun::run_next()
{
    if (m_cancelled || m_outcome.blocked || m_next >= m_commands.size()) {
        finish();
        return;
    }
    const HookCommand& command = *m_commands[m_next++];
    auto process = Process::spawn(m_loop,
        ProcessOptions{ .command = {},
            .argv = { "/bin/sh", "-c", command.command },
            .cwd = m_project_dir,
            .timeout = std::chrono::duration_cast<std::chrono::milliseconds>(command.timeout),
            .output_cap = command_output_cap,
            .env = hook_environment(environ, m_project_dir),
            .input = m_payload },
        [this, &command](const ProcessResult& r) {
            merge(m_outcome, interpret_hook(m_event, r, command.command, command.timeout));
            // The Process is on the stack that called us: keep it until the run goes.
            m_spent.push_back(std::move(m_process));
            run_next(); // may call done, which may destroy *this
        });
    if (!process) {
        m_outcome.notices.push_back(fmt::format("{} hook could not start: {}; ik went on as if it had not run",
            to_string(m_event), process.error().to_string()));
        m_timer = m_loop.after(std::chrono::milliseconds(0), [this] {
            m_timer.reset();
            run_next();
        });
        return;
    }
    m_process = std::move(*process);
}

void HookRun::finish()
{
    Done done = std::move(m_done);
    if (done)
        done(std::move(m_outcome)); // may destroy *this
}

} // namespace ik::agent
