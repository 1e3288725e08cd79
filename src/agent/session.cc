#include "agent/session.h"

#include <algorithm>
#include <utility>

#include "agent/images.h"
#include "agent/sub_agent_setup.h"
#include "agent/tools/external.h"
#include "agent/tools/registry.h"
#include "agent/turn.h"

namespace ik::agent {

Session::Session(Key, SessionDeps deps, SessionSettings settings)
    : m_deps(deps)
    , m_settings(std::move(settings))
    // A sub-agent's arena says so in /mem, under the session that started it.
    , m_arena(
          deps.parent, m_settings.agent_depth > 0 ? "sub-agent" : "session", { .cap = m_settings.memory_limit_bytes })
    , m_conversation(m_arena)
    , m_recorder(deps.store, m_arena,
          { .cwd = m_settings.cwd.string(),
              .model = m_settings.model_spec,
              .parent_id = m_settings.link.parent_id,
              .parent_call_id = m_settings.link.call_id,
              .title = m_settings.link.title })
    , m_tools(tool_specs(m_settings.tools))
    , m_context(
          ContextDeps{ m_recorder, deps.model, deps.observer, [this] { return todo_compaction_note(m_todos.list()); } },
          m_settings.context)
    , m_jobs(deps.loop, m_arena)
    , m_todos(m_arena)
    , m_agents(SubAgents::Deps{ deps.loop, deps.store, deps.model, deps.observer, m_arena, m_settings, m_recorder })
{
    shape_tool_specs(m_tools, m_settings);
}

Session::~Session()
{
    if (m_turn)
        m_turn->cancel();
    if (m_retire_timer)
        m_deps.loop.cancel(*m_retire_timer);
    m_retired.clear();
    m_turn.reset();
}

Result<std::unique_ptr<Session>> Session::create(SessionDeps deps, SessionSettings settings, std::string_view resume_id)
{
    auto s = std::make_unique<Session>(Key(), deps, std::move(settings));
    if (resume_id.empty())
        return s; // the row is created with the first event (recorder.h)
    s->m_recorder.attach(TRY(deps.store.resolve_id(resume_id)));
    s->m_session_start = "resume";
    TRY_CONTEXT(s->replay(Replay::window_and_accounting), "while resuming session {}", s->id());
    return s;
}

Result<void> Session::submit(std::string_view prompt, std::span<const ToolImage> images)
{
    if (m_turn || m_context.busy())
        return fail(ErrorCode::invalid_argument, "a turn is already running");
    // The MCP tools, as they are now: rebuilt only between turns, because a
    // turn's requests point into this list (tools/external.h).
    if (uint64_t g = external_tools_generation(); g != m_tools_generation) {
        m_tools = tool_specs();
        shape_tool_specs(m_tools, m_settings);
        m_tools_generation = g;
    }
    // Notes of the tool sources (an MCP resource changed) go with the prompt.
    std::string with_notes;
    if (ExternalTools* external = external_tools(); external != nullptr) {
        if (std::string notes = external->take_notes(); !notes.empty()) {
            with_notes = std::string(prompt) + "\n\n" + notes;
            prompt = with_notes;
        }
    }
    m_turn = std::make_unique<Turn>(static_cast<TurnHost&>(*this));
    auto started = m_turn->start(prompt, image_views(images));
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
    if (m_retire_timer)
        m_deps.loop.cancel(*m_retire_timer);
    m_retire_timer = m_deps.loop.after(std::chrono::milliseconds(0), [this] {
        m_retire_timer.reset();
        m_retired.clear();
    });
    m_deps.observer.on_turn_end(outcome);
}

std::string_view Session::take_session_start()
{
    return std::exchange(m_session_start, std::string_view());
}

void Session::add_usage(const llm::Usage& round)
{
    m_last_usage = round;
    m_usage.input += round.input;
    m_usage.output += round.output;
    m_usage.cached += round.cached;
    m_usage.reasoning += round.reasoning;
}

Result<void> Session::relieve_memory_pressure()
{
    size_t before = m_conversation.evicted_messages();
    while (m_arena.pressure() != mem::Pressure::normal && m_conversation.evict_oldest()) { }
    size_t evicted = m_conversation.evicted_messages() - before;
    if (!evicted)
        return {};
    m_deps.observer.on_notice(
        fmt::format("memory cap: the {} oldest messages left the window (they stay in the store)", evicted));
    // Recorded so that resume starts the window where it starts now, whatever
    // the memory cap is then.
    TRY(m_recorder.record(
        store::EvictionRecord{ .first_exchange = static_cast<int64_t>(m_conversation.first_exchange()),
            .messages = static_cast<int64_t>(evicted) }));
    return {};
}

Result<void> Session::record_command(std::string_view text)
{
    return m_recorder.record_command(text);
}

Result<void> Session::add_user_message(std::string_view text)
{
    if (busy())
        return fail(ErrorCode::invalid_argument, "a turn is running");
    TRY(m_recorder.record(store::UserRecord{ .text = text }));
    m_conversation.add_user(text);
    return relieve_memory_pressure();
}

Result<void> Session::mark(std::string_view name)
{
    size_t end = m_conversation.exchange_end();
    int64_t seq = TRY(m_recorder.record(store::MarkRecord{ .name = name, .exchanges = static_cast<int64_t>(end) }));
    m_marks.push_back(Mark{ std::string(name), seq, m_conversation.first_exchange(), end, m_todos.snapshot() });
    return {};
}

Result<void> Session::rewind(std::string_view name)
{
    // The newest mark of that name, or the newest mark when no name is given.
    // (std::views::reverse does not compile with clang 14 and libstdc++ 12.)
    auto found = std::find_if(
        m_marks.rbegin(), m_marks.rend(), [name](const Mark& m) { return name.empty() || m.name == name; });
    if (found != m_marks.rend()) {
        // A copy: replay() below replaces m_marks.
        Mark mark = *found;
        TRY(m_recorder.record(store::RewindRecord{ .to_seq = mark.seq, .name = mark.name }));
        // A compaction since the mark changed the window the mark saw: the
        // store has the originals, so the window is rebuilt as for eviction.
        if (mark.first_exchange == m_conversation.first_exchange()
            && mark.seq > m_context.accounting().compaction_seq) {
            m_conversation.truncate_exchanges(mark.end_exchange);
            m_todos.restore(mark.todos);
            return {};
        }
        // Exchanges of the mark's window were evicted since: the store has
        // them, and the rewind just recorded tells replay which window to build.
        TRY_CONTEXT(replay(), "while restoring the window of mark '{}'", mark.name);
        return {};
    }
    if (name.empty())
        return fail(ErrorCode::not_found, "no mark to rewind to (set one with /mark)");
    return fail(ErrorCode::not_found, "no mark named '{}'", name);
}

Result<void> Session::clear()
{
    if (!id().empty())
        TRY(m_recorder.record(store::RewindRecord{ .to_seq = 0, .name = "clear" }));
    m_conversation.clear();
    m_marks.clear();
    m_todos.clear();
    return {};
}

RequestShape Session::request_shape() const
{
    return RequestShape{ m_settings.model, m_settings.system_prompt, m_tools, m_settings.max_tokens };
}

Result<void> Session::compact(const std::string& focus, ContextManager::Done done)
{
    if (m_turn || m_context.busy())
        return fail(ErrorCode::invalid_argument, "wait for the turn to end before compacting");
    m_context.compact_now(m_conversation, request_shape(), focus, std::move(done));
    return {};
}

void Session::set_model(std::string spec, std::string model)
{
    m_recorder.set_model(spec);
    m_settings.model_spec = std::move(spec);
    m_settings.model = std::move(model);
}

} // namespace ik::agent
