#include "app/headless.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>
#include <unistd.h>

#include "agent/background_agents.h"
#include "agent/llm_model.h"
#include "agent/mentions.h"
#include "agent/session.h"
#include "app/commands/mcp_prompts.h"
#include "app/exit_codes.h"
#include "app/headless_custom.h"
#include "app/headless_output.h"
#include "app/mcp_setup.h"
#include "app/sessions_cmd.h"
#include "app/setup.h"
#include "app/sources_text.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/interrupt.h"
#include "core/loop.h"
#include "core/mem_report.h"
#include "core/utf8.h"
#include "llm/client.h"
#include "tui/visible.h"

namespace ik::app {

namespace {

void report(const Error& e)
{
    tui::print_visible(stderr, "ik: {}: {}\n", to_string(e.code()), e.to_string());
}

// The one line of advice per category, after the message.
void advise(const Error& e, const config::ResolvedModel& choice, const config::Config& cfg)
{
    auto it = cfg.providers.find(choice.provider);
    std::string env = it != cfg.providers.end() ? it->second.api_key_env : "";
    switch (e.code()) {
    case ErrorCode::auth:
        tui::print_visible(stderr, "ik: check the API key for '{}'{}\n", choice.provider,
            env.empty() ? "" : fmt::format(" (${} or {})", env, cfg.credentials_path));
        break;
    case ErrorCode::rate_limit:
        tui::print_visible(stderr, "ik: the provider is rate limiting this key; wait a little or raise your limits\n");
        break;
    case ErrorCode::overloaded:
        tui::print_visible(
            stderr, "ik: the provider is overloaded; try again later or pick another model with --model\n");
        break;
    case ErrorCode::context_too_long:
        tui::print_visible(
            stderr, "ik: the conversation is longer than the model's context window; shorten the prompt\n");
        break;
    case ErrorCode::timeout:
    case ErrorCode::network:
        tui::print_visible(
            stderr, "ik: check the network and the base URL ({})\n", config::redact_url(choice.base_url));
        break;
    default:
        break;
    }
}

Result<std::string> read_stdin()
{
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

Result<std::string> read_prompt(const CliOptions& options)
{
    std::string text = options.prompt ? *options.prompt : TRY(read_stdin());
    if (!utf8::is_valid(text)) {
        // The store and every provider want UTF-8: repair, and say so.
        size_t bad = 0;
        text = utf8::repaired(text, &bad);
        tui::print_visible(stderr, "ik: replaced {} invalid UTF-8 byte(s) in the prompt with U+FFFD\n", bad);
    }
    return text;
}

// Headless output: the answer on stdout (through HeadlessOutput), tool activity
// and notices on stderr, one short line each. Every stderr line is rendered
// visibly (tui/visible.h), on a terminal or not: it quotes tool arguments and
// provider errors, and stderr is read by a person.
class HeadlessObserver final : public agent::SessionObserver {
public:
    explicit HeadlessObserver(HeadlessOutput& sink)
        : m_sink(sink)
    {
    }

    std::optional<agent::TurnOutcome> outcome;
    std::optional<Error> sink_error;

    void on_model_event(const llm::Event& e) override
    {
        if (e.kind == llm::StreamEventKind::search)
            tui::print_visible(stderr, "ik: {}\n", search_progress(e));
        if (auto r = m_sink.on_event(e); !r && !sink_error)
            sink_error = r.error();
    }
    void on_round_start(int) override { m_sink.begin_round(); }
    void on_tool_start(const llm::ToolCall& call, const agent::ApprovalRequest& request) override
    {
        std::string_view what = request.preview.command.empty() ? std::string_view(call.arguments)
                                                                : std::string_view(request.preview.command);
        tui::print_visible(stderr, "ik: {} {}\n", call.name, what.substr(0, 200));
    }
    void on_tool_denied(const llm::ToolCall& call, const agent::Decision& decision, std::string_view) override
    {
        tui::print_visible(stderr, "ik: {} denied: {}\n", call.name, decision.reason);
    }
    void on_tool_result(const llm::ToolCall& call, const agent::ToolResult& result) override
    {
        m_sink.add_tool_result(call.id, call.name, result.content, result.is_error);
        tui::print_visible(stderr, "ik: {} → {}\n", call.name, result.summary);
    }
    void on_notice(std::string_view text) override { tui::print_visible(stderr, "ik: {}\n", text); }
    void on_sources(std::span<const store::SourceRecord> sources) override { m_sink.add_sources(sources); }
    void on_turn_end(const agent::TurnOutcome& o) override { outcome = o; }

private:
    HeadlessOutput& m_sink;
};

} // namespace

int run_config_command()
{
    auto cfg = config::load(config::process_environment());
    if (!cfg) {
        tui::print_visible(stderr, "ik: {}\n", cfg.error().to_string());
        return exit_config;
    }
    // Config values come from a file: visible on a terminal, exact in a pipe.
    tui::TextWriter(stdout, tui::rendering_for(stdout)).write(config::to_json(*cfg));
    return exit_ok;
}

int run_sessions_command(const CliOptions& options)
{
    auto cfg = config::load(config::process_environment());
    if (!cfg) {
        tui::print_visible(stderr, "ik: {}\n", cfg.error().to_string());
        return exit_config;
    }
    // Reading needs no write: a store that cannot be written (read-only,
    // immutable, a full disk) is still listed, shown and exported.
    auto store = open_configured_store(*cfg, store::Access::read_only_fallback);
    if (!store) {
        report(store.error());
        return store.error().code() == ErrorCode::invalid_argument ? exit_config : exit_store;
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

namespace {

std::string_view signal_name(int signo)
{
    switch (signo) {
    case SIGINT:
        return "Ctrl-C (SIGINT)";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP (the terminal went away)";
    case SIGPIPE:
        return "SIGPIPE (the reader of stdout went away)";
    default:
        return "a signal";
    }
}

// The answer reached stdout only if every write did: a full disk or a
// closed pipe must not look like success to the script that ran ik.
bool stdout_failed()
{
    errno = 0;
    return std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
}

} // namespace

int run_headless(const CliOptions& options)
{
    auto prompt = read_prompt(options);
    if (!prompt) {
        tui::print_visible(stderr, "ik: {}\n", prompt.error().to_string());
        return exit_usage;
    }

    // Signals are watched before anything slow starts (the store may be a
    // PostgreSQL server that does not answer): a pending one makes that wait
    // give up (core/interrupt.h), and the loop then reports it.
    Loop loop;
    agent::Session* live = nullptr;
    int signal_seen = 0;
    auto on_signal = [&](int signo) {
        if (!signal_seen)
            signal_seen = signo;
        request_stop(); // the run ends: writes on the way out must not wait again
        if (live)
            live->cancel();
    };
    // SIGHUP (the terminal closed) and SIGPIPE (stdout's reader left) end the
    // run like SIGTERM: the reply so far is stored and tools are stopped.
    for (int signo : { SIGINT, SIGTERM, SIGHUP, SIGPIPE }) {
        if (auto r = loop.watch_signal(signo, on_signal); !r) {
            report(r.error());
            return exit_internal;
        }
    }
    mem::Arena app(mem::root(), "app");
    HeadlessOutput sink(loop, app, options.output_format, stdout);

    // "/greet world" naming a custom command runs it; its model, unless
    // --model says otherwise, is the run's.
    auto named = find_headless_command(loop, *prompt, std::filesystem::current_path());
    CliOptions chosen = options;
    if (named && !named->command.model.empty() && !chosen.model)
        chosen.model = named->command.model;
    std::optional<Error> why;
    auto prepared = prepare(chosen, &why);
    if (!prepared) {
        (void)loop.run_once(0); // a signal that cut the start short
        if (signal_seen)
            return exit_interrupted;
        // The json format promises one object on stdout, failure included.
        if (why && options.output_format == OutputFormat::json)
            sink.finish(&*why);
        return prepared.error();
    }
    Prepared& p = *prepared;
    const config::Config& cfg = p.cfg;
    const config::ResolvedModel& choice = p.choice;

    llm::Client client(loop, client_options(cfg));
    agent::LlmModel model(loop, client, app);
    model.set_target(llm::provider_for(wire_format(choice.format)), choice.base_url, choice.api_key);
    HeadlessObserver observer(sink);
    // Before the session: the model's first request lists the servers' tools.
    auto mcp = start_mcp_headless(loop, app, cfg, p.settings.cwd, [&] { return signal_seen != 0; });

    auto session = agent::Session::create(
        agent::SessionDeps{ loop, *p.store, model, observer, app }, std::move(p.settings), p.resume_id);
    if (!session) {
        report(session.error());
        if (options.output_format == OutputFormat::json)
            sink.finish(&session.error());
        return exit_code_for(session.error().code());
    }
    live = session->get();
    if (named) {
        auto text = expand_headless_command(
            *named, { loop, (*session)->settings(), (*session)->allows(), observer }, signal_seen);
        if (!text) {
            report(text.error());
            return signal_seen ? exit_interrupted : exit_code_for(text.error().code());
        }
        *prompt = std::move(*text);
    } else if (auto text = headless_mcp_prompt(loop, *prompt, signal_seen)) { // "/mcp__server__prompt args"
        if (!*text) {
            report(text->error());
            return signal_seen ? exit_interrupted : exit_code_for(text->error().code());
        }
        *prompt = std::move(**text);
    }

    // @path images go with the prompt (text files are not expanded headless).
    const agent::SessionSettings& settings = (*session)->settings();
    agent::Mentions attached = agent::attach_mentions(*prompt, settings.approval, loop, settings.cwd,
        agent::mention_images((*session)->context().limits(), settings.model_spec, model),
        agent::MentionKinds::images_only);
    for (const std::string& line : attached.attached)
        tui::print_visible(stderr, "ik: attached {}\n", line);
    for (const std::string& line : attached.notes)
        tui::print_visible(stderr, "ik: {}\n", line);
    if (auto r = (*session)->submit(*prompt, attached.images); !r) {
        report(r.error());
        if (options.output_format == OutputFormat::json)
            sink.finish(&r.error());
        return exit_code_for(r.error().code());
    }
    if (auto r = loop.run_until([&] { return observer.outcome.has_value(); }); !r) {
        report(r.error());
        return exit_internal;
    }
    // A signal that ended the turn from inside a store wait is still pending
    // on the loop: read it now, or it would kill ik when the mask is restored.
    (void)loop.run_once(0);
    const agent::TurnOutcome& outcome = *observer.outcome;
    std::optional<Error> error = outcome.error;
    if (!error && outcome.interrupted)
        error = Error(ErrorCode::interrupted, "the reply was cut short");
    std::string_view category;
    if (!error && outcome.hit_tool_limit) {
        error = Error::make(ErrorCode::invalid_argument,
            "stopped after {} tool rounds (--max-tool-turns / max_tool_turns) before the model finished",
            options.max_tool_turns.value_or(cfg.max_tool_turns));
        category = "limit"; // as the store's error event says
    }
    sink.set_cost((*session)->context().accounting().cost_usd);
    sink.finish(error ? &*error : nullptr, category);
    // IK_MEM_REPORT: while the session, its window and the run's arenas are
    // still alive, so the report shows what the run held (and each peak).
    mem::maybe_report();
    // Background agents do not outlive the run: say so, then stop them (their
    // running turns are stored as interrupted).
    if (size_t n = (*session)->sub_agents().background().kill_all())
        tui::print_visible(stderr, "ik: stopped {} background agent{} at the end of the run\n", n, n == 1 ? "" : "s");
    live = nullptr;
    session->reset();
    bool output_failed = stdout_failed();
    if (output_failed && !signal_seen)
        tui::print_visible(stderr, "ik: cannot write the answer to stdout{}\n",
            errno ? fmt::format(": {}", std::strerror(errno)) : std::string());
    if (outcome.hit_tool_limit)
        return exit_limit;
    if (error && error->code() == ErrorCode::interrupted && signal_seen) {
        tui::print_visible(stderr, "ik: interrupted by {}\n", signal_name(signal_seen));
        return exit_interrupted;
    }
    if (!error)
        return output_failed ? exit_output : exit_ok;
    report(*error);
    advise(*error, choice, cfg);
    return exit_code_for(error->code());
}

} // namespace ik::app
