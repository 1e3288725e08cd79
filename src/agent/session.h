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
// SessionObserver: headless output and the REPL are both observers.
//
//   auto s = TRY(agent::Session::create(deps, settings, /*resume_id=*/""));
//   TRY(s->submit("fix the failing test"));
//   loop.run_until([&] { return !s->busy(); });
//
// Owns: its arena subtree (conversation, turns), the session allow set.
// Borrows: everything in SessionDeps, which must outlive it.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/approval.h"
#include "agent/context/context_manager.h"
#include "agent/conversation.h"
#include "agent/model.h"
#include "agent/tools/tool.h"
#include "core/arena.h"
#include "core/loop.h"
#include "llm/event.h"
#include "llm/request.h"
#include "store/store.h"

namespace ik::agent {

class Turn;

struct SessionSettings {
    std::string model_spec; // "anthropic/claude-sonnet-4-5": shown and recorded
    std::string model; // the provider's own name, sent in requests
    std::string system_prompt;
    llm::ThinkingLevel thinking = llm::ThinkingLevel::none;
    int max_tool_turns = 50;
    int64_t max_tokens = 0;
    ApprovalPolicy approval;
    std::filesystem::path cwd;
    size_t memory_limit_bytes = 0; // cap on the session subtree; 0: none
    ContextSettings context; // the model's limits and prices, compaction (agent/context/)
};

struct TurnOutcome {
    llm::FinishReason finish = llm::FinishReason::stop;
    std::optional<Error> error; // the turn failed (provider, store)
    bool interrupted = false; // cancelled by the user or cut short
    bool hit_tool_limit = false;
    int rounds = 0;
    llm::Usage usage; // summed over the turn's rounds
};

class SessionObserver {
public:
    virtual ~SessionObserver() = default;
    virtual void on_model_event(const llm::Event&) { }
    virtual void on_round_start(int /*round*/) { }
    virtual void on_tool_start(const llm::ToolCall&, const ApprovalRequest&) { }
    virtual void on_tool_denied(const llm::ToolCall&, const Decision&, std::string_view /*message*/) { }
    virtual void on_tool_result(const llm::ToolCall&, const ToolResult&) { }
    virtual void on_turn_end(const TurnOutcome&) { }
    virtual void on_notice(std::string_view /*text*/) { }
    // An interactive front end asks the user and calls `answer` later, from
    // the loop. Headless observers cannot ask: `ask` decisions become denials.
    virtual bool can_ask() const { return false; }
    virtual void ask_approval(const ApprovalRequest&, std::function<void(UserAnswer)> answer)
    {
        answer(UserAnswer::no);
    }
};

struct SessionDeps {
    Loop& loop;
    store::Store& store;
    Model& model;
    SessionObserver& observer;
    mem::Arena& parent; // the app arena; the session's arena is its child
};

struct Mark {
    std::string name;
    int64_t seq = 0;
    size_t messages = 0; // the window's size when the mark was set
};

class Session {
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
    Result<void> submit(std::string_view prompt);
    // Ctrl-C: stops the model or the running tool; the turn ends interrupted.
    void cancel();
    bool busy() const { return m_turn != nullptr || m_context.busy(); }

    // Slash-command support; each is recorded in the store.
    Result<void> record_command(std::string_view text);
    Result<void> mark(std::string_view name);
    // Back to the newest mark named `name` (the newest mark when empty).
    Result<void> rewind(std::string_view name);
    Result<void> clear();
    void set_model(std::string spec, std::string model);
    void set_system_prompt(std::string text) { m_settings.system_prompt = std::move(text); }

    std::string_view id() const { return m_id; }
    const SessionSettings& settings() const { return m_settings; }
    const Conversation& conversation() const { return m_conversation; }
    const llm::Usage& usage() const { return m_usage; }
    const llm::Usage& last_usage() const { return m_last_usage; }
    const std::vector<Mark>& marks() const { return m_marks; }
    mem::Arena& arena() { return m_arena; }
    // Token budget, cost and compaction (agent/context/context_manager.h).
    const ContextManager& context() const { return m_context; }
    ContextManager& context() { return m_context; }
    RequestShape request_shape() const;
    // /compact [focus]: compacts the window now; `done` runs when it has
    // (from the loop when a summary was written). invalid_argument during a turn.
    Result<void> compact(std::string focus, std::function<void()> done);
    SessionAllows& allows() { return m_allows; }

private:
    friend class Turn;
    Result<void> replay();
    void turn_finished(const TurnOutcome& outcome);
    void relieve_memory_pressure();

    SessionDeps m_deps;
    SessionSettings m_settings;
    mem::Arena m_arena; // scope-owned child of deps.parent; declared first of the memory, freed last
    Conversation m_conversation;
    std::string m_id;
    std::vector<llm::ToolSpec> m_tools;
    SessionAllows m_allows;
    std::vector<Mark> m_marks;
    llm::Usage m_usage;
    llm::Usage m_last_usage;
    ContextManager m_context;
    std::unique_ptr<Turn> m_turn;
    std::vector<std::unique_ptr<Turn>> m_retired; // finished turns, freed on the next loop round
};

} // namespace ik::agent
