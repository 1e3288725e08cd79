// ContextManager — a session's token budget: accounting, compaction, cost.
//
// It knows the model's limits (llm/catalog.h), estimates the next prompt
// (estimator.h, calibrated by every usage report), and before each request
// runs the compaction planner (compaction_plan.h): prunes old tool outputs,
// summarises the oldest rounds with a model call (summarizer.h) or, if that
// fails, drops them with a note (a sliding window). Each compaction is one
// `compaction` event in the store (compaction.h), so resume rebuilds the
// window the model saw; the original events are never touched.
//
// The turn calls three hooks: before_request() before each model request,
// on_usage() after each reply, on_context_error() when the provider says the
// prompt is too long (the turn then retries once: before_request() compacts).
// What the manager writes (the compaction and the summary call's usage) goes
// through the session's Recorder; a failed write reaches the hook's callback,
// so the turn decides what a store failure means, as for its own events.
//
// Owns: the summarizer and its call, the accounting. Borrows: ContextDeps.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "agent/context/compaction.h"
#include "agent/context/context_settings.h"
#include "agent/context/estimator.h"
#include "agent/context/summarizer.h"
#include "agent/model.h"
#include "agent/recorder.h"
#include "llm/catalog.h"
#include "llm/request.h"

namespace ik::agent {

class Conversation;
class SessionObserver;

struct ContextDeps {
    Recorder& recorder;
    Model& model;
    SessionObserver& observer;
    // Text appended to each summary message: what must stay word for word
    // when the messages that said it leave the window (the todo list). May be empty.
    std::function<std::string()> summary_note{};
};

// What the next request will carry besides the window.
struct RequestShape {
    std::string_view model;
    std::string_view system;
    std::span<const llm::ToolSpec> tools;
    int64_t max_tokens = 0;
};

struct Accounting {
    llm::Usage total; // every call: turns and summaries
    double cost_usd = 0;
    int64_t last_prompt_tokens = 0; // exact, from the newest report
    int compactions = 0;
    int64_t compaction_seq = 0; // the event of the newest compaction the window reflects; 0: none
};

// Token counts of what fills the window, for /context.
struct WindowBreakdown {
    int64_t window = 0;
    int64_t system = 0; // the system prompt without AGENTS.md
    int64_t instructions = 0; // AGENTS.md
    int64_t tools = 0; // tool definitions
    int64_t messages = 0; // user and assistant messages
    int64_t tool_results = 0;
    int64_t summary = 0;
    int64_t free() const { return std::max<int64_t>(0, window - used()); }
    int64_t used() const { return system + instructions + tools + messages + tool_results + summary; }
};

class ContextManager {
public:
    ContextManager(ContextDeps deps, ContextSettings settings);
    ~ContextManager();
    ContextManager(const ContextManager&) = delete;
    ContextManager& operator=(const ContextManager&) = delete;

    // Called once when a compaction is done (or was not needed): the error
    // of a write that failed, else success.
    using Done = std::function<void(Result<void>)>;

    // Compacts `window` if the next request would not fit (or a compaction was
    // forced), then calls `then` — at once when no summary is needed, else
    // from the loop when the summary call ends. `then` always runs once.
    void before_request(Conversation& window, const RequestShape& shape, Done then);
    // /compact [focus]: compacts now, whatever the estimate. `done` as above.
    void compact_now(Conversation& window, const RequestShape& shape, const std::string& focus, Done done);
    bool busy() const { return m_summarizer.busy(); }
    void cancel() { m_summarizer.cancel(); }

    // A reply's usage: calibrates the estimate, adds tokens and cost. Returns
    // the cost of this report in US dollars.
    double on_usage(const llm::Usage& usage);
    // Usage replayed from the store on resume (cost as recorded then), and a
    // replayed compaction.
    void restore_usage(const llm::Usage& usage, double cost_usd);
    // The newest turn report replayed: its prompt tokens, and the estimator's
    // ratio as recorded then (absent in stores written before it was kept).
    void restore_estimate(int64_t last_prompt_tokens, std::optional<double> bytes_per_token);
    void restore_compaction() { ++m_accounting.compactions; }
    // Resume or a rewind rebuilt the window: `seq` is the newest compaction in it.
    void set_compaction_seq(int64_t seq) { m_accounting.compaction_seq = seq; }
    // The provider rejected the prompt as too long: learn the window if its
    // message names it, and compact before the next request whatever the estimate.
    void on_context_error(const Error& error);

    const Accounting& accounting() const { return m_accounting; }
    const llm::ModelLimits& limits() const { return m_settings.limits; }
    const TokenEstimator& estimator() const { return m_estimator; }
    double threshold() const { return m_settings.threshold; }
    void set_limits(llm::ModelLimits limits) { m_settings.limits = std::move(limits); }

    // The estimated prompt of the next request, in tokens.
    int64_t prompt_tokens(const Conversation& window, const RequestShape& shape) const;
    WindowBreakdown breakdown(const Conversation& window, const RequestShape& shape) const;

private:
    void compact(Conversation& window, const RequestShape& shape, bool force, std::string reason,
        const std::string& focus, Done then);
    Result<void> finish(Conversation& window, Compaction compaction);
    double on_usage_cost(const llm::Usage& usage);
    size_t fixed_bytes(const RequestShape& shape) const;
    int64_t summary_max_tokens() const;

    ContextDeps m_deps;
    ContextSettings m_settings;
    TokenEstimator m_estimator;
    Summarizer m_summarizer;
    Accounting m_accounting;
    size_t m_last_request_bytes = 0; // what the newest request carried: calibrates the next report
    size_t m_fixed_bytes = 0; // system prompt and tools of the request being compacted for
    bool m_force = false;
};

// The status line's figures as text: "ctx 43% · $0.12".
std::string context_status_text(int64_t prompt_tokens, int64_t window, double cost_usd);

} // namespace ik::agent
