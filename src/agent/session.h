// Session — one agent conversation: its window, its store id, its turns.
//
// A session owns a child arena of the app arena (capped by memory.limit_mb)
// holding the Conversation; each user prompt runs as a Turn (turn.h) in a
// child arena of its own: model → tool calls → results → model … until the
// model finishes or max_tool_turns is hit. Everything that happens is
// appended to the store the moment it happens, so a crash loses at most the
// last fraction of a second of streamed text, and resume() rebuilds the
// window exactly as the provider saw it.
//
// The session is driven by the one event loop and reports through a
// SessionObserver: headless output and the REPL are both observers. A turn
// sees the session only through TurnHost (turn_host.h), which the session
// implements; every event goes to the store through the Recorder, which
// creates the session row with the first event (so id() is empty before).
//
//   auto s = TRY(agent::Session::create(deps, settings, /*resume_id=*/""));
//   TRY(s->submit("fix the failing test"));
//   loop.run_until([&] { return !s->busy(); });
//
// Owns: its arena subtree (conversation, turns, todo list), the recorder, the
// session allow set.
// Borrows: everything in SessionDeps, which must outlive it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "agent/approval.h"
#include "agent/context/context_manager.h"
#include "agent/conversation.h"
#include "agent/model.h"
#include "agent/recorder.h"
#include "agent/session_types.h"
#include "agent/turn_host.h"
#include "core/arena.h"
#include "core/loop.h"
#include "store/store.h"

namespace ik::agent {

class Turn;

struct SessionDeps {
    Loop& loop;
    store::Store& store;
    Model& model;
    SessionObserver& observer;
    mem::Arena& parent; // the app arena; the session's arena is its child
};

class Session final : private TurnHost {
public:
    // A new session when `resume_id` is empty; otherwise the stored one,
    // replayed into the window.
    static Result<std::unique_ptr<Session>> create(
        SessionDeps deps, SessionSettings settings, std::string_view resume_id = {});
    // Use create(); the key keeps the constructor to it while letting
    // std::make_unique call it.
    class Key {
        friend class Session;
        Key() = default;
    };
    Session(Key, SessionDeps deps, SessionSettings settings);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Starts a turn. invalid_argument when a turn is already running.
    // `images` (@path attachments) go with the prompt to the model and the store.
    Result<void> submit(std::string_view prompt, std::span<const ToolImage> images = {});
    // Ctrl-C: stops the model or the running tool; the turn ends interrupted.
    void cancel();
    bool busy() const { return m_turn != nullptr || m_context.busy(); }
    // bash background: true jobs (/ps); ended with the session.
    BackgroundJobs& background_jobs() { return m_jobs; }
    const BackgroundJobs& background_jobs() const { return m_jobs; }
    // The task tool's sub-agents (/agents).
    const SubAgents& sub_agents() const { return m_agents; }
    SubAgents& sub_agents() { return m_agents; }
    // The todo tool's list (the REPL panel, /todo); restored on resume and
    // /rewind, emptied by /clear.
    const Todos& task_list() const { return m_todos; }
    // The web-search sources of a reply a resume loaded, found by the reply's
    // text; empty for any other. The window carries only what the model reads
    // back, so the REPL's resumed history asks here to list them again.
    std::span<const store::SourceRecord> resumed_sources(std::string_view reply_text) const;

    // Slash-command support; each is recorded in the store.
    Result<void> record_command(std::string_view text);
    // A user message that starts no turn (the REPL's `!command`: the command
    // and its output): recorded, then added to the window, so the next turn's
    // request carries it and a resume replays it. invalid_argument during a turn.
    Result<void> add_user_message(std::string_view text);
    Result<void> mark(std::string_view name);
    // Back to the newest mark named `name` (the newest mark when empty).
    // Exchanges evicted since the mark are restored from the store.
    Result<void> rewind(std::string_view name);
    Result<void> clear();
    void set_model(std::string spec, std::string model);
    // The new model's window and prices (/model), from the app's catalog.
    void set_context_limits(llm::ModelLimits limits) { m_context.set_limits(std::move(limits)); }
    void set_system_prompt(std::string text) { m_settings.system_prompt = std::move(text); }
    // Shift-Tab in the REPL: the next tool call is decided under `mode`.
    void set_approval_mode(ApprovalMode mode) { m_settings.approval.mode = mode; }

    // Empty until the first event is recorded (see recorder.h).
    std::string_view id() const { return m_recorder.id(); }
    const SessionSettings& settings() const override { return m_settings; }
    const Conversation& conversation() const { return m_conversation; }
    const llm::Usage& usage() const { return m_usage; }
    const llm::Usage& last_usage() const { return m_last_usage; }
    const std::vector<Mark>& marks() const { return m_marks; }
    mem::Arena& arena() override { return m_arena; }
    SessionAllows& allows() override { return m_allows; }
    // Token budget, cost and compaction (agent/context/context_manager.h).
    const ContextManager& context() const { return m_context; }
    RequestShape request_shape() const override;
    // /compact [focus]: compacts the window now; `done` runs when it has
    // (from the loop when a summary was written). invalid_argument during a turn.
    Result<void> compact(const std::string& focus, ContextManager::Done done);

private:
    // TurnHost
    std::span<const llm::ToolSpec> tools() const override { return m_tools; }
    Conversation& window() override { return m_conversation; }
    Recorder& recorder() override { return m_recorder; }
    SessionObserver& observer() override { return m_deps.observer; }
    Loop& loop() override { return m_deps.loop; }
    BackgroundJobs& jobs() override { return m_jobs; }
    Todos& todos() override { return m_todos; }
    SubAgents& agents() override { return m_agents; }
    Model& model() override { return m_deps.model; }
    ContextManager& context_manager() override { return m_context; }
    void add_usage(const llm::Usage& round) override;
    Result<void> relieve_memory_pressure() override;
    void turn_finished(const TurnOutcome& outcome) override;
    std::string_view take_session_start() override;

    // Rebuilds the window and the marks from the store (replay.cc); on
    // resume also the token and cost totals (a rewind keeps them).
    enum class Replay : uint8_t { window, window_and_accounting };
    Result<void> replay(Replay what = Replay::window);
    Result<void> load_window(Replay what);

    SessionDeps m_deps;
    SessionSettings m_settings;
    mem::Arena m_arena; // scope-owned child of deps.parent; declared first of the memory, freed last
    Conversation m_conversation;
    Recorder m_recorder;
    std::vector<llm::ToolSpec> m_tools; // rebuilt by submit() when the MCP tools changed
    uint64_t m_tools_generation = 0;
    SessionAllows m_allows;
    std::vector<Mark> m_marks;
    llm::Usage m_usage;
    llm::Usage m_last_usage;
    ContextManager m_context;
    BackgroundJobs m_jobs; // before the turns: a running call may hold a job
    Todos m_todos; // before the turns, like the jobs
    SubAgents m_agents; // before the turns: a running task call holds a sub-agent
    std::unique_ptr<Turn> m_turn;
    std::vector<std::unique_ptr<Turn>> m_retired; // finished turns, freed on the next loop round
    std::optional<Loop::TimerId> m_retire_timer; // cancelled if the session goes first (a sub-agent's does)
    // Filled by replay: a reply text's hash → its sources (in m_arena).
    std::unordered_map<size_t, std::span<const store::SourceRecord>> m_resumed_sources;
    std::string_view m_session_start = "startup"; // SessionStart's source until the first turn takes it
};

} // namespace ik::agent
