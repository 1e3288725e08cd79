#include "app/headless.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <unistd.h>

#include "agent/llm_model.h"
#include "agent/session.h"
#include "app/exit_codes.h"
#include "app/output_sink.h"
#include "app/sessions_cmd.h"
#include "app/setup.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/loop.h"
#include "llm/client.h"

namespace ik::app {

namespace {

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
    default:
        break;
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

// Headless output: the answer on stdout (through OutputSink), tool activity
// and notices on stderr, one short line each.
class HeadlessObserver final : public agent::SessionObserver {
public:
    explicit HeadlessObserver(OutputSink& sink)
        : m_sink(sink)
    {
    }

    std::optional<agent::TurnOutcome> outcome;
    std::optional<Error> sink_error;

    void on_model_event(const llm::Event& e) override
    {
        if (auto r = m_sink.on_event(e); !r && !sink_error)
            sink_error = r.error();
    }
    void on_round_start(int) override { m_sink.begin_round(); }
    void on_tool_start(const llm::ToolCall& call, const agent::ApprovalRequest& request) override
    {
        std::string_view what = request.preview.command.empty() ? std::string_view(call.arguments)
                                                                : std::string_view(request.preview.command);
        fmt::print(stderr, "ik: {} {}\n", call.name, what.substr(0, 200));
    }
    void on_tool_denied(const llm::ToolCall& call, const agent::Decision& decision, std::string_view) override
    {
        fmt::print(stderr, "ik: {} denied: {}\n", call.name, decision.reason);
    }
    void on_tool_result(const llm::ToolCall& call, const agent::ToolResult& result) override
    {
        m_sink.add_tool_result(call.id, call.name, result.content, result.is_error);
        fmt::print(stderr, "ik: {} → {}\n", call.name, result.summary);
    }
    void on_notice(std::string_view text) override { fmt::print(stderr, "ik: {}\n", text); }
    void on_turn_end(const agent::TurnOutcome& o) override { outcome = o; }

private:
    OutputSink& m_sink;
};

} // namespace

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

int run_sessions_command(const CliOptions& options)
{
    auto cfg = config::load(config::process_environment());
    if (!cfg) {
        fmt::print(stderr, "ik: {}\n", cfg.error().to_string());
        return exit_config;
    }
    auto store = open_configured_store(*cfg);
    if (!store) {
        report(store.error());
        return exit_config;
    }
    switch (options.sessions_action) {
    case SessionsAction::list: {
        std::string cwd = std::filesystem::current_path().string();
        SessionsListOptions list;
        if (!options.sessions_all_dirs)
            list.cwd = cwd;
        return sessions_list(**store, list, stdout, stderr);
    }
    case SessionsAction::search:
        return sessions_search(**store, options.sessions_arg, stdout, stderr);
    case SessionsAction::show:
        return sessions_show(**store, options.sessions_arg, stdout, stderr);
    case SessionsAction::export_: {
        auto format = parse_export_format(options.export_format);
        if (!format) {
            report(format.error());
            return exit_usage;
        }
        return sessions_export(**store, options.sessions_arg, *format, stdout, stderr);
    }
    }
    return exit_usage;
}

int run_headless(const CliOptions& options)
{
    auto prompt = read_prompt(options);
    if (!prompt) {
        fmt::print(stderr, "ik: {}\n", prompt.error().to_string());
        return exit_usage;
    }
    auto prepared = prepare(options);
    if (!prepared)
        return prepared.error();
    Prepared& p = *prepared;
    const config::Config& cfg = p.cfg;
    const config::ModelChoice& choice = p.choice;

    Loop loop;
    llm::Client client(loop, client_options(cfg));

    mem::Arena app(mem::root(), "app");
    agent::LlmModel model(loop, client, app);
    model.set_target(llm::provider_for(wire_format(choice.format)), choice.base_url, choice.api_key);
    OutputSink sink(loop, app, options.output_format, stdout);
    HeadlessObserver observer(sink);

    auto session = agent::Session::create(
        agent::SessionDeps{ loop, *p.store, model, observer, app }, std::move(p.settings), p.resume_id);
    if (!session) {
        report(session.error());
        return exit_code_for(session.error().code());
    }

    int signal_seen = 0;
    auto on_signal = [&](int signo) {
        signal_seen = signo;
        (*session)->cancel();
    };
    for (int signo : { SIGINT, SIGTERM }) {
        if (auto r = loop.watch_signal(signo, on_signal); !r) {
            report(r.error());
            return exit_internal;
        }
    }

    if (auto r = (*session)->submit(*prompt); !r) {
        report(r.error());
        return exit_code_for(r.error().code());
    }
    if (auto r = loop.run_until([&] { return observer.outcome.has_value(); }); !r) {
        report(r.error());
        return exit_internal;
    }
    const agent::TurnOutcome& outcome = *observer.outcome;
    std::optional<Error> error = outcome.error;
    if (!error && outcome.interrupted)
        error = Error(ErrorCode::interrupted, "the reply was cut short");
    sink.set_cost((*session)->context().accounting().cost_usd);
    sink.finish(error ? &*error : nullptr);
    session->reset();
    if (outcome.hit_tool_limit)
        return exit_limit;
    if (!error)
        return exit_ok;
    if (error->code() == ErrorCode::interrupted && signal_seen)
        fmt::print(stderr, "ik: interrupted by {}\n", signal_seen == SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM");
    else
        report(*error);
    advise(*error, choice, cfg);
    return exit_code_for(error->code());
}

} // namespace ik::app
