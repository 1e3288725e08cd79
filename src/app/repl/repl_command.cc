#include "app/repl/repl_command.h"

#include <filesystem>

#include <fmt/format.h>

#include "agent/llm_model.h"
#include "app/exit_codes.h"
#include "app/mcp_setup.h"
#include "app/model_limits.h"
#include "app/repl/repl.h"
#include "app/setup.h"
#include "config/config.h"
#include "config/model_spec.h"
#include "llm/client.h"
#include "llm/provider.h"

namespace ik::app {

int run_repl_command(const CliOptions& options)
{
    auto prepared = prepare(options);
    if (!prepared)
        return prepared.error();
    Prepared& p = *prepared;
    // The sandbox backend is chosen now, while stderr is still the plain
    // terminal, so its notice (if no backend works) is not drawn over later.
    (void)p.settings.sandbox->active();
    config::Config& cfg = p.cfg;
    const config::ResolvedModel& choice = p.choice;

    Loop loop;
    // The client's retry notices go to the scrollback while the REPL runs
    // (stderr would tear the screen).
    std::function<void(std::string_view)> notices;
    llm::ClientOptions client_options = app::client_options(cfg);
    client_options.notice = [&notices](std::string_view line) {
        if (notices)
            notices(line);
    };
    llm::Client client(loop, client_options);
    mem::Arena app(mem::root(), "app");
    agent::LlmModel model(loop, client, app);
    model.set_target(llm::provider_for(wire_format(choice.format)), choice.base_url, choice.api_key);

    // Servers start now and come up while the user types (app/mcp_setup.h);
    // a project file not trusted yet is asked about first.
    auto mcp = start_mcp(loop, app, cfg, p.settings.cwd, ProjectTrust::ask);
    if (mcp) {
        mcp->tools->set_progress_sink([&notices](std::string_view tool, std::string_view text) {
            if (notices)
                notices(fmt::format("{}: {}", tool, text));
        });
        mcp->manager->set_on_update([&notices](std::string_view server, std::string_view uri) {
            if (notices)
                notices(fmt::format("MCP server '{}': resource {} changed", server, uri));
        });
    }

    ReplDeps deps{ loop, *p.store, model, app, std::move(p.settings) };
    deps.resume_id = p.resume_id;
    deps.system_extra = options.system.value_or(cfg.system);
    deps.notice_target = &notices;
    // /model provider/name: resolved like --model, credentials checked; the
    // next request goes to the new target.
    deps.resolve_model = [&](std::string_view spec) -> Result<ModelChoice> {
        config::ResolvedModel next = TRY(config::resolve_model(cfg, spec));
        if (!config::has_credentials(cfg, next.provider))
            return fail(ErrorCode::auth, "no API key for '{}'", next.provider);
        model.set_target(llm::provider_for(wire_format(next.format)), next.base_url, next.api_key);
        std::string spec_text = fmt::format("{}/{}", next.provider, next.model);
        llm::ModelLimits limits = model_limits(cfg, next);
        return ModelChoice{ std::move(spec_text), next.model, std::move(limits) };
    };
    return run_repl(std::move(deps));
}

} // namespace ik::app
