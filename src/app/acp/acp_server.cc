#include "app/acp/acp_server.h"

#include <csignal>
#include <map>
#include <memory>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include "agent/instructions.h"
#include "agent/llm_model.h"
#include "agent/mentions.h"
#include "app/acp/acp_mapping.h"
#include "app/acp/acp_mcp_servers.h"
#include "app/acp/acp_prompt.h"
#include "app/acp/acp_session.h"
#include "app/commands/custom.h"
#include "app/exit_codes.h"
#include "app/headless_custom.h"
#include "app/mcp_setup.h"
#include "app/model_limits.h"
#include "app/setup.h"
#include "core/interrupt.h"
#include "tui/visible.h"

namespace ik::app::acp {

namespace {

// One message from the editor: a prompt with embedded files is the biggest.
constexpr size_t max_line_bytes = size_t{ 8 } << 20;

class Server {
public:
    Server(Loop& loop, mem::Arena& app, Prepared& p, const CliOptions& options)
        : m_loop(loop)
        , m_app(app)
        , m_p(p)
        , m_options(options)
        , m_client(loop, client_options(p.cfg))
        , m_model(loop, m_client, app)
        , m_channel(loop, app, STDIN_FILENO, STDOUT_FILENO, max_line_bytes,
              [this](const jsonrpc::Message& m) { on_message(m); })
    {
        m_model.set_target(llm::provider_for(wire_format(p.choice.format)), p.choice.base_url, p.choice.api_key);
    }

    Channel& channel() { return m_channel; }
    void cancel_all()
    {
        for (auto& [id, s] : m_sessions)
            s->cancel();
    }
    bool busy() const
    {
        for (const auto& [id, s] : m_sessions)
            if (s->prompting())
                return true;
        return false;
    }

private:
    void on_message(const jsonrpc::Message& m);
    void initialize(const jsonrpc::Message& m);
    void new_session(const jsonrpc::Message& m, bool load);
    void prompt(const jsonrpc::Message& m);
    void set_mode(const jsonrpc::Message& m);
    AcpSession* find(const jsonrpc::Message& m);
    Result<void> start_mcp_servers(const std::filesystem::path& cwd, const json::value* servers);
    void send_commands(AcpSession& s);

    void invalid(const jsonrpc::Message& m, std::string_view why)
    {
        m_channel.respond_error(m.id, jsonrpc::invalid_params, why);
    }

    Loop& m_loop;
    mem::Arena& m_app;
    Prepared& m_p;
    const CliOptions& m_options;
    llm::Client m_client;
    agent::LlmModel m_model;
    Channel m_channel;
    bool m_initialized = false;
    bool m_client_reads = false; // the editor offers fs/read_text_file
    bool m_client_writes = false; // the editor offers fs/write_text_file
    std::unique_ptr<McpRuntime> m_mcp; // declared before the sessions: outlives them (they use its tools)
    std::map<std::string, std::unique_ptr<AcpSession>, std::less<>> m_sessions;
};

void Server::on_message(const jsonrpc::Message& m)
{
    bool request = m.kind == jsonrpc::Kind::request;
    std::string_view method = m.method;
    if (method == "initialize" && request)
        return initialize(m);
    if (!m_initialized && request) {
        m_channel.respond_error(m.id, jsonrpc::invalid_request, "call initialize first");
        return;
    }
    if (method == "authenticate" && request) {
        // ik advertises no auth methods (keys come from the environment or
        // its credentials file); a client that authenticates anyway is told yes.
        m_channel.respond(m.id, "{}");
        return;
    }
    if (method == "session/new" && request)
        return new_session(m, false);
    if (method == "session/load" && request)
        return new_session(m, true);
    if (method == "session/prompt" && request)
        return prompt(m);
    if (method == "session/set_mode" && request)
        return set_mode(m);
    if (method == "session/cancel") {
        std::string_view id = m.params ? json::Field(*m.params)["sessionId"].string_or("") : "";
        if (auto it = m_sessions.find(id); it != m_sessions.end())
            it->second->cancel();
        return;
    }
    if (request)
        m_channel.respond_error(m.id, jsonrpc::method_not_found, fmt::format("unknown method '{}'", method));
    // An unknown notification is ignored, as JSON-RPC wants.
}

void Server::initialize(const jsonrpc::Message& m)
{
    if (!m.params || !m.params->is_object())
        return invalid(m, "initialize: params must be an object");
    json::Field params(*m.params);
    if (!params["protocolVersion"].integer())
        return invalid(m, "initialize: protocolVersion must be an integer");
    json::Field fs = params["clientCapabilities"]["fs"];
    m_client_reads = fs["readTextFile"].boolean_or(false);
    m_client_writes = fs["writeTextFile"].boolean_or(false);
    m_initialized = true;
    // image: the configured model's (catalog or models.<x>.images); every
    // session of this process starts on it.
    // http: Streamable HTTP servers start like configured ones (acp_mcp_servers.cc).
    bool images = (model_limits(m_p.cfg, m_p.choice).caps & llm::cap_images) != 0;
    m_channel.respond(m.id,
        fmt::format(R"({{"protocolVersion":{},"agentCapabilities":{{"loadSession":true,)"
                    R"("promptCapabilities":{{"image":{},"audio":false,"embeddedContext":true}},)"
                    R"("mcpCapabilities":{{"http":true,"sse":false}}}},)"
                    R"("agentInfo":{{"name":"ik","title":"ik","version":{}}},"authMethods":[]}})",
            protocol_version, images, boost::json::serialize(boost::json::string_view(IK_VERSION))));
}

AcpSession* Server::find(const jsonrpc::Message& m)
{
    if (!m.params || !m.params->is_object()) {
        invalid(m, fmt::format("{}: params must be an object", m.method));
        return nullptr;
    }
    auto id = json::Field(*m.params)["sessionId"].string();
    if (!id) {
        invalid(m, fmt::format("{}: {}", m.method, id.error().message()));
        return nullptr;
    }
    auto it = m_sessions.find(*id);
    if (it == m_sessions.end()) {
        invalid(m,
            fmt::format("{}: no session '{}' in this process (session/new or session/load it first)", m.method, *id));
        return nullptr;
    }
    return it->second.get();
}

Result<void> Server::start_mcp_servers(const std::filesystem::path& cwd, const json::value* servers)
{
    std::vector<config::McpServerConfig> wanted = TRY(parse_mcp_servers(servers));
    if (!m_mcp) {
        // The configured and trusted project servers, once, for the first
        // session's directory; the editor's come with each session.
        m_mcp = start_mcp(m_loop, m_app, m_p.cfg, cwd, ProjectTrust::report);
        if (!m_mcp && !wanted.empty()) {
            m_mcp = std::make_unique<McpRuntime>();
            m_mcp->manager = std::make_unique<mcp::Manager>(m_loop, m_app, cwd);
            m_mcp->tools = std::make_unique<agent::McpTools>(*m_mcp->manager);
            agent::set_external_tools(m_mcp->tools.get());
        }
    }
    for (auto& s : wanted)
        if (!m_mcp->manager->server(s.name))
            m_mcp->manager->add(std::move(s));
    if (m_mcp)
        m_mcp->manager->start_all();
    return {};
}

void Server::new_session(const jsonrpc::Message& m, bool load)
{
    std::string_view what = load ? "session/load" : "session/new";
    if (!m.params || !m.params->is_object())
        return invalid(m, fmt::format("{}: params must be an object", what));
    json::Field params(*m.params);
    auto cwd_text = params["cwd"].string();
    if (!cwd_text)
        return invalid(m, fmt::format("{}: {}", what, cwd_text.error().message()));
    std::filesystem::path cwd(*cwd_text);
    std::error_code ec;
    if (!cwd.is_absolute() || !std::filesystem::is_directory(cwd, ec))
        return invalid(m, fmt::format("{}: cwd must be an absolute path to a directory, not '{}'", what, *cwd_text));
    std::string resume;
    if (load) {
        auto id = params["sessionId"].string();
        if (!id)
            return invalid(m, fmt::format("{}: {}", what, id.error().message()));
        if (m_sessions.contains(*id))
            return invalid(m, fmt::format("{}: session '{}' is already open", what, *id));
        auto resolved = m_p.store->resolve_id(*id);
        if (!resolved)
            return invalid(m, fmt::format("{}: {}", what, resolved.error().to_string()));
        if (auto claimed = m_p.store->claim_session(*resolved); !claimed)
            return invalid(m, fmt::format("{}: {}", what, claimed.error().to_string()));
        resume = std::move(*resolved);
    }
    if (auto r = start_mcp_servers(cwd, params["mcpServers"].get()); !r)
        return invalid(m, fmt::format("{}: {}", what, r.error().message()));
    auto settings = session_settings(m_p.cfg, m_p.choice, m_options, cwd);
    if (!settings)
        return m_channel.respond_error(m.id, jsonrpc::internal_error, settings.error().to_string());
    if (!load) {
        // The row now, not with the first event as in the REPL: the editor
        // holds this id from the start and may session/load it later.
        auto created = m_p.store->create_session({ .cwd = cwd.string(), .model = settings->model_spec });
        if (!created)
            return m_channel.respond_error(m.id, jsonrpc::internal_error, created.error().to_string());
        resume = std::move(*created);
    }
    agent::ApprovalMode mode = settings->approval.mode;
    auto acp = std::make_unique<AcpSession>(m_channel, m_app, resume, cwd);
    if (m_client_reads || m_client_writes)
        settings->client_files = acp->enable_editor_files(m_loop, m_client_reads, m_client_writes);
    auto session = agent::Session::create(
        agent::SessionDeps{ m_loop, *m_p.store, m_model, *acp, m_app }, std::move(*settings), resume);
    if (!session)
        return m_channel.respond_error(m.id, jsonrpc::internal_error, session.error().to_string());
    acp->attach(std::move(*session));
    AcpSession& s = *acp;
    m_sessions.emplace(resume, std::move(acp));
    if (load)
        s.replay_history(); // before the response, as the protocol asks
    mem::Arena scratch(m_app, "acp-reply");
    json::object result(json::storage(scratch));
    if (!load)
        result["sessionId"] = boost::json::string_view(resume.data(), resume.size());
    result["modes"] = mode_state(scratch, mode);
    m_channel.respond(m.id, boost::json::serialize(result));
    send_commands(s);
}

void Server::send_commands(AcpSession& s)
{
    // The custom commands (agent/ext/custom_commands.h) are what ik runs
    // from a prompt starting with "/name"; the REPL's built-in commands
    // drive its screen and are not offered here.
    auto notes
        = install_custom_commands(agent::scan_commands(m_loop, command_sources(agent::find_project_root(s.cwd()))));
    for (const auto& note : notes)
        tui::print_visible(stderr, "ik: {}\n", note);
    mem::Arena scratch(m_app, "acp-commands");
    json::object u(json::storage(scratch));
    u["sessionUpdate"] = "available_commands_update";
    json::array list(json::storage(scratch));
    for (const SlashCommand& c : custom_commands()) {
        json::object o(json::storage(scratch));
        o["name"] = boost::json::string_view(c.name.data(), c.name.size());
        o["description"] = boost::json::string_view(c.help.data(), c.help.size());
        if (!c.args.empty()) {
            json::object input(json::storage(scratch));
            input["hint"] = boost::json::string_view(c.args.data(), c.args.size());
            o["input"] = std::move(input);
        }
        list.push_back(std::move(o));
    }
    u["availableCommands"] = std::move(list);
    s.send_update(u);
}

void Server::prompt(const jsonrpc::Message& m)
{
    AcpSession* s = find(m);
    if (!s)
        return;
    if (s->prompting())
        return invalid(m, "session/prompt: a prompt is already running in this session");
    const agent::SessionSettings& settings = s->session().settings();
    bool images = (s->session().context().limits().caps & llm::cap_images) != 0;
    auto content = prompt_content(json::Field(*m.params)["prompt"], s->cwd(), { images, settings.model_spec });
    if (!content)
        return invalid(m, fmt::format("session/prompt: {}", content.error().message()));
    std::string prompt = std::move(content->text);
    if (auto named = find_headless_command(m_loop, prompt, s->cwd())) {
        // A custom command: expanded as `ik -p` does, its !`cmd` lines under
        // the headless rules (nobody can be asked while the loop runs the
        // expansion with the editor's input paused).
        agent::SessionObserver headless;
        int stop = 0;
        m_channel.set_paused(true);
        auto expanded = expand_headless_command(*named, { m_loop, settings, s->session().allows(), headless }, stop);
        m_channel.set_paused(false);
        if (!expanded)
            return m_channel.respond_error(m.id, jsonrpc::internal_error, expanded.error().to_string());
        prompt = std::move(*expanded);
    }
    agent::Mentions mentions = agent::attach_mentions(prompt, settings.approval, m_loop, s->cwd(),
        agent::mention_images(s->session().context().limits(), settings.model_spec, m_model));
    for (const auto& note : mentions.notes)
        tui::print_visible(stderr, "ik: {}\n", note);
    // The editor's images after the @-mentioned ones, within one message's limit.
    for (auto& image : content->images)
        if (mentions.images.size() < llm::max_images_per_message)
            mentions.images.push_back(std::move(image));
    s->prompt(OwnedId::of(m.id), mentions.text, mentions.images);
}

void Server::set_mode(const jsonrpc::Message& m)
{
    AcpSession* s = find(m);
    if (!s)
        return;
    auto mode = parse_mode(json::Field(*m.params)["modeId"].string_or(""));
    if (!mode)
        return invalid(m, "session/set_mode: modeId must be one of ask, auto-edit, yolo");
    s->session().set_approval_mode(*mode);
    m_channel.respond(m.id, "{}");
}

} // namespace

int run_acp(const CliOptions& options)
{
    Loop loop;
    bool stopping = false;
    Server* live = nullptr;
    auto on_signal = [&](int) {
        stopping = true;
        request_stop();
        if (live)
            live->cancel_all();
    };
    for (int signo : { SIGINT, SIGTERM, SIGHUP, SIGPIPE })
        if (auto r = loop.watch_signal(signo, on_signal); !r) {
            tui::print_visible(stderr, "ik: {}\n", r.error().to_string());
            return exit_internal;
        }
    // The config, model and store as for `ik -p`; a session to resume is
    // chosen by the editor (session/load), never by -c / -r.
    CliOptions chosen = options;
    chosen.continue_latest = false;
    chosen.resume_id.reset();
    auto prepared = prepare(chosen);
    if (!prepared)
        return prepared.error();
    mem::Arena app(mem::root(), "app");
    {
        Server server(loop, app, *prepared, chosen);
        live = &server;
        auto r = loop.run_until([&] { return stopping || server.channel().input_closed(); });
        // The editor went away (or a signal came): running turns end as
        // cancelled, and their last updates go out before ik exits.
        server.cancel_all();
        if (r)
            r = loop.run_until([&] { return !server.busy(); });
        live = nullptr;
        if (!r) {
            tui::print_visible(stderr, "ik: {}\n", r.error().to_string());
            return exit_internal;
        }
    }
    return stopping ? exit_interrupted : exit_ok;
}

} // namespace ik::app::acp
