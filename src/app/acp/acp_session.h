// One ACP session: an ik agent::Session driven by an editor, and the
// observer that turns what the session does into session/update
// notifications (acp_mapping.h) on the channel.
//
// The session is exactly the REPL's: the same store calls (the prompt is a
// user event, replies, tool calls, approvals …), so `ik sessions list` shows
// it and `ik -r ID` resumes it. What differs is the front end: text and
// thinking deltas become agent_message_chunk / agent_thought_chunk, each tool
// call a tool_call (pending) then tool_call_update (in_progress, completed
// or failed, with the result's text and a diff for edits), the todo list a
// plan, approvals a session/request_permission request.
//
// Owns: the agent::Session (its arena is a child of the app arena given),
// the tool calls of the round being streamed (heap, a few small strings),
// the pending prompt's id. Borrows: the channel, the loop, the store and
// the model, which outlive it.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/agent_activity.h"
#include "agent/session.h"
#include "app/acp/acp_channel.h"
#include "app/acp/acp_client_files.h"

namespace ik::app::acp {

class AcpSession final : public agent::SessionObserver, public agent::AgentActivity {
public:
    AcpSession(Channel& channel, mem::Arena& parent, std::string id, std::filesystem::path cwd);
    ~AcpSession() override;
    AcpSession(const AcpSession&) = delete;
    AcpSession& operator=(const AcpSession&) = delete;

    // The editor offered fs/read_text_file or fs/write_text_file: the file
    // tools go through it (before attach(): the settings carry the pointer).
    agent::ClientFiles* enable_editor_files(Loop& loop, bool reads, bool writes)
    {
        m_files = std::make_unique<EditorFiles>(loop, m_channel, m_id, reads, writes);
        return m_files.get();
    }
    // Set once, right after construction (the session needs this observer).
    void attach(std::unique_ptr<agent::Session> session) { m_session = std::move(session); }
    agent::Session& session() { return *m_session; }
    const std::string& id() const { return m_id; }
    const std::filesystem::path& cwd() const { return m_cwd; }

    // session/prompt: `text` is the prompt with its attachments; the
    // response goes to `request` when the turn ends.
    void prompt(const OwnedId& request, std::string_view text, std::span<const agent::ToolImage> images = {});
    bool prompting() const { return m_prompt.has_value(); }
    // session/cancel: the turn ends with stopReason cancelled; a permission
    // being asked is answered "reject" at once.
    void cancel();
    // session/load: the stored window as updates (user and agent messages,
    // tool calls with their results) and the plan.
    void replay_history();
    // The plan, whenever the todo list changed since it was last sent.
    void send_plan_if_changed();
    void send_update(const json::object& update);

    // A sub-agent's activity under the parent's `task` tool call: the text
    // content of that call's tool_call_update (in_progress), its lines so
    // far; the task's result replaces it when the call completes.
    void report_subagent_activity(std::string_view parent_call_id, std::string_view line);

    // SessionObserver
    void on_model_event(const llm::Event& e) override;
    void on_round_start(int round) override;
    void on_tool_start(const llm::ToolCall& call, const agent::ApprovalRequest& request) override;
    void on_tool_denied(const llm::ToolCall& call, const agent::Decision& decision, std::string_view message) override;
    void on_tool_result(const llm::ToolCall& call, const agent::ToolResult& result) override;
    void on_turn_end(const agent::TurnOutcome& outcome) override;
    void on_notice(std::string_view text) override;
    // AgentActivity: a sub-agent's call, under the running task call with
    // that prompt.
    void on_agent_tool(std::string_view task_call_id, const llm::ToolCall& call) override;
    bool can_ask() const override { return true; }
    void ask_approval(const agent::ApprovalRequest& request, std::function<void(agent::UserAnswer)> answer) override;

private:
    struct StreamedCall {
        std::string id, name, arguments;
        bool announced = false;
    };
    void announce(const llm::ToolCall& call, std::string_view status);
    bool announced(std::string_view call_id) const;

    Channel& m_channel;
    std::string m_id;
    std::filesystem::path m_cwd;
    mem::Arena m_scratch; // one outgoing message's JSON; reset after each
    std::unique_ptr<EditorFiles> m_files; // outlives the session, which borrows it
    std::unique_ptr<agent::Session> m_session;
    std::optional<OwnedId> m_prompt;
    std::vector<StreamedCall> m_calls; // the round's, by the provider's index
    std::vector<std::string> m_announced; // call ids already sent as tool_call this turn
    std::optional<std::string> m_before; // write_file: the file before the call, for the diff
    uint64_t m_plan_generation = 0;
    // The permission being asked: the request id (to forget it on cancel)
    // and the turn's answer callback.
    int64_t m_permission_id = 0;
    std::function<void(agent::UserAnswer)> m_permission_answer;
    // Each running task call's sub-agent lines, shown as its content (capped).
    std::map<std::string, std::string, std::less<>> m_activity;
    std::vector<std::string> m_tasks; // the ids of running task calls
    std::vector<std::string> m_rejected_rules; // "reject always": session rules never asked again
};

} // namespace ik::app::acp
