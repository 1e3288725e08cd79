// One configured MCP server: its connection, the MCP handshake, its tools.
//
// A Server goes starting -> ready, or -> failed (could not start, refused the
// handshake) or -> crashed (exited or was cut off after it was ready). start()
// only spawns and sends `initialize`; everything after is driven by the loop,
// so starting every server at once costs the first prompt nothing. When the
// reply comes, the negotiated protocol version is checked (2025-11-25,
// 2025-06-18 or 2025-03-26; ik asks for the newest), `notifications/initialized`
// is sent, and `tools/list` is read (every page). A server that announces
// `notifications/tools/list_changed` has its list read again.
//
// A server that announces the `prompts` capability has its prompts listed
// after its tools (and again on notifications/prompts/list_changed): they
// become slash commands (app/commands/mcp_prompts.h). Resources are listed
// and read on demand (agent/mcp_tools.h); their templates
// (resources/templates/list) are read last in the handshake (a server
// without them is still ready) and again on
// notifications/resources/list_changed, and kept here for the listing. A
// server that offers `resources.subscribe` is subscribed to each resource
// the model reads (subscribe(), at most 64 a session); its
// notifications/resources/updated are kept (take_updates(), at most 32,
// deduplicated) and announced through the `updated` callback. List changes
// are read again at once; the agent offers the new lists from its next
// request on.
//
// call_tool() and the other requests on a crashed or failed server start it
// again first, so a crash costs the model one error result (the call that was
// running) and the next call restarts it.
//
// Owns: the connection (and so the child), the tool and prompt lists. Tools keep their
// schema as JSON text (heap strings: lists are small and rebuilt rarely).
// Borrows: the loop and the arena the connection's arena hangs from.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/mcp_config.h"
#include "core/loop.h"
#include "mcp/connection.h"

namespace ik::mcp {

inline constexpr std::string_view protocol_versions[] = { "2025-11-25", "2025-06-18", "2025-03-26" };

enum class ServerState : uint8_t { stopped, starting, ready, failed, crashed };
std::string_view to_string(ServerState state);

struct Tool {
    std::string name; // as the server names it
    std::string description;
    std::string input_schema; // JSON text of the inputSchema object
    bool read_only_hint = false; // the server's claim (annotations.readOnlyHint)
};

struct ResourceTemplate {
    std::string uri_template; // RFC 6570, e.g. file:///logs/{date}
    std::string name;
    std::string description;
    std::string mime_type;
};

struct PromptArgument {
    std::string name;
    std::string description;
    bool required = false;
};

struct Prompt {
    std::string name; // as the server names it
    std::string description;
    std::vector<PromptArgument> arguments;
};

// A tools/call outcome in ik's terms (mcp/tool_result.h builds it).
struct CallOutcome {
    std::string text; // every content block, as the model reads it
    bool is_error = false;
    size_t images = 0; // image blocks (described in `text`)
    // The image blocks' contents as the server sent them (base64, its MIME
    // type), for models that accept images. Unchecked here: the agent decodes
    // them and trusts only their magic bytes (agent/mcp_tools.cc).
    struct Image {
        std::string mime_type;
        std::string data;
    };
    std::vector<Image> image_blocks{};
    bool cancelled = false; // the call was given up (cancel())

    static CallOutcome error(std::string text, bool cancelled = false)
    {
        CallOutcome o;
        o.text = std::move(text);
        o.is_error = true;
        o.cancelled = cancelled;
        return o;
    }
};

class Server {
public:
    using Changed = std::function<void()>; // the tool list or the state changed
    using Updated = std::function<void(std::string_view uri)>; // notifications/resources/updated
    using Done = std::function<void(CallOutcome outcome)>;
    // Turns a successful reply into an outcome (mcp/tool_result.h,
    // mcp/resources.h, mcp/prompts.h).
    using Convert = std::function<CallOutcome(const json::value& result)>;

    Server(Loop& loop, mem::Arena& parent, config::McpServerConfig config, std::filesystem::path cwd, Changed changed);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start();
    void set_on_updated(Updated updated) { m_updated = std::move(updated); }
    // Subscribes to `uri` when the server offers subscriptions and it is not
    // subscribed yet in this connection.
    void subscribe(std::string_view uri);
    // The URIs the server said changed since the last call.
    std::vector<std::string> take_updates();
    // Calls `tool` with `arguments` (JSON object text). `done` runs once, from
    // the loop. Returns a handle for cancel(); 0 when the call waits for a
    // restart (it is then cancelled with the server's destruction only).
    int64_t call_tool(std::string_view tool, std::string_view arguments, ProgressCallback progress, Done done);
    void cancel(int64_t call, std::string_view reason);
    // Any other request whose reply `convert` reads (resources/read,
    // prompts/get …): queued through a restart like a call, timed out after
    // the server's `timeout`. Same return value as call_tool().
    int64_t request(std::string_view method, std::string params, Convert convert, Done done);

    const config::McpServerConfig& config() const { return m_config; }
    std::string_view name() const { return m_config.name; }
    ServerState state() const { return m_state; }
    const std::vector<Tool>& tools() const { return m_tools; }
    const std::vector<Prompt>& prompts() const { return m_prompts; }
    const std::vector<ResourceTemplate>& resource_templates() const { return m_templates; }
    bool can_subscribe() const { return m_can_subscribe; }
    // What the server said it offers in its initialize reply.
    bool has_resources() const { return m_has_resources; }
    bool has_prompts() const { return m_has_prompts; }
    std::string_view protocol_version() const { return m_version; }
    std::string_view server_name() const { return m_server_name; }
    // The last thing that went wrong (with the server's stderr tail), or "".
    std::string_view last_error() const { return m_last_error; }
    pid_t pid() const { return m_connection ? m_connection->pid() : -1; }
    int restarts() const { return m_restarts; }

private:
    void on_initialized(const Result<const json::value*>& reply);
    void list_tools(const std::string& cursor);
    void on_tools(const Result<const json::value*>& reply, bool first_page);
    void list_prompts(const std::string& cursor);
    void on_prompts(const Result<const json::value*>& reply);
    void set_ready();
    void on_notification(std::string_view method, const json::value* params);
    void after_prompts();
    void list_templates(const std::string& cursor);
    void on_templates(const Result<const json::value*>& reply);
    void on_closed(const Error& why);
    void set_failed(ServerState state, const Error& why);
    void run_queued();

    // A request waiting for a (re)start: `run` sends it once the server is
    // ready; `done` fails it when the start fails.
    struct Queued {
        std::function<void()> run;
        Done done;
    };
    int64_t send(std::string_view method, std::string params, Convert convert, ProgressCallback progress, Done done);

    Loop& m_loop;
    mem::Arena& m_parent;
    config::McpServerConfig m_config;
    std::filesystem::path m_cwd;
    Changed m_changed;
    std::unique_ptr<Connection> m_connection;
    std::vector<std::unique_ptr<Connection>> m_dead; // closed; freed from the loop after a restart
    Loop::TimerId m_reap_timer = 0;
    uint64_t m_epoch = 0; // which connection is current (start() counts)
    ServerState m_state = ServerState::stopped;
    std::vector<Tool> m_tools;
    std::vector<Tool> m_listing; // pages of a tools/list in progress
    std::vector<Prompt> m_prompts;
    std::vector<Prompt> m_prompt_listing; // pages of a prompts/list in progress
    bool m_has_resources = false;
    bool m_has_prompts = false;
    bool m_can_subscribe = false;
    std::vector<ResourceTemplate> m_templates;
    std::vector<ResourceTemplate> m_template_listing; // pages of a resources/templates/list in progress
    std::vector<std::string> m_subscribed; // in this connection
    std::vector<std::string> m_updates; // not taken yet
    Updated m_updated;
    std::vector<Queued> m_queue; // calls waiting for a (re)start
    std::string m_version;
    std::string m_server_name;
    std::string m_last_error;
    int m_restarts = 0;
};

} // namespace ik::mcp
