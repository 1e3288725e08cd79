#include "agent/background_agents.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/internal/sub_agent_parts.h"
#include "agent/session.h"

namespace ik::agent {

using namespace std::chrono_literals;

struct BackgroundAgents::Agent {
    std::string id;
    std::string description;
    std::string model;
    std::chrono::steady_clock::time_point started{};
    SubAgentStatus status;
    std::unique_ptr<Model> connection; // its own model (Model::fork); null: the parent's can share
    std::unique_ptr<SessionObserver> observer; // before the session, which reports to it
    std::unique_ptr<Session> session;
    std::vector<std::string> queued; // for its next turn
    Loop::TimerId next = 0; // the next turn's start, on a fresh loop round
    bool in_turn = false;
    bool dying = false; // being killed: its cancelled turn's end is not news
    int turns = 0;
    std::string last;
};

BackgroundAgents::BackgroundAgents(SubAgents& owner)
    : m_owner(owner)
{
}

BackgroundAgents::~BackgroundAgents()
{
    m_closing = true;
    if (m_check)
        loop().cancel(m_check);
    for (auto& a : m_agents)
        if (a->next)
            loop().cancel(a->next);
    m_agents.clear(); // each session records its running turn as interrupted
}

BackgroundAgents::Agent* BackgroundAgents::find(std::string_view id) const
{
    for (const auto& a : m_agents)
        if (a->id == id)
            return a.get();
    return nullptr;
}

Loop& BackgroundAgents::loop() const
{
    return m_owner.m_deps.loop;
}

bool BackgroundAgents::exists(std::string_view id) const
{
    return find(id) != nullptr;
}

bool BackgroundAgents::idle(const Agent& agent) const
{
    return !agent.in_turn && agent.next == 0 && agent.queued.empty();
}

Result<std::string> BackgroundAgents::start(const TaskRequest& request)
{
    if (m_agents.size() >= max_agents)
        return fail(ErrorCode::invalid_argument,
            "task: {} background agents exist already, the most at once: agent_kill one you no longer need, or run "
            "this task in the foreground",
            max_agents);
    const SubAgents::Deps& d = m_owner.m_deps;
    auto agent = std::make_unique<Agent>();
    Agent* a = agent.get();
    a->id = m_owner.next_id();
    a->description = request.description;
    a->started = std::chrono::steady_clock::now();
    internal::SubAgentStart start = TRY(internal::prepare_sub_agent(d, request));
    a->model = start.settings.model_spec;
    std::string label = request.description.empty() ? fmt::format("background {}", a->id)
                                                    : fmt::format("background {} '{}'", a->id, request.description);
    a->observer
        = internal::sub_agent_observer(d.observer, std::move(label), a->status, [this, a](const TurnOutcome& o) {
              if (!m_closing && !a->dying)
                  turn_ended(*a, o);
          });
    a->connection = std::move(start.model);
    Model& model = a->connection ? *a->connection : d.model;
    a->session = TRY(Session::create(SessionDeps{ d.loop, d.store, model, *a->observer, d.arena }, start.settings));
    a->in_turn = true;
    m_agents.push_back(std::move(agent));
    if (auto started = a->session->submit(request.prompt); !started) {
        m_agents.pop_back();
        return fail(started.error());
    }
    return a->id;
}

void BackgroundAgents::turn_ended(Agent& agent, const TurnOutcome& outcome)
{
    agent.in_turn = false;
    ++agent.turns;
    if (outcome.interrupted) {
        agent.last = "(its turn was interrupted)";
    } else if (outcome.error) {
        agent.last = fmt::format("(its turn failed: {})", outcome.error->to_string());
    } else {
        agent.last = internal::sub_agent_final_text(agent.session->conversation());
        if (agent.last.empty())
            agent.last = "(it gave no final answer)";
    }
    if (!agent.queued.empty() && agent.next == 0) // the turn is still being torn down: start the next from the loop
        agent.next = loop().after(0ms, [this, &agent] {
            agent.next = 0;
            start_queued(agent);
        });
    changed();
}

void BackgroundAgents::start_queued(Agent& agent)
{
    std::string message;
    for (const std::string& m : agent.queued)
        message += (message.empty() ? "" : "\n\n") + m;
    agent.queued.clear();
    if (auto started = agent.session->submit(message); started)
        agent.in_turn = true;
    else
        agent.last = fmt::format("(its next turn could not start: {})", started.error().to_string());
    changed();
}

Result<bool> BackgroundAgents::send(std::string_view id, std::string message)
{
    Agent* a = find(id);
    if (!a)
        return fail(ErrorCode::not_found, "no background agent '{}' (agent_wait without an id lists them)", id);
    if (idle(*a) && !a->session->busy()) {
        TRY(a->session->submit(message));
        a->in_turn = true;
        changed();
        return true;
    }
    if (a->queued.size() >= max_queued)
        return fail(
            ErrorCode::invalid_argument, "{} has {} messages waiting already: agent_wait for it first", id, max_queued);
    a->queued.push_back(std::move(message));
    return false;
}

Result<std::string> BackgroundAgents::kill(std::string_view id)
{
    auto it = std::find_if(m_agents.begin(), m_agents.end(), [&](const auto& a) { return a->id == id; });
    if (it == m_agents.end())
        return fail(ErrorCode::not_found, "no background agent '{}'", id);
    std::unique_ptr<Agent> agent = std::move(*it);
    m_agents.erase(it);
    agent->dying = true;
    if (agent->next)
        loop().cancel(agent->next);
    std::string stored(agent->session->id());
    agent->session.reset(); // cancels its turn (recorded as interrupted) and frees its arena
    changed();
    return stored;
}

size_t BackgroundAgents::kill_all()
{
    size_t n = m_agents.size();
    while (!m_agents.empty())
        (void)kill(m_agents.back()->id); // found: it is in the list
    return n;
}

BackgroundAgents::Report BackgroundAgents::report(std::string_view id) const
{
    Report r;
    r.id = id;
    const Agent* a = find(id);
    if (!a) {
        r.gone = true;
        return r;
    }
    r.description = a->description;
    r.turns = a->turns;
    r.last = a->last;
    r.state = idle(*a)         ? SubAgentState::idle
        : a->status.asking > 0 ? SubAgentState::waiting_approval
                               : SubAgentState::running;
    return r;
}

std::vector<std::string> BackgroundAgents::ids() const
{
    std::vector<std::string> out;
    for (const auto& a : m_agents)
        out.push_back(a->id);
    return out;
}

std::vector<SubAgentInfo> BackgroundAgents::list() const
{
    std::vector<SubAgentInfo> out;
    for (const auto& a : m_agents) {
        SubAgentInfo i;
        i.id = a->id;
        i.description = a->description;
        i.background = true;
        i.state = report(a->id).state;
        i.model = a->model;
        i.usage = a->session->usage();
        i.memory = a->session->arena().subtree_reserved();
        i.started = a->started;
        out.push_back(std::move(i));
    }
    return out;
}

// Waiting.

BackgroundAgents::Wait::Wait(BackgroundAgents& owner, std::string id, std::function<void(bool)> ready)
    : m_owner(owner)
    , m_id(std::move(id))
    , m_ready(std::move(ready))
{
}

BackgroundAgents::Wait::~Wait()
{
    if (m_timeout)
        m_owner.loop().cancel(m_timeout);
    std::erase(m_owner.m_waiters, this);
}

std::unique_ptr<BackgroundAgents::Wait> BackgroundAgents::wait(
    std::string id, std::chrono::milliseconds timeout, std::function<void(bool timed_out)> ready)
{
    auto w = std::make_unique<Wait>(*this, std::move(id), std::move(ready));
    Wait* raw = w.get();
    raw->m_timeout = loop().after(timeout, [this, raw] {
        raw->m_timeout = 0;
        std::erase(m_waiters, raw);
        auto fire = std::move(raw->m_ready);
        fire(true); // may destroy *raw
    });
    m_waiters.push_back(raw);
    changed(); // it may be idle already
    return w;
}

bool BackgroundAgents::satisfied(const Wait& w) const
{
    if (!w.m_id.empty()) {
        const Agent* a = find(w.m_id);
        return !a || idle(*a);
    }
    return std::all_of(m_agents.begin(), m_agents.end(), [&](const auto& a) { return idle(*a); });
}

void BackgroundAgents::changed()
{
    if (m_check || m_closing)
        return;
    m_check = loop().after(0ms, [this] {
        m_check = 0;
        check_waiters();
    });
}

void BackgroundAgents::check_waiters()
{
    std::vector<Wait*> waiting = m_waiters;
    for (Wait* w : waiting) {
        // A completion before may have ended this wait.
        if (std::find(m_waiters.begin(), m_waiters.end(), w) == m_waiters.end() || !satisfied(*w))
            continue;
        std::erase(m_waiters, w);
        if (w->m_timeout) {
            loop().cancel(w->m_timeout);
            w->m_timeout = 0;
        }
        auto fire = std::move(w->m_ready);
        fire(false); // may destroy *w
    }
}

} // namespace ik::agent
