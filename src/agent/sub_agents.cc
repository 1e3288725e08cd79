#include "agent/sub_agents.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/agent_activity.h"
#include "agent/background_agents.h"
#include "agent/internal/sub_agent_parts.h"
#include "agent/session.h"
#include "agent/sub_agent_setup.h"
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
    SubAgentObserver(SessionObserver& parent, std::string label, SubAgentStatus& status,
        std::function<void(const TurnOutcome&)> ended)
        : m_parent(parent)
        , m_label(std::move(label))
        , m_status(status)
        , m_ended(std::move(ended))
    {
    }
    ~SubAgentObserver() override { *m_alive = false; }
    SubAgentObserver(const SubAgentObserver&) = delete;
    SubAgentObserver& operator=(const SubAgentObserver&) = delete;
    void on_tool_denied(const llm::ToolCall& call, const Decision& decision, std::string_view /*message*/) override
    {
        m_parent.on_notice(fmt::format("{}: {} denied: {}", m_label, call.name, decision.reason));
    }
    void on_notice(std::string_view text) override { m_parent.on_notice(fmt::format("{}: {}", m_label, text)); }
    // Its calls (and its own sub-agents'), under its task call (agent_activity.h).
    void set_task(std::string call_id) { m_task = std::move(call_id); }
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
        ++m_status.asking; // /agents shows it waiting for the user
        // The question can outlive the sub-agent (agent_kill, /agents stop
        // while it is open): then its answer goes nowhere.
        m_parent.ask_approval(
            labelled, [alive = m_alive, &status = m_status, answer = std::move(answer)](UserAnswer a) {
                if (!*alive)
                    return;
                status.asking = std::max(0, status.asking - 1);
                answer(a);
            });
    }
    void on_turn_end(const TurnOutcome& outcome) override
    {
        m_status.asking = 0; // a question the cancelled turn left open is moot
        m_ended(outcome);
    }

private:
    SessionObserver& m_parent;
    std::string m_label;
    SubAgentStatus& m_status;
    std::function<void(const TurnOutcome&)> m_ended;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::string m_task; // the task call's id
};

} // namespace

namespace internal {

std::unique_ptr<SessionObserver> sub_agent_observer(
    SessionObserver& parent, std::string label, SubAgentStatus& status, std::function<void(const TurnOutcome&)> ended)
{
    return std::make_unique<SubAgentObserver>(parent, std::move(label), status, std::move(ended));
}

Result<SubAgentStart> prepare_sub_agent(const SubAgents::Deps& d, const TaskRequest& asked)
{
    const SessionSettings& parent = d.settings;
    SubAgentStart s{ .settings = parent, .model = nullptr, .request = asked };
    s.settings.agent_depth = parent.agent_depth + 1;
    // A quarter of the parent's cap (memory.limit_mb): several can run
    // and the parent keeps room for its own window.
    s.settings.memory_limit_bytes = parent.memory_limit_bytes / 4;
    s.settings.system_prompt = parent.system_prompt + std::string(sub_agent_note);
    // An agent definition fills in the request's tools and the model.
    s.model = TRY(specialize_sub_agent(s.settings, s.request, d.loop, d.arena));
    s.settings.approval = restricted(parent.approval, s.request);
    deny_unnamed_external_tools(s.settings.approval, s.request);
    s.settings.link = { std::string(d.recorder.id()), s.request.call_id, s.request.description };
    // It streams beside its parent and its siblings: a model of its own,
    // where the parent's runs one request at a time (null from a test fake
    // that can run several: it shares the parent's).
    if (!s.model)
        s.model = d.model.fork(d.arena);
    return s;
}

std::string sub_agent_final_text(const Conversation& window)
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

} // namespace internal

std::string_view to_string(SubAgentState state)
{
    switch (state) {
    case SubAgentState::running:
        return "running";
    case SubAgentState::idle:
        return "idle";
    case SubAgentState::waiting_approval:
        return "waiting approval";
    }
    return "running";
}

// One running sub-agent: its session, and the task call's completion.
class SubAgentRun final : public ToolRun {
public:
    SubAgentRun(SubAgents& owner, std::string label, Completion done)
        : m_owner(owner)
        , m_observer(owner.m_deps.observer, std::move(label), m_status, [this](const TurnOutcome& o) { ended(o); })
        , m_done(std::move(done))
    {
        ++m_owner.m_running;
        m_owner.m_foreground.push_back(this);
        m_info.id = m_owner.next_id();
        m_info.started = std::chrono::steady_clock::now();
    }
    ~SubAgentRun() override
    {
        m_abandoned = true;
        if (m_timer)
            m_owner.m_deps.loop.cancel(m_timer);
        m_session.reset(); // cancels its turn; ended() sees m_abandoned
        --m_owner.m_running;
        std::erase(m_owner.m_foreground, this);
    }
    SubAgentRun(const SubAgentRun&) = delete;
    SubAgentRun& operator=(const SubAgentRun&) = delete;

    void begin(const TaskRequest& asked)
    {
        m_info.description = asked.description;
        m_observer.set_task(asked.call_id);
        SubAgents::Deps& d = m_owner.m_deps;
        auto start = internal::prepare_sub_agent(d, asked);
        if (!start) {
            deliver(ToolResult::from(start.error()));
            return;
        }
        m_model = std::move(start->model);
        m_info.model = start->settings.model_spec;
        const TaskRequest& request = start->request;
        Model& model = m_model ? *m_model : d.model;
        auto session = Session::create(SessionDeps{ d.loop, d.store, model, m_observer, d.arena }, start->settings);
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
    const std::string& id() const { return m_info.id; }
    // For /agents: a copy; the session may be gone (between its end and the
    // delivery of its answer).
    SubAgentInfo info() const
    {
        SubAgentInfo i = m_info;
        i.state = m_status.asking > 0 ? SubAgentState::waiting_approval : SubAgentState::running;
        if (m_session) {
            i.usage = m_session->usage();
            i.memory = m_session->arena().subtree_reserved();
        }
        return i;
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
            result.content = internal::sub_agent_final_text(m_session->conversation());
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
            m_model.reset(); // after its session, outside its client's callbacks
            auto done = std::move(m_done);
            done(std::move(result)); // may destroy *this: nothing after it
        });
    }

    SubAgents& m_owner;
    SubAgentStatus m_status;
    SubAgentInfo m_info;
    SubAgentObserver m_observer;
    Completion m_done;
    std::unique_ptr<Model> m_model; // the task's own model (sub_agent_setup.h); null: the parent's
    std::unique_ptr<Session> m_session;
    Loop::TimerId m_timer = 0;
    bool m_abandoned = false;
};

SubAgents::SubAgents(Deps deps)
    : m_deps(deps)
    , m_background(std::make_unique<BackgroundAgents>(*this))
{
}

SubAgents::~SubAgents() = default;

std::vector<SubAgentInfo> SubAgents::list() const
{
    std::vector<SubAgentInfo> out;
    for (const SubAgentRun* run : m_foreground)
        out.push_back(run->info());
    for (SubAgentInfo& i : m_background->list())
        out.push_back(std::move(i));
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.started < b.started; });
    return out;
}

Result<void> SubAgents::stop(std::string_view id)
{
    for (SubAgentRun* run : m_foreground)
        if (run->id() == id) {
            run->cancel();
            return {};
        }
    TRY(m_background->kill(id));
    return {};
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
