#include "agent/sub_agents.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/agent_activity.h"
#include "agent/session.h"
#include "agent/tools/registry.h"

namespace ik::agent {

namespace {

using namespace std::chrono_literals;

constexpr std::string_view sub_agent_note
    = "\n\nYou are a sub-agent: another agent gave you the task below and reads only your final reply. Do the "
      "task with your tools, then answer with everything that agent needs (findings, paths, what you changed) "
      "in that one final reply.";

// A task restricted to reading or to named tools: every built-in tool
// outside the set gets a deny rule, so a call of it is denied with the
// rule's reason, which the sub-agent's model reads.
ApprovalPolicy restricted(ApprovalPolicy policy, const TaskRequest& request)
{
    if (!request.read_only && request.tools.empty())
        return policy;
    for (const ToolDescriptor* tool : all_tools()) {
        bool named = request.tools.empty()
            || std::find(request.tools.begin(), request.tools.end(), tool->name) != request.tools.end();
        if ((request.read_only && !tool->read_only()) || !named)
            policy.deny.push_back(ApprovalRule{ .tool = std::string(tool->name),
                .prefix = {},
                .text = fmt::format("{} (not in this task's tools)", tool->name) });
    }
    return policy;
}

// What the user must see of a sub-agent goes to the parent's observer,
// labelled; its stream and tool blocks stay its own.
class SubAgentObserver final : public SessionObserver, public AgentActivity {
public:
    SubAgentObserver(SessionObserver& parent, std::string label, std::function<void(const TurnOutcome&)> ended)
        : m_parent(parent)
        , m_label(std::move(label))
        , m_ended(std::move(ended))
    {
    }
    void on_tool_denied(const llm::ToolCall& call, const Decision& decision, std::string_view /*message*/) override
    {
        m_parent.on_notice(fmt::format("{}: {} denied: {}", m_label, call.name, decision.reason));
    }
    void on_notice(std::string_view text) override { m_parent.on_notice(fmt::format("{}: {}", m_label, text)); }
    // Its calls (and its own sub-agents'), under its task call (agent_activity.h).
    void set_task(std::string prompt) { m_task = std::move(prompt); }
    void on_tool_start(const llm::ToolCall& call, const ApprovalRequest&) override { on_agent_tool({}, call); }
    void on_agent_tool(std::string_view, const llm::ToolCall& call) override
    {
        if (auto* activity = dynamic_cast<AgentActivity*>(&m_parent))
            activity->on_agent_tool(m_task, call);
    }
    bool can_ask() const override { return m_parent.can_ask(); }
    void ask_approval(const ApprovalRequest& request, std::function<void(UserAnswer)> answer) override
    {
        ApprovalRequest labelled = request;
        labelled.agent = m_label;
        m_parent.ask_approval(labelled, std::move(answer));
    }
    void on_turn_end(const TurnOutcome& outcome) override { m_ended(outcome); }

private:
    SessionObserver& m_parent;
    std::string m_label;
    std::function<void(const TurnOutcome&)> m_ended;
    std::string m_task; // the task call's prompt
};

// The text of the sub-agent's last reply: its answer.
std::string final_text(const Conversation& window)
{
    auto messages = window.messages();
    for (size_t i = messages.size(); i-- > 0;) { // newest first
        const llm::Message& m = messages[i];
        if (m.role == llm::Role::assistant && !m.text.empty())
            return std::string(m.text);
        if (m.role == llm::Role::user)
            break; // the last round said nothing after the last user message
    }
    return {};
}

} // namespace

// One running sub-agent: its session, and the task call's completion.
class SubAgentRun final : public ToolRun {
public:
    SubAgentRun(SubAgents& owner, std::string label, Completion done)
        : m_owner(owner)
        , m_observer(owner.m_deps.observer, std::move(label), [this](const TurnOutcome& o) { ended(o); })
        , m_done(std::move(done))
    {
        ++m_owner.m_running;
    }
    ~SubAgentRun() override
    {
        m_abandoned = true;
        if (m_timer)
            m_owner.m_deps.loop.cancel(m_timer);
        m_session.reset(); // cancels its turn; ended() sees m_abandoned
        --m_owner.m_running;
    }
    SubAgentRun(const SubAgentRun&) = delete;
    SubAgentRun& operator=(const SubAgentRun&) = delete;

    void begin(const TaskRequest& request)
    {
        const SessionSettings& parent = m_owner.m_deps.settings;
        SessionSettings settings = parent;
        settings.agent_depth = parent.agent_depth + 1;
        // A quarter of the parent's cap (memory.limit_mb): several can run
        // and the parent keeps room for its own window.
        settings.memory_limit_bytes = parent.memory_limit_bytes / 4;
        settings.system_prompt = parent.system_prompt + std::string(sub_agent_note);
        settings.approval = restricted(parent.approval, request);
        m_observer.set_task(request.prompt);
        SubAgents::Deps& d = m_owner.m_deps;
        auto session = Session::create(SessionDeps{ d.loop, d.store, d.model, m_observer, d.arena }, settings);
        if (!session) {
            deliver(ToolResult::from(session.error()));
            return;
        }
        m_session = std::move(*session);
        if (auto started = m_session->submit(request.prompt); !started)
            deliver(ToolResult::from(started.error()));
    }
    void cancel() override
    {
        if (m_session && !m_timer)
            m_session->cancel(); // its turn ends interrupted: ended() reports it
    }

private:
    void ended(const TurnOutcome& outcome)
    {
        if (m_abandoned)
            return;
        ToolResult result;
        if (outcome.interrupted) {
            result = ToolResult::error("the sub-agent was interrupted", "cancelled");
            result.state = ToolState::cancelled;
        } else if (outcome.error) {
            result = ToolResult::error(fmt::format("the sub-agent failed: {}", outcome.error->to_string()));
        } else {
            result.content = final_text(m_session->conversation());
            if (result.content.empty())
                result.content = "(the sub-agent gave no final answer)";
            result.summary = fmt::format(
                "{} round{}, {} tokens out", outcome.rounds, outcome.rounds == 1 ? "" : "s", outcome.usage.output);
        }
        deliver(std::move(result));
    }
    // From a fresh loop round: the session is freed there (its arena with
    // it), outside its own callbacks, and then the task call completes.
    void deliver(ToolResult result)
    {
        if (m_timer)
            return;
        m_timer = m_owner.m_deps.loop.after(0ms, [this, result = std::move(result)]() mutable {
            m_timer = 0;
            m_session.reset();
            auto done = std::move(m_done);
            done(std::move(result)); // may destroy *this: nothing after it
        });
    }

    SubAgents& m_owner;
    SubAgentObserver m_observer;
    Completion m_done;
    std::unique_ptr<Session> m_session;
    Loop::TimerId m_timer = 0;
    bool m_abandoned = false;
};

SubAgents::SubAgents(Deps deps)
    : m_deps(deps)
{
}

Result<void> SubAgents::can_start() const
{
    const SessionSettings& s = m_deps.settings;
    if (s.agent_depth >= s.max_agent_depth)
        return fail(ErrorCode::invalid_argument,
            "task: a sub-agent at depth {} cannot start another (agents.max_depth is {}); do the work yourself",
            s.agent_depth, s.max_agent_depth);
    return {};
}

std::unique_ptr<ToolRun> SubAgents::start(const TaskRequest& request, Completion done)
{
    std::string label
        = request.description.empty() ? std::string("sub-agent") : fmt::format("sub-agent '{}'", request.description);
    auto run = std::make_unique<SubAgentRun>(*this, std::move(label), std::move(done));
    run->begin(request);
    return run;
}

} // namespace ik::agent
