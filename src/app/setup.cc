#include "app/setup.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include <fmt/format.h>

#include "agent/ext/agent_definitions.h"
#include "agent/ext/skills.h"
#include "agent/instructions.h"
#include "agent/tools/registry.h"
#include "agent/undo.h"
#include "app/exit_codes.h"
#include "app/model_limits.h"
#include "app/sub_models.h"
#include "core/utf8.h"
#include "llm/learned_models.h"
#include "llm/local_probe.h"
#include "mcp/trust_store.h"
#include "tui/visible.h"
#include "web/fetch.h"

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
    case ErrorCode::store:
        return exit_store;
    default:
        return exit_provider;
    }
}

Result<config::ResolvedModel> choose_model(config::Config& cfg, std::optional<std::string> requested)
{
    std::string spec = requested.value_or(cfg.model);
    config::ResolvedModel choice = TRY(config::resolve_model(cfg, spec));
    if (config::has_credentials(cfg, choice.provider))
        return choice;
    if (!config::has_any_credentials(cfg)) {
        const std::string& local = cfg.providers["ollama"].base_url;
        if (llm::probe_local_server(local, std::chrono::milliseconds(150))) {
            std::string_view fallback = config::local_fallback_model;
            if (requested && requested->starts_with("ollama/"))
                fallback = *requested;
            tui::print_visible(
                stderr, "ik: no API key configured; using the local server at {} ({})\n", local, fallback);
            return config::resolve_model(cfg, fallback);
        }
        return fail(ErrorCode::auth,
            "no API key found. Set one, e.g.: export ANTHROPIC_API_KEY=... (or OPENAI_API_KEY, GEMINI_API_KEY)\n"
            "ik: or point ik at a server: export OPENAI_BASE_URL=http://127.0.0.1:8080/v1 and use --model "
            "openai/<name>");
    }
    const auto& p = cfg.providers[choice.provider];
    // A key for another provider is set: say which model would work now.
    std::string suggestion;
    static constexpr std::pair<std::string_view, std::string_view> suggested[] = { { "openai", "openai/gpt-5-mini" },
        { "anthropic", "anthropic/claude-sonnet-4-5" }, { "gemini", "gemini/gemini-2.5-flash" } };
    for (auto [provider, model] : suggested) {
        if (provider != choice.provider && config::has_credentials(cfg, provider)) {
            suggestion = fmt::format("\nik: a key for '{}' is set: use it with --model {} (or \"model\" in {})",
                provider, model, cfg.config_path);
            break;
        }
    }
    return fail(ErrorCode::auth, "no API key for '{}': set ${} or add it to {} (mode 0600){}", choice.provider,
        p.api_key_env, cfg.credentials_path, suggestion);
}

namespace {

// IK_DATABASE_TIMEOUT_S: whole seconds, or a fraction ("0.5") for tests.
std::chrono::milliseconds database_timeout()
{
    std::chrono::milliseconds fallback = store::OpenOptions{}.timeout;
    const char* text = std::getenv("IK_DATABASE_TIMEOUT_S");
    if (!text || !*text)
        return fallback;
    char* end = nullptr;
    double seconds = std::strtod(text, &end);
    if (*end != '\0' || !(seconds > 0) || seconds > 86'400)
        return fallback;
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

} // namespace

Result<std::unique_ptr<store::Store>> open_configured_store(const config::Config& cfg, store::Access access)
{
    store::OpenOptions options{ .access = access, .timeout = database_timeout() };
    return TRY_CONTEXT(
        store::open_store(cfg.database_url, store::default_sqlite_path(), options), "while opening the session store");
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

std::filesystem::path expand_home(const std::string& path)
{
    const char* home = std::getenv("HOME");
    if (path.starts_with("~/") && home)
        return std::filesystem::path(home) / path.substr(2);
    return path;
}

// ik's own configuration, credentials, data and state (real paths): never
// visible to a command, never opened by a file tool. The state directory
// holds which project MCP files the user trusts: a model that could write
// it could make ik start the servers of a file it wrote. The data directory is created
// here if missing: the store creates it right after, and a directory that
// does not exist yet cannot be hidden.
std::vector<std::filesystem::path> private_dirs(const config::Config& cfg)
{
    std::vector<std::filesystem::path> dirs;
    std::vector<std::filesystem::path> seen; // as configured: config and credentials share one
    std::error_code ec;
    for (auto& p : { cfg.config_path, cfg.credentials_path, store::default_sqlite_path(),
             mcp::TrustStore::default_path().string() }) {
        if (p.empty())
            continue;
        auto dir = std::filesystem::path(p).parent_path();
        if (std::find(seen.begin(), seen.end(), dir) != seen.end())
            continue;
        seen.push_back(dir);
        std::filesystem::create_directories(dir, ec);
        auto real = std::filesystem::weakly_canonical(dir, ec);
        dir = ec ? dir : real;
        if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end())
            dirs.push_back(dir);
    }
    return dirs;
}

} // namespace

Result<std::shared_ptr<const sandbox::Sandbox>> make_sandbox(const config::Config& cfg, const CliOptions& options,
    const std::filesystem::path& project_root, std::vector<std::filesystem::path> hidden)
{
    sandbox::Settings s;
    s.mode = TRY(sandbox::parse_mode(options.sandbox.value_or(cfg.sandbox.mode)));
    s.backend = TRY_CONTEXT(sandbox::parse_backend(cfg.sandbox.backend), "in sandbox.backend");
    s.network = cfg.sandbox.network;
    s.project_root = project_root;
    for (auto& w : cfg.sandbox.writable)
        s.writable.push_back(expand_home(w));
    s.hidden = std::move(hidden);
    std::error_code ec;
    s.self_exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    auto box = TRY(sandbox::Sandbox::create(std::move(s)));
    return std::shared_ptr<const sandbox::Sandbox>(std::move(box));
}

llm::Catalog model_catalog(const config::Config& cfg)
{
    std::map<std::string, llm::ModelOverride, std::less<>> overrides;
    for (const auto& [spec, m] : cfg.models) {
        overrides[spec] = llm::ModelOverride{ .context_window = m.context_window,
            .max_output = m.max_output,
            .input_price = m.input_price,
            .output_price = m.output_price,
            .cache_read_price = m.cache_read_price,
            .cache_write_price = m.cache_write_price,
            .images = m.images };
    }
    return { std::move(overrides), llm::load_learned(llm::learned_models_path()) };
}

agent::ContextSettings context_settings(const config::Config& cfg, const config::ResolvedModel& choice)
{
    agent::ContextSettings c;
    c.limits = model_limits(cfg, choice);
    c.threshold = cfg.compaction.threshold;
    c.summary_model = cfg.compaction.model;
    c.learned_path = llm::learned_models_path();
    return c;
}

// The config's hooks, as the agent's plain settings (validated by config/).
agent::HookSettings hook_settings(const config::HooksConfig& hooks)
{
    agent::HookSettings out;
    for (const config::HookEventConfig& e : hooks.events) {
        auto event = agent::parse_hook_event(e.event);
        if (!event)
            continue; // config/ knows the same five names
        for (const config::HookGroupConfig& g : e.groups) {
            agent::HookGroup group{ .matcher = g.matcher, .hooks = {} };
            for (const config::HookCommandConfig& c : g.hooks)
                group.hooks.push_back({ .command = c.command, .timeout = std::chrono::seconds(c.timeout_s) });
            out.groups(*event).push_back(std::move(group));
        }
    }
    return out;
}

// web.* as web_fetch's plain settings (validated by config/).
web::FetchSettings fetch_settings(const config::WebConfig& cfg)
{
    web::FetchSettings out;
    for (const config::WebHost& h : cfg.allow_hosts)
        out.allow_hosts.push_back({ .host = h.host, .port = static_cast<uint16_t>(h.port) });
    out.timeout = std::chrono::seconds(cfg.timeout_s);
    out.max_bytes = static_cast<size_t>(cfg.max_bytes);
    return out;
}

// The project's shadow repository (agent/undo.h), opened at the first
// snapshot; a failure then is a notice, never the turn's.
agent::CheckpointSettings checkpoint_settings(const config::CheckpointsConfig& cfg, const std::filesystem::path& root)
{
    agent::CheckpointSettings out;
    out.retention = { .keep = cfg.keep, .max_age_days = cfg.max_age_days };
    if (cfg.enabled)
        out.repo = std::make_shared<agent::CheckpointRepo>(agent::default_checkpoints_dir(), root);
    return out;
}

Result<agent::SessionSettings> session_settings(const config::Config& cfg, const config::ResolvedModel& choice,
    const CliOptions& options, const std::filesystem::path& cwd)
{
    agent::SessionSettings s;
    s.model_spec = choice.provider + "/" + choice.model;
    s.model = choice.model;
    s.thinking = thinking_level(options.thinking ? TRY(config::parse_thinking(*options.thinking)) : cfg.thinking);
    s.max_tool_turns = static_cast<int>(options.max_tool_turns.value_or(cfg.max_tool_turns));
    s.cwd = cwd;
    s.memory_limit_bytes = static_cast<size_t>(std::max<int64_t>(0, cfg.memory_limit_mb)) * 1024 * 1024;

    agent::ApprovalMode mode = approval_mode(options.approval.value_or(cfg.approval));
    s.approval
        = TRY_CONTEXT(agent::ApprovalPolicy::make(mode, cfg.rules.allow, cfg.rules.deny), "in {}", cfg.config_path);
    s.approval.project_root = project_root(cwd);
    s.approval.private_dirs = private_dirs(cfg);
    s.sandbox = TRY(make_sandbox(cfg, options, s.approval.project_root, s.approval.private_dirs));
    // Said when the backend is chosen: at start-up in the REPL, at the first
    // command headless (probing bwrap would cost a prompt that runs none ~40 ms).
    s.sandbox->on_unavailable([](std::string_view reason) {
        tui::print_visible(stderr,
            "ik: no OS sandbox for commands: {}. Every command will need your approval (--sandbox off runs them "
            "unconfined without this warning).\n",
            reason);
    });

    auto files = TRY(agent::load_instructions({ .cwd = cwd, .user_config_dir = agent::user_config_dir() }));
    // Skills (agent/ext/skills.h): their names and descriptions in the
    // prompt, and the skill tool only when there are some.
    Loop reads; // the confined reads are synchronous; their context wants a loop
    agent::SkillScan skills = agent::scan_skills(reads, agent::skill_sources(s.approval.project_root));
    for (const std::string& note : skills.notes)
        tui::print_visible(stderr, "ik: {}\n", note);
    s.tools = skills.skills.empty() ? agent::ToolSet::without_skills : agent::ToolSet::all;
    s.system_prompt = agent::build_system_prompt(agent::current_environment(cwd), agent::offered_tools(s.tools), files);
    if (!skills.skills.empty())
        s.system_prompt
            += fmt::format("{}\n{}", s.system_prompt.ends_with('\n') ? "" : "\n", agent::skills_prompt(skills.skills));
    s.context = context_settings(cfg, choice);
    s.hooks = hook_settings(cfg.hooks);
    s.checkpoints = checkpoint_settings(cfg.checkpoints, s.approval.project_root);
    s.web = fetch_settings(cfg.web);
    s.web_search = { .enabled = cfg.web.search, .max_uses = static_cast<int>(cfg.web.search_max_uses) };
    s.max_agent_depth = static_cast<int>(std::min<int64_t>(cfg.agents_max_depth, 16));
    // Agent files (agent/ext/agent_definitions.h) and the sub-agents' own models (app/sub_models.h).
    auto agents = agent::scan_agent_definitions(reads, agent::agent_sources(s.approval.project_root));
    for (const std::string& note : agents.notes())
        tui::print_visible(stderr, "ik: {}\n", note);
    s.agent_definitions = std::make_shared<const agent::AgentDefinitions>(std::move(agents));
    s.models = std::make_shared<const SubModels>(cfg, client_options(cfg));
    for (const auto& f : files)
        s.context.instructions_bytes += f.text.size();
    std::string extra = options.system.value_or(cfg.system);
    if (!extra.empty()) {
        s.system_prompt += "\n\n";
        s.system_prompt += extra;
    }
    // Providers reject request bodies that are not UTF-8 (and the store
    // would too): repair here, once, and say so.
    if (!utf8::is_valid(s.system_prompt)) {
        size_t bad = 0;
        s.system_prompt = utf8::repaired(s.system_prompt, &bad);
        tui::print_visible(stderr,
            "ik: replaced {} invalid UTF-8 byte(s) in the system prompt (AGENTS.md, --system or config) "
            "with U+FFFD\n",
            bad);
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

Expected<Prepared, int> prepare(const CliOptions& options, std::optional<Error>* why)
{
    using Stop = Unexpected<int>;
    auto say = [why](const Error& e) {
        tui::print_visible(stderr, "ik: {}\n", e.to_string());
        if (why)
            *why = e;
    };
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
        // A malformed URL is configuration; anything else is the store failing.
        return Stop(store.error().code() == ErrorCode::invalid_argument ? exit_config : exit_store);
    }
    p.store = std::move(*store);
    auto resume = resume_target(*p.store, options, cwd);
    if (!resume) {
        say(resume.error());
        return Stop(resume.error().code() == ErrorCode::store ? exit_store : exit_usage);
    }
    p.resume_id = std::move(*resume);
    if (!p.resume_id.empty()) {
        // Two processes appending to one session would interleave their
        // conversations: the second one stops here, naming the first.
        if (auto claimed = p.store->claim_session(p.resume_id); !claimed) {
            say(claimed.error());
            return Stop(claimed.error().code() == ErrorCode::denied ? exit_usage : exit_store);
        }
    }
    return p;
}

llm::ClientOptions client_options(const config::Config& cfg)
{
    llm::ClientOptions o;
    o.connect_timeout = std::chrono::seconds(cfg.http.connect_timeout_s);
    o.idle_timeout = std::chrono::seconds(cfg.http.idle_timeout_s);
    o.reply_deadline = std::chrono::seconds(cfg.timeouts.reply_s);
    o.limits.sse_line_bytes = static_cast<size_t>(cfg.limits.sse_line_kb) << 10;
    o.limits.sse_event_bytes = static_cast<size_t>(cfg.limits.sse_event_kb) << 10;
    o.limits.reply_bytes = static_cast<size_t>(cfg.limits.reply_mb) << 20;
    o.retry.max_retries = static_cast<int>(cfg.http.max_retries);
    o.retry.base_ms = cfg.http.backoff_base_ms;
    return o;
}

} // namespace ik::app
