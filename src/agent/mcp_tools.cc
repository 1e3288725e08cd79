#include "agent/mcp_tools.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "agent/mcp_resource_tools.h"
#include "agent/tools/registry.h"
#include "llm/image.h"
#include "mcp/naming.h"

namespace ik::agent {

namespace {

using namespace std::chrono_literals;

// What a call shares with its run handle and the server's reply callback.
struct CallState {
    CallState(Loop& l, Completion d)
        : loop(l)
        , done(std::move(d))
    {
    }
    Loop& loop;
    Completion done;
    bool alive = true; // false once the run handle is gone
    bool in_start = true; // the reply came before start() returned
    bool finished = false;
    int64_t id = 0;
    Loop::TimerId timer = 0;
};

// An MCP image block, checked like a file: base64 that decodes, bytes that
// are an image by their magic number (the server's mimeType is a claim), and
// within ik's size limit. A block that fails says why, in the text.
void add_image(ToolResult& r, const mcp::CallOutcome::Image& block, std::string_view tool, size_t n)
{
    std::string name = fmt::format("{} image {}", tool, n);
    if (block.data.size() > llm::max_image_file_bytes / 3 * 4 + 4) {
        r.content += fmt::format(
            "\n[{} not passed on: over ik's limit of {} per image]", name, llm::image_size(llm::max_image_file_bytes));
        return;
    }
    auto bytes = llm::base64_decode(block.data);
    auto type = bytes ? llm::sniff_image(*bytes) : std::nullopt;
    if (!type) {
        r.content += fmt::format("\n[{} not passed on: {}]", name,
            bytes ? "not a PNG, JPEG, GIF or WebP image" : "its data is not valid base64");
        return;
    }
    r.images.push_back(ToolImage{ std::string(*type), std::move(name), block.data, bytes->size() });
}

ToolResult to_result(const mcp::CallOutcome& o, std::string_view tool)
{
    if (o.cancelled) {
        ToolResult r = ToolResult::error("the call was cancelled", "cancelled");
        r.state = ToolState::cancelled;
        return r;
    }
    std::string summary = o.is_error ? "error" : "ok";
    if (o.images)
        summary += fmt::format(", {} image{}", o.images, o.images == 1 ? "" : "s");
    ToolResult r = o.is_error ? ToolResult::error(o.text, summary) : ToolResult{};
    r.content = o.text;
    r.summary = std::move(summary);
    for (size_t i = 0; i < o.image_blocks.size() && i < llm::max_images_per_message; ++i)
        add_image(r, o.image_blocks[i], tool, i + 1);
    return r;
}

class McpRun final : public ToolRun {
public:
    McpRun(mcp::Server& server, std::shared_ptr<CallState> state)
        : m_server(server)
        , m_state(std::move(state))
    {
    }
    ~McpRun() override
    {
        m_state->alive = false;
        if (m_state->timer)
            m_state->loop.cancel(m_state->timer);
        if (!m_state->finished && m_state->id)
            m_server.cancel(m_state->id, "the call was abandoned");
    }
    void cancel() override
    {
        if (!m_state->finished && m_state->id)
            m_server.cancel(m_state->id, "cancelled by the user");
    }

private:
    mcp::Server& m_server;
    std::shared_ptr<CallState> m_state;
};

} // namespace

McpTools::McpTools(mcp::Manager& manager)
    : m_manager(manager)
{
}

void McpTools::refresh()
{
    if (m_generation == m_manager.generation() && m_current)
        return;
    m_generation = m_manager.generation();
    if (m_current)
        m_retired.push_back(std::move(m_current));
    m_current = std::make_unique<List>();
    for (const auto& server : m_manager.servers()) {
        // A crashed server keeps its last list: calling one of its tools
        // starts it again (mcp/server.h).
        for (const mcp::Tool& t : server->tools()) {
            std::string name = mcp::full_tool_name(server->name(), t.name);
            if (name.empty())
                continue;
            Entry& e = m_current->emplace_back();
            e.name = std::move(name);
            e.description = fmt::format("[MCP server {}] {}", server->name(), t.description);
            e.schema = t.input_schema;
            e.descriptor.name = e.name;
            e.descriptor.description = e.description;
            e.descriptor.parameters = e.schema;
            e.descriptor.kind
                = t.read_only_hint && server->config().trust_annotations ? ToolKind::reads : ToolKind::network;
            e.descriptor.external = this;
        }
    }
    for (ResourceToolSpec& spec : resource_tools(m_manager)) {
        Entry& e = m_current->emplace_back();
        e.name = std::move(spec.name);
        e.description = std::move(spec.description);
        e.schema = std::move(spec.schema);
        e.descriptor.name = e.name;
        e.descriptor.description = e.description;
        e.descriptor.parameters = e.schema;
        e.descriptor.kind = ToolKind::reads; // agent/mcp_resource_tools.h says why
        e.descriptor.external = this;
    }
}

const ToolDescriptor* McpTools::find(std::string_view name)
{
    if (!name.starts_with(mcp::tool_prefix) && name != resource_list_tool && name != resource_read_tool)
        return nullptr;
    refresh();
    for (const Entry& e : *m_current)
        if (e.name == name)
            return &e.descriptor;
    return nullptr;
}

void McpTools::append_specs(std::vector<llm::ToolSpec>& out)
{
    refresh();
    for (const Entry& e : *m_current)
        out.push_back(llm::ToolSpec{ e.name, e.description, e.schema });
}

std::unique_ptr<ToolRun> McpTools::start(
    const ToolDescriptor& tool, ToolContext& ctx, const json::value& args, Completion done)
{
    if (tool.name == resource_list_tool || tool.name == resource_read_tool) {
        auto request = resource_request(m_manager, tool.name, args);
        if (!request)
            return deliver_result(ctx, ToolResult::error(request.error().message()), std::move(done));
        return launch(*request->server, tool.name, ctx, std::move(done), [&](mcp::Server::Done on_done) {
            return request->server->request(
                request->method, std::move(request->params), std::move(request->convert), std::move(on_done));
        });
    }
    auto found = m_manager.find(tool.name);
    if (!found)
        return deliver_result(ctx,
            ToolResult::error(fmt::format("{}: the MCP server no longer offers this tool", tool.name)),
            std::move(done));
    std::string name(tool.name);
    auto on_progress = [this, name](double progress, double total, std::string_view message) {
        if (!m_progress)
            return;
        std::string text = total > 0 ? fmt::format("{:g}/{:g}", progress, total) : fmt::format("{:g}", progress);
        if (!message.empty())
            text += fmt::format(" {}", message);
        m_progress(name, text);
    };
    return launch(*found->server, tool.name, ctx, std::move(done), [&](mcp::Server::Done on_done) {
        return found->server->call_tool(
            found->tool->name, boost::json::serialize(args), on_progress, std::move(on_done));
    });
}

std::unique_ptr<ToolRun> McpTools::launch(mcp::Server& server, std::string_view tool, ToolContext& ctx, Completion done,
    const std::function<int64_t(mcp::Server::Done)>& send)
{
    auto state = std::make_shared<CallState>(ctx.loop, std::move(done));
    // The manager outlives every call its servers answer.
    auto on_done = [state, manager = &m_manager, tool = std::string(tool)](const mcp::CallOutcome& outcome) {
        if (!state->alive || state->finished)
            return;
        state->finished = true;
        ToolResult r = to_result(outcome, tool);
        // Resources that changed since the model read them: said with the
        // next MCP result the model gets.
        if (std::string note = outcome.cancelled ? std::string() : manager->update_note(); !note.empty())
            r.content += "\n\n" + note;
        if (!state->in_start) {
            state->done(std::move(r)); // may destroy the run: nothing after it
            return;
        }
        state->timer = state->loop.after(0ms, [state, r = std::move(r)]() mutable {
            state->timer = 0;
            if (state->alive)
                state->done(std::move(r));
        });
    };
    auto run = std::make_unique<McpRun>(server, state);
    state->id = send(on_done);
    state->in_start = false;
    return run;
}

} // namespace ik::agent
