#include "app/repl_command.h"

#include <filesystem>

#include <fmt/format.h>

#include "agent/llm_model.h"
#include "app/exit_codes.h"
#include "app/repl.h"
#include "app/setup.h"
#include "config/config.h"
#include "config/model_spec.h"
#include "llm/client.h"
#include "llm/provider.h"

namespace ik::app {

int run_repl_command(const CliOptions& options)
{
    auto loaded = config::load(config::process_environment());
    if (!loaded) {
        fmt::print(stderr, "ik: {}\n", loaded.error().to_string());
        return exit_config;
    }
    config::Config& cfg = *loaded;
    auto choice = choose_model(cfg, options.model);
    if (!choice) {
        fmt::print(stderr, "ik: {}\n", choice.error().to_string());
        return exit_config;
    }
    std::filesystem::path cwd = std::filesystem::current_path();
    auto settings = session_settings(cfg, *choice, options, cwd);
    if (!settings) {
        fmt::print(stderr, "ik: {}\n", settings.error().to_string());
        return settings.error().code() == ErrorCode::invalid_argument ? exit_usage : exit_config;
    }
    auto store = open_configured_store(cfg);
    if (!store) {
        fmt::print(stderr, "ik: {}\n", store.error().to_string());
        return exit_config;
    }
    auto resume = resume_target(**store, options, cwd);
    if (!resume) {
        fmt::print(stderr, "ik: {}\n", resume.error().to_string());
        return exit_usage;
    }

    Loop loop;
    // The client's retry notices go to the scrollback while the REPL runs
    // (stderr would tear the screen).
    std::function<void(std::string_view)> notices;
    llm::ClientOptions client_options;
    client_options.connect_timeout = std::chrono::seconds(cfg.http.connect_timeout_s);
    client_options.idle_timeout = std::chrono::seconds(cfg.http.idle_timeout_s);
    client_options.retry.max_retries = static_cast<int>(cfg.http.max_retries);
    client_options.retry.base_ms = cfg.http.backoff_base_ms;
    client_options.notice = [&notices](std::string_view line) {
        if (notices)
            notices(line);
    };
    llm::Client client(loop, client_options);
    mem::Arena app(mem::root(), "app");
    agent::LlmModel model(loop, client, app);
    model.set_target(llm::provider_for(wire_format(choice->format)), choice->base_url, choice->api_key);

    ReplDeps deps{ loop, **store, model, app, std::move(*settings) };
    deps.resume_id = *resume;
    deps.notice_target = &notices;
    // /model provider/name: resolved like --model, credentials checked; the
    // next request goes to the new target.
    deps.resolve_model = [&](std::string_view spec) -> Result<ModelChoice> {
        config::ModelChoice next = TRY(config::resolve_model(cfg, spec));
        if (!config::has_credentials(cfg, next.provider))
            return fail(ErrorCode::auth, "no API key for '{}'", next.provider);
        model.set_target(llm::provider_for(wire_format(next.format)), next.base_url, next.api_key);
        return ModelChoice{ fmt::format("{}/{}", next.provider, next.model), next.model };
    };
    return run_repl(std::move(deps));
}

} // namespace ik::app
