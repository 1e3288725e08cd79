// The plain types a session and its turns share: settings, the outcome of a
// turn, the observer the front ends implement, and a mark.
//
// Split from session.h so that the turn's host interface (turn_host.h) can
// name them without including the Session it abstracts.
// Everything here owns its strings (heap); none of it is on a hot path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/approval.h"
#include "agent/checkpoint_settings.h"
#include "agent/context/context_settings.h"
#include "agent/hooks/hook_settings.h"
#include "agent/tools/registry.h"
#include "agent/tools/tool.h"
#include "core/result.h"
#include "llm/event.h"
#include "llm/request.h"
#include "sandbox/sandbox.h"
#include "store/records.h"
#include "web/fetch.h"

namespace ik::agent {

// A sub-agent's stored session names the session whose task call started it
// (store migration 7, PostgreSQL 6, docs/store.md); all empty for a main agent.
struct StoredLink {
    std::string parent_id;
    std::string call_id; // the parent's task call
    std::string title; // the task's description; empty: the prompt's first line
};
class AgentDefinitions;
class ModelFactory;

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
    std::shared_ptr<const sandbox::Sandbox> sandbox; // where bash runs; null: unconfined (tests)
    ContextSettings context; // the model's limits and prices, compaction (agent/context/)
    HookSettings hooks; // the user's hook commands (agent/hooks/, docs/hooks.md)
    ToolSet tools = ToolSet::all; // without_skills: the skill tool is not offered (no skills installed)
    CheckpointSettings checkpoints; // snapshots before mutating turns (agent/turn_checkpoint.h)
    web::FetchSettings web; // web_fetch: allowed hosts, time and size caps (web.* in config)
    llm::WebSearch web_search; // web.search, web.search_max_uses; offered to models that have one
    ClientFiles* client_files = nullptr; // borrowed: an editor's buffers for read_file (tools/client_files.h)
    int agent_depth = 0; // 0: the main agent; a sub-agent is one deeper than its parent
    int max_agent_depth = 1; // agents.max_depth: a session this deep starts no sub-agent
    StoredLink link; // a sub-agent's: its stored session's parent, task call and title
    // The task tool's `agent` kinds (ext/agent_definitions.h) and what builds a
    // sub-agent's own model (model_factory.h); null: none, the parent's model.
    std::shared_ptr<const AgentDefinitions> agent_definitions;
    std::shared_ptr<const ModelFactory> models;
    std::vector<std::string> only_tools; // non-empty: the only tools offered (a sub-agent's subset)
};

struct TurnOutcome {
    llm::FinishReason finish = llm::FinishReason::stop;
    // The turn failed: the provider's error, or ErrorCode::store naming the
    // event that could not be recorded (the turn stops at the first one).
    std::optional<Error> error;
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
    // A finished reply's web search sources, numbered from 1 as stored.
    virtual void on_sources(std::span<const store::SourceRecord> /*sources*/) { }
    // An interactive front end asks the user and calls `answer` later, from
    // the loop. Headless observers cannot ask: `ask` decisions become denials.
    virtual bool can_ask() const { return false; }
    // By value: an override keeps the callback until the user answers.
    virtual void ask_approval(const ApprovalRequest&,
        std::function<void(UserAnswer)> answer) // NOLINT(performance-unnecessary-value-param)
    {
        answer(UserAnswer::no);
    }
};

// A point between exchanges to /rewind to. It names exchanges by number
// (conversation.h), so it survives the eviction of the exchanges before it.
struct Mark {
    std::string name;
    int64_t seq = 0; // the mark event
    size_t first_exchange = 0; // the window when the mark was set:
    size_t end_exchange = 0; //   exchanges [first_exchange, end_exchange)
    std::string todos; // the todo list then (todos.h snapshot); /rewind restores it
};

} // namespace ik::agent
