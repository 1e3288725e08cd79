#include "app/setup.h"

#include <fmt/format.h>

#include "agent/instructions.h"
#include "agent/tools/registry.h"
#include "app/exit_codes.h"
#include "llm/learned_models.h"
#include "llm/local_probe.h"

namespace ik::app {

llm::WireFormat wire_format(config::ApiFormat f)
{
    switch (f) {
    case config::ApiFormat::openai_chat:
        return llm::WireFormat::openai_chat;
    case config::ApiFormat::openai_responses:
        return llm::WireFormat::openai_responses;
    case config::ApiFormat::anthropic:
        return llm::WireFormat::anthropic;
    case config::ApiFormat::gemini:
        return llm::WireFormat::gemini;
    }
    return llm::WireFormat::openai_chat;
}

llm::ThinkingLevel thinking_level(config::Thinking t)
{
    switch (t) {
    case config::Thinking::none:
        return llm::ThinkingLevel::none;
    case config::Thinking::low:
        return llm::ThinkingLevel::low;
    case config::Thinking::medium:
        return llm::ThinkingLevel::medium;
    case config::Thinking::high:
        return llm::ThinkingLevel::high;
    }
    return llm::ThinkingLevel::none;
}

int exit_code_for(ErrorCode code)
{
    switch (code) {
    case ErrorCode::config:
    case ErrorCode::auth:
        return exit_config;
    case ErrorCode::interrupted:
        return exit_interrupted;
    case ErrorCode::invalid_argument:
        return exit_usage;
    case ErrorCode::internal:
        return exit_internal;
    default:
        return exit_provider;
    }
}

Result<config::ModelChoice> choose_model(config::Config& cfg, std::optional<std::string> requested)
{
    std::string spec = requested.value_or(cfg.model);
    config::ModelChoice choice = TRY(config::resolve_model(cfg, spec));
    if (config::has_credentials(cfg, choice.provider))
        return choice;
    if (!config::has_any_credentials(cfg)) {
        const std::string& local = cfg.providers["ollama"].base_url;
        if (llm::probe_local_server(local, std::chrono::milliseconds(150))) {
            std::string_view fallback = config::local_fallback_model;
            if (requested && requested->starts_with("ollama/"))
                fallback = *requested;
            fmt::print(stderr, "ik: no API key configured; using the local server at {} ({})\n", local, fallback);
            return config::resolve_model(cfg, fallback);
        }
        return fail(ErrorCode::auth,
            "no API key found. Set one, e.g.: export ANTHROPIC_API_KEY=... (or OPENAI_API_KEY, GEMINI_API_KEY)\n"
            "ik: or point ik at a server: export OPENAI_BASE_URL=http://127.0.0.1:8080/v1 and use --model "
            "openai/<name>");
    }
    const auto& p = cfg.providers[choice.provider];
    return fail(ErrorCode::auth, "no API key for '{}': set ${} or add it to {} (mode 0600)", choice.provider,
        p.api_key_env, cfg.credentials_path);
}

Result<std::unique_ptr<store::Store>> open_configured_store(const config::Config& cfg)
{
    return TRY_CONTEXT(
        store::open_store(cfg.database_url, store::default_sqlite_path()), "while opening the session store");
}

namespace {

agent::ApprovalMode approval_mode(config::Approval a)
{
    switch (a) {
    case config::Approval::ask:
        return agent::ApprovalMode::ask;
    case config::Approval::auto_edit:
        return agent::ApprovalMode::auto_edit;
    case config::Approval::yolo:
        return agent::ApprovalMode::yolo;
    }
    return agent::ApprovalMode::ask;
}

// The project root for auto-edit: the nearest directory with .git, else cwd.
std::filesystem::path project_root(const std::filesystem::path& cwd)
{
    std::error_code ec;
    for (auto dir = cwd; !dir.empty(); dir = dir.parent_path()) {
        if (std::filesystem::exists(dir / ".git", ec))
            return dir;
        if (dir == dir.parent_path())
            break;
    }
    return cwd;
}

} // namespace

llm::Catalog model_catalog(const config::Config& cfg)
{
    std::map<std::string, llm::ModelOverride, std::less<>> overrides;
    for (const auto& [spec, m] : cfg.models) {
        overrides[spec] = llm::ModelOverride{ .context_window = m.context_window,
            .max_output = m.max_output,
            .input_price = m.input_price,
            .output_price = m.output_price,
            .cache_read_price = m.cache_read_price,
            .cache_write_price = m.cache_write_price };
    }
    return llm::Catalog(std::move(overrides), llm::load_learned(llm::learned_models_path()));
}

agent::ContextSettings context_settings(const config::Config& cfg, std::string_view model_spec)
{
    agent::ContextSettings c;
    c.limits = model_catalog(cfg).lookup(model_spec);
    c.threshold = cfg.compaction.threshold;
    c.summary_model = cfg.compaction.model;
    c.learned_path = llm::learned_models_path();
    return c;
}

Result<agent::SessionSettings> session_settings(const config::Config& cfg, const config::ModelChoice& choice,
    const CliOptions& options, const std::filesystem::path& cwd)
{
    agent::SessionSettings s;
    s.model_spec = choice.provider + "/" + choice.model;
    s.model = choice.model;
    s.thinking = thinking_level(options.thinking ? TRY(config::parse_thinking(*options.thinking)) : cfg.thinking);
    s.max_tool_turns = static_cast<int>(options.max_tool_turns.value_or(cfg.max_tool_turns));
    s.cwd = cwd;
    s.memory_limit_bytes = static_cast<size_t>(std::max<int64_t>(0, cfg.memory_limit_mb)) * 1024 * 1024;

    agent::ApprovalMode mode = approval_mode(cfg.approval);
    if (options.approval)
        mode = TRY(agent::parse_approval_mode(*options.approval));
    s.approval
        = TRY_CONTEXT(agent::ApprovalPolicy::make(mode, cfg.rules.allow, cfg.rules.deny), "in {}", cfg.config_path);
    s.approval.project_root = project_root(cwd);

    auto files = TRY(agent::load_instructions({ .cwd = cwd, .user_config_dir = agent::user_config_dir() }));
    s.system_prompt = agent::build_system_prompt(agent::current_environment(cwd), agent::all_tools(), files);
    s.context = context_settings(cfg, s.model_spec);
    for (const auto& f : files)
        s.context.instructions_bytes += f.text.size();
    std::string extra = options.system.value_or(cfg.system);
    if (!extra.empty()) {
        s.system_prompt += "\n\n";
        s.system_prompt += extra;
    }
    return s;
}

Result<std::string> resume_target(store::Store& store, const CliOptions& options, const std::filesystem::path& cwd)
{
    if (options.resume_id)
        return TRY(store.resolve_id(*options.resume_id));
    if (!options.continue_latest)
        return std::string();
    mem::Arena scratch(mem::root(), "resume");
    auto latest = TRY(store.latest_session(scratch, cwd.string()));
    if (!latest)
        return fail(ErrorCode::not_found, "no earlier session in {} to continue", cwd.string());
    return std::string(latest->id);
}

Expected<Prepared, int> prepare(const CliOptions& options)
{
    using Stop = Unexpected<int>;
    auto say = [](const Error& e) { fmt::print(stderr, "ik: {}\n", e.to_string()); };
    auto loaded = config::load(config::process_environment());
    if (!loaded) {
        say(loaded.error());
        return Stop(exit_config);
    }
    Prepared p;
    p.cfg = std::move(*loaded);
    auto choice = choose_model(p.cfg, options.model);
    if (!choice) {
        say(choice.error());
        return Stop(exit_config);
    }
    p.choice = std::move(*choice);
    std::filesystem::path cwd = std::filesystem::current_path();
    auto settings = session_settings(p.cfg, p.choice, options, cwd);
    if (!settings) {
        say(settings.error());
        return Stop(settings.error().code() == ErrorCode::invalid_argument ? exit_usage : exit_config);
    }
    p.settings = std::move(*settings);
    auto store = open_configured_store(p.cfg);
    if (!store) {
        say(store.error());
        return Stop(exit_config);
    }
    p.store = std::move(*store);
    auto resume = resume_target(*p.store, options, cwd);
    if (!resume) {
        say(resume.error());
        return Stop(exit_usage);
    }
    p.resume_id = std::move(*resume);
    return p;
}

llm::ClientOptions client_options(const config::Config& cfg)
{
    llm::ClientOptions o;
    o.connect_timeout = std::chrono::seconds(cfg.http.connect_timeout_s);
    o.idle_timeout = std::chrono::seconds(cfg.http.idle_timeout_s);
    o.retry.max_retries = static_cast<int>(cfg.http.max_retries);
    o.retry.base_ms = cfg.http.backoff_base_ms;
    return o;
}

} // namespace ik::app
