#include "app/headless.h"

#include <csignal>
#include <cstdio>
#include <cerrno>
#include <string>

#include <unistd.h>

#include <fmt/format.h>

#include "app/exit_codes.h"
#include "app/output_sink.h"
#include "config/config.h"
#include "config/model_spec.h"
#include "core/arena.h"
#include "core/loop.h"
#include "llm/client.h"
#include "llm/local_probe.h"
#include "llm/provider.h"

namespace ik::app {

namespace {

llm::WireFormat wire_format(config::ApiFormat f)
{
    switch (f) {
    case config::ApiFormat::openai_chat: return llm::WireFormat::openai_chat;
    case config::ApiFormat::openai_responses: return llm::WireFormat::openai_responses;
    case config::ApiFormat::anthropic: return llm::WireFormat::anthropic;
    case config::ApiFormat::gemini: return llm::WireFormat::gemini;
    }
    return llm::WireFormat::openai_chat;
}

llm::ThinkingLevel thinking_level(config::Thinking t)
{
    switch (t) {
    case config::Thinking::none: return llm::ThinkingLevel::none;
    case config::Thinking::low: return llm::ThinkingLevel::low;
    case config::Thinking::medium: return llm::ThinkingLevel::medium;
    case config::Thinking::high: return llm::ThinkingLevel::high;
    }
    return llm::ThinkingLevel::none;
}

int exit_code_for(ErrorCode code)
{
    switch (code) {
    case ErrorCode::config:
    case ErrorCode::auth: return exit_config;
    case ErrorCode::interrupted: return exit_interrupted;
    case ErrorCode::invalid_argument: return exit_usage;
    case ErrorCode::internal: return exit_internal;
    default: return exit_provider;
    }
}

void report(const Error& e)
{
    fmt::print(stderr, "ik: {}: {}\n", to_string(e.code()), e.to_string());
}

// The one line of advice per category, after the message.
void advise(const Error& e, const config::ModelChoice& choice, const config::Config& cfg)
{
    auto it = cfg.providers.find(choice.provider);
    std::string env = it != cfg.providers.end() ? it->second.api_key_env : "";
    switch (e.code()) {
    case ErrorCode::auth:
        fmt::print(stderr, "ik: check the API key for '{}'{}\n", choice.provider,
                   env.empty() ? "" : fmt::format(" (${} or {})", env, cfg.credentials_path));
        break;
    case ErrorCode::rate_limit:
        fmt::print(stderr, "ik: the provider is rate limiting this key; wait a little or raise your limits\n");
        break;
    case ErrorCode::overloaded:
        fmt::print(stderr, "ik: the provider is overloaded; try again later or pick another model with --model\n");
        break;
    case ErrorCode::context_too_long:
        fmt::print(stderr, "ik: the conversation is longer than the model's context window; shorten the prompt\n");
        break;
    case ErrorCode::timeout:
    case ErrorCode::network:
        fmt::print(stderr, "ik: check the network and the base URL ({})\n", choice.base_url);
        break;
    default: break;
    }
}

Result<std::string> read_prompt(const CliOptions& options)
{
    if (options.prompt)
        return *options.prompt;
    std::string text;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        text.append(buf, static_cast<size_t>(n));
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    if (text.empty())
        return fail(ErrorCode::invalid_argument, "no prompt: give one with -p \"...\" or on stdin");
    return text;
}

// Picks the model and checks credentials; prints and returns an exit code on failure.
Result<config::ModelChoice> choose_model(config::Config& cfg, const CliOptions& options)
{
    std::string spec = options.model.value_or(cfg.model);
    config::ModelChoice choice = TRY(config::resolve_model(cfg, spec));
    if (config::has_credentials(cfg, choice.provider))
        return choice;
    if (!config::has_any_credentials(cfg)) {
        const std::string& local = cfg.providers["ollama"].base_url;
        if (llm::probe_local_server(local, std::chrono::milliseconds(150))) {
            std::string_view fallback = config::local_fallback_model;
            if (options.model && options.model->starts_with("ollama/"))
                fallback = *options.model;
            fmt::print(stderr, "ik: no API key configured; using the local server at {} ({})\n", local, fallback);
            return config::resolve_model(cfg, fallback);
        }
        return fail(ErrorCode::auth,
                    "no API key found. Set one, e.g.: export ANTHROPIC_API_KEY=... (or OPENAI_API_KEY, GEMINI_API_KEY)\n"
                    "ik: or point ik at a server: export OPENAI_BASE_URL=http://127.0.0.1:8080/v1 and use --model openai/<name>");
    }
    const auto& p = cfg.providers[choice.provider];
    return fail(ErrorCode::auth, "no API key for '{}': set ${} or add it to {} (mode 0600)", choice.provider,
                p.api_key_env, cfg.credentials_path);
}

}  // namespace

int run_config_command()
{
    auto cfg = config::load(config::process_environment());
    if (!cfg) {
        fmt::print(stderr, "ik: {}\n", cfg.error().to_string());
        return exit_config;
    }
    std::string text = config::to_json(*cfg);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return exit_ok;
}

int run_headless(const CliOptions& options)
{
    auto loaded = config::load(config::process_environment());
    if (!loaded) {
        fmt::print(stderr, "ik: {}\n", loaded.error().to_string());
        return exit_config;
    }
    config::Config& cfg = *loaded;
    if (options.thinking)
        cfg.thinking = *config::parse_thinking(*options.thinking);
    auto choice = choose_model(cfg, options);
    if (!choice) {
        fmt::print(stderr, "ik: {}\n", choice.error().to_string());
        return exit_config;
    }
    auto prompt = read_prompt(options);
    if (!prompt) {
        fmt::print(stderr, "ik: {}\n", prompt.error().to_string());
        return exit_usage;
    }

    const llm::Provider& provider = llm::provider_for(wire_format(choice->format));
    llm::Endpoint endpoint{choice->base_url, choice->api_key};
    llm::Message user;
    user.role = llm::Role::user;
    user.text = *prompt;
    std::string system = options.system.value_or(cfg.system);
    llm::Request request;
    request.model = choice->model;
    request.system = system;
    request.messages = std::span<const llm::Message>(&user, 1);
    request.thinking = thinking_level(cfg.thinking);

    Loop loop;
    llm::ClientOptions client_options;
    client_options.connect_timeout = std::chrono::seconds(cfg.http.connect_timeout_s);
    client_options.idle_timeout = std::chrono::seconds(cfg.http.idle_timeout_s);
    client_options.retry.max_retries = static_cast<int>(cfg.http.max_retries);
    client_options.retry.base_ms = cfg.http.backoff_base_ms;
    llm::Client client(loop, client_options);

    int signal_seen = 0;
    auto on_signal = [&](int signo) {
        signal_seen = signo;
        client.cancel();
    };
    for (int signo : {SIGINT, SIGTERM}) {
        if (auto r = loop.watch_signal(signo, on_signal); !r) {
            report(r.error());
            return exit_internal;
        }
    }

    mem::Arena run(mem::root(), "headless");
    mem::Arena turn(run, "turn");
    OutputSink sink(loop, run, options.output_format, stdout);
    Result<void> result = client.run(turn, provider, endpoint, request, sink);
    sink.finish(result ? nullptr : &result.error());
    if (result)
        return exit_ok;
    const Error& e = result.error();
    if (e.code() == ErrorCode::interrupted && signal_seen)
        fmt::print(stderr, "ik: interrupted by {}\n", signal_seen == SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM");
    else
        report(e);
    advise(e, *choice, cfg);
    return exit_code_for(e.code());
}

}  // namespace ik::app
