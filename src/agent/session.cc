#include "agent/session.h"

#include <boost/json/serialize.hpp>

#include "agent/tools/registry.h"
#include "agent/turn.h"
#include "core/json.h"

namespace ik::agent {

using store::EventKind;

Session::Session(Key, SessionDeps deps, SessionSettings settings)
    : m_deps(deps)
    , m_settings(std::move(settings))
    , m_arena(deps.parent, "session", { .cap = m_settings.memory_limit_bytes })
    , m_conversation(m_arena)
    , m_tools(tool_specs())
    , m_context(ContextDeps{ deps.store, deps.model, deps.observer, m_id }, m_settings.context)
{
}

Session::~Session()
{
    if (m_turn)
        m_turn->cancel();
    m_retired.clear();
    m_turn.reset();
}

Result<std::unique_ptr<Session>> Session::create(SessionDeps deps, SessionSettings settings, std::string_view resume_id)
{
    auto s = std::make_unique<Session>(Key(), deps, std::move(settings));
    if (resume_id.empty()) {
        s->m_id = TRY(deps.store.create_session(
            store::NewSession{ .cwd = s->m_settings.cwd.string(), .model = s->m_settings.model_spec }));
        return s;
    }
    s->m_id = TRY(deps.store.resolve_id(resume_id));
    TRY_CONTEXT(s->replay(), "while resuming session {}", s->m_id);
    return s;
}

Result<void> Session::submit(std::string_view prompt)
{
    if (m_turn || m_context.busy())
        return fail(ErrorCode::invalid_argument, "a turn is already running");
    m_turn = std::make_unique<Turn>(*this);
    auto started = m_turn->start(prompt);
    if (!started) {
        m_turn.reset();
        return started;
    }
    return {};
}

void Session::cancel()
{
    if (m_turn)
        m_turn->cancel();
    else if (m_context.busy())
        m_context.cancel(); // a /compact summary
}

void Session::turn_finished(const TurnOutcome& outcome)
{
    // We are inside the turn's own callbacks: free it on the next loop round.
    m_retired.push_back(std::move(m_turn));
    m_deps.loop.after(std::chrono::milliseconds(0), [this] { m_retired.clear(); });
    m_deps.observer.on_turn_end(outcome);
}

void Session::relieve_memory_pressure()
{
    size_t evicted = 0;
    size_t before = m_conversation.evicted_messages();
    while (m_arena.pressure() != mem::Pressure::normal && m_conversation.evict_oldest())
        evicted = m_conversation.evicted_messages() - before;
    if (evicted) {
        m_deps.observer.on_notice(
            fmt::format("memory cap: the {} oldest messages left the window (they stay in the store)", evicted));
    }
}

Result<void> Session::record_command(std::string_view text)
{
    TRY(m_deps.store.append(m_id, EventKind::command, boost::json::serialize(boost::json::object{ { "text", text } })));
    return {};
}

Result<void> Session::mark(std::string_view name)
{
    int64_t seq = TRY(
        m_deps.store.append(m_id, EventKind::mark, boost::json::serialize(boost::json::object{ { "name", name } })));
    m_marks.push_back(Mark{ std::string(name), seq, m_conversation.size() });
    return {};
}

Result<void> Session::rewind(std::string_view name)
{
    for (auto it = m_marks.rbegin(); it != m_marks.rend(); ++it) {
        if (!name.empty() && it->name != name)
            continue;
        TRY(m_deps.store.append(m_id, EventKind::rewind,
            boost::json::serialize(boost::json::object{ { "to_seq", it->seq }, { "name", it->name } })));
        m_conversation.truncate(it->messages);
        return {};
    }
    if (name.empty())
        return fail(ErrorCode::not_found, "no mark to rewind to (set one with /mark)");
    return fail(ErrorCode::not_found, "no mark named '{}'", name);
}

Result<void> Session::clear()
{
    TRY(m_deps.store.append(
        m_id, EventKind::rewind, boost::json::serialize(boost::json::object{ { "to_seq", 0 }, { "name", "clear" } })));
    m_conversation.clear();
    m_marks.clear();
    return {};
}

RequestShape Session::request_shape() const
{
    return RequestShape{ m_settings.model, m_settings.system_prompt, m_tools, m_settings.max_tokens };
}

Result<void> Session::compact(std::string focus, std::function<void()> done)
{
    if (m_turn || m_context.busy())
        return fail(ErrorCode::invalid_argument, "wait for the turn to end before compacting");
    m_context.compact_now(m_conversation, request_shape(), std::move(focus), std::move(done));
    return {};
}

void Session::set_model(std::string spec, std::string model)
{
    m_settings.model_spec = std::move(spec);
    m_settings.model = std::move(model);
}

} // namespace ik::agent
