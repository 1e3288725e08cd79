// The MCP servers' tools as agent tools (tools/external.h), and the two
// resource tools (agent/mcp_resource_tools.h) while a server has resources.
//
// Each tool a server has listed (a crashed server's last list included: the
// next call restarts it) becomes a ToolDescriptor named
// mcp__<server>__<tool> (mcp/naming.h) with the server's description and
// input schema, so it goes through approval, rules and hooks exactly like a
// built-in tool. Its kind is `network` (it reaches outside ik: approval asks
// unless a rule or the mode allows it), except that a tool the server marks
// readOnlyHint is `reads` (runs without asking) when, and only when, the
// server's config says "trust_annotations": true — the hint is the server's
// claim, not a fact.
//
// The descriptor list is rebuilt when the manager's generation changes.
// Superseded lists are kept until the McpTools is destroyed: a session's
// request specs and a running turn may still point at them. Lists change
// rarely (a server starting, crashing, or announcing list_changed), so this
// is a few KiB over a session.
//
// A resource update (notifications/resources/updated) reaches the model as a
// note on the next MCP result, or with the next prompt (take_notes()),
// whichever comes first.
//
// A call's Completion always runs from the loop, never inside start(); a
// destroyed run cancels the request (notifications/cancelled) and its
// Completion never runs. Progress notifications go to the progress sink
// (headless: stderr; the REPL: a notice line).
//
// Borrows the manager and the loop; both outlive it. Owns the descriptors.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/tools/external.h"
#include "mcp/manager.h"

namespace ik::agent {

class McpTools final : public ExternalTools {
public:
    using ProgressSink = std::function<void(std::string_view tool, std::string_view text)>;

    explicit McpTools(mcp::Manager& manager);

    const ToolDescriptor* find(std::string_view name) override;
    void append_specs(std::vector<llm::ToolSpec>& out) override;
    uint64_t generation() const override { return m_manager.generation(); }
    // Resources that changed (mcp::Manager::update_note()), for the next prompt.
    std::string take_notes() override { return m_manager.update_note(); }
    std::unique_ptr<ToolRun> start(
        const ToolDescriptor& tool, ToolContext& ctx, const json::value& args, Completion done) override;

    void set_progress_sink(ProgressSink sink) { m_progress = std::move(sink); }

private:
    struct Entry {
        std::string name;
        std::string description;
        std::string schema;
        ToolDescriptor descriptor;
    };
    using List = std::deque<Entry>; // a deque: entries never move once added

    void refresh();
    // Runs one request of `server` (sent by `send`, given the completion it
    // must pass on) as a ToolRun: the completion always comes from the loop.
    // `tool` names the images of the result ("mcp__s__shot image 1").
    std::unique_ptr<ToolRun> launch(mcp::Server& server, std::string_view tool, ToolContext& ctx, Completion done,
        const std::function<int64_t(mcp::Server::Done)>& send);

    mcp::Manager& m_manager;
    std::unique_ptr<List> m_current;
    std::vector<std::unique_ptr<List>> m_retired;
    uint64_t m_generation = UINT64_MAX;
    ProgressSink m_progress;
};

} // namespace ik::agent
