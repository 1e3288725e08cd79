// The REPL's side of custom commands (agent/ext/custom_commands.h): found
// at start, expanded when typed (approval prompts for their !`cmd`s appear
// like a tool call's), then sent as the prompt, with the file's model for
// that one turn.
#include <fmt/format.h>

#include "agent/ext/command_run.h"
#include "app/commands/custom.h"
#include "app/repl/repl_ui.h"

namespace ik::app {

void ReplUi::install_commands()
{
    const agent::SessionSettings& settings = m_session->settings();
    auto scan = agent::scan_commands(m_deps.loop,
        command_sources(settings.approval.project_root.empty() ? settings.cwd : settings.approval.project_root));
    for (const std::string& note : install_custom_commands(std::move(scan)))
        print(note, Tone::dim);
}

void ReplUi::run_custom(const agent::CustomCommand& command, std::string_view args)
{
    const agent::SessionSettings& settings = m_session->settings();
    agent::ExpansionDeps deps{ m_deps.loop, settings, m_session->allows(), *this };
    std::string model = command.model;
    auto started = agent::start_custom_command(
        deps, command, args, [this, model = std::move(model)](const agent::CommandText& text) {
            m_expansion.reset();
            for (const std::string& a : text.attached)
                print(fmt::format("  attached {}", a), Tone::dim);
            for (const std::string& n : text.notes)
                print(n, Tone::dim);
            if (!model.empty()) {
                auto choice = resolve_model(model);
                if (!choice) {
                    print(fmt::format("model {}: {}; using {}", model, choice.error().message(),
                              m_session->settings().model_spec),
                        Tone::error);
                } else {
                    m_restore_model = m_session->settings().model_spec;
                    m_session->set_model(choice->spec, choice->model);
                    if (choice->limits)
                        m_session->set_context_limits(*choice->limits);
                    print(fmt::format("Model for this command: {}", choice->spec), Tone::dim);
                }
            }
            ++m_prompts;
            if (auto r = m_session->submit(text.text, text.images); !r) {
                restore_model();
                print(r.error().to_string(), Tone::error);
                return;
            }
            m_view.set_waiting(true, "Thinking");
        });
    if (!started) {
        print(started.error().to_string(), Tone::error);
        return;
    }
    m_expansion = std::move(*started);
    m_view.set_waiting(true, "Expanding");
}

void ReplUi::restore_model()
{
    if (!m_restore_model)
        return;
    std::string spec = std::move(*m_restore_model);
    m_restore_model.reset();
    auto choice = resolve_model(spec);
    if (!choice) {
        print(fmt::format("cannot switch back to {}: {}", spec, choice.error().message()), Tone::error);
        return;
    }
    m_session->set_model(choice->spec, choice->model);
    if (choice->limits)
        m_session->set_context_limits(*choice->limits);
}

} // namespace ik::app
