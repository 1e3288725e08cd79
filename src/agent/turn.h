// Turn — one user prompt carried to the end: model → tools → model …
//
// A turn is a small state machine on the event loop. Each round streams one
// model reply (recording its text in batches as it arrives), then runs the
// requested tool calls — each through the approval policy, consecutive
// read-only ones together (turn_dispatch.cc), each decision and result
// recorded in the calls' order — and starts the next round with
// all results, until the model stops asking for tools, the round bound is
// hit, the user cancels, or something fails. Tool failures are results for
// the model, never failures of the turn.
//
// A store failure is a failure of the turn, decided in one place
// (Turn::recorded): the first event that cannot be written ends the turn
// with an ErrorCode::store error naming that event. What the model already
// said stays in the window (and on the screen); nothing after it runs, so
// the store never silently misses part of a turn that carried on.
//
// Before each request the host's ContextManager may compact the window
// (agent/context/; a summary call runs first, then send_round()); each
// reply's usage calibrates its estimate and carries the round's cost. A
// context-length error from the provider gets one compaction and one visible
// retry of the round, when compacting can change the window.
//
// Each call's arguments are parsed once, into the round's arena, and that one
// parsed object serves the approval preview and the run.
//
// The user's hooks (agent/hooks/, docs/hooks.md) run at the turn's steps, on
// the loop like a tool (turn_hooks.cc): SessionStart (the session's first
// turn in this process) and UserPromptSubmit before the prompt is recorded,
// PreToolUse before each call's approval, PostToolUse after each call that
// ran, Stop when the model is done. What they add to the conversation (a
// context, a blocked call's result, a Stop hook's feedback) is recorded as
// part of the ordinary records, so resume rebuilds the same window.
//
// Checkpoints (turn_checkpoint.h): the project is snapshotted before the
// turn's first call that may change files and again when the turn ends.
//
// The tool dispatch is in turn_dispatch.cc, the hook steps in turn_hooks.cc.
//
// Owns: a child arena of the session for the round's reply and calls, the
// in-flight model call and tool run. Borrows: the host (turn_host.h).
#pragma once

#include <functional>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <vector>

#include "agent/hooks/hook_outcome.h"
#include "agent/hooks/hook_payload.h"
#include "agent/hooks/hook_run.h"
#include "agent/reply_sources.h"
#include "agent/tools/registry.h"
#include "agent/turn_checkpoint.h"
#include "agent/turn_host.h"
#include "core/chunked_text.h"
#include "store/records.h"
#include "store/store.h"

namespace ik::agent {

class Turn final : public llm::StreamSink {
public:
    explicit Turn(TurnHost& host);
    ~Turn() override;

    // Records the prompt and starts the first round.
    Result<void> start(std::string_view prompt, std::span<const llm::Image> images = {});
    void cancel();

    Result<void> on_event(const llm::Event& event) override;

private:
    // Parallel vectors indexed by the provider's call index. pmr vectors of
    // pmr strings construct their elements with the round arena too, so
    // nothing here escapes to the heap (their destructors never run).
    struct PendingCalls {
        std::pmr::vector<std::pmr::string> ids;
        std::pmr::vector<std::pmr::string> names;
        std::pmr::vector<std::pmr::string> arguments;
        std::pmr::vector<std::pmr::string> signatures; // Gemini thoughtSignature
        explicit PendingCalls(mem::Arena* a)
            : ids(a)
            , names(a)
            , arguments(a)
            , signatures(a)
        {
        }
        void ensure(size_t index)
        {
            if (ids.size() <= index) {
                ids.resize(index + 1);
                names.resize(index + 1);
                arguments.resize(index + 1);
                signatures.resize(index + 1);
            }
        }
        void clear()
        {
            ids.clear();
            names.clear();
            arguments.clear();
            signatures.clear();
        }
    };

    void start_round();
    void send_round();
    void on_model_done(Result<void> outcome);
    void end_round_failed(Error error);
    void retry_after_context_error(const Error& error);
    void record_thinking_if_complete();
    // The round's usage as the record written with the reply's last event;
    // nullopt when the provider sent none.
    std::optional<store::UsageRecord> round_usage() const;
    // The dispatch of the reply's calls (turn_dispatch.cc).
    void start_calls();
    void run_tool(size_t index);
    void call_started(size_t index);
    void stop_starting();
    void drain_results();
    void cancel_calls();
    void approve(size_t index, const ToolDescriptor* tool, const ApprovalRequest& request, const HookOutcome& hook);
    void decide_and_run(
        size_t index, const ToolDescriptor* tool, const ApprovalRequest& request, const Decision& decision);
    void on_tool_result(size_t index, ToolResult result);
    void record_tool_result(size_t index, const ToolResult& result);
    void begin(std::string_view prompt);
    // Messages with images (turn_images.cc).
    void keep_prompt_images(std::span<const llm::Image> images);
    store::UserRecord user_record(std::string_view prompt);
    Result<int64_t> keep_tool_result(const llm::ToolCall& call, const ToolResult& result);

    // The hook steps (turn_hooks.cc). Each runs its hooks when some are
    // configured for it, then goes on to the step after it.
    void run_prompt_hooks(std::string_view source);
    void run_pre_tool_hooks(size_t index, const ToolDescriptor* tool, ApprovalRequest request);
    void run_post_tool_hooks(size_t index, ToolResult result);
    void run_stop_hooks();
    HookSubject hook_subject() const;
    std::filesystem::path hook_dir() const;
    // Starts `commands` with `payload`; `then` gets what they said (notices
    // already shown) unless the turn ended meanwhile.
    void run_hooks(HookEvent event, std::vector<const HookCommand*> commands, std::string payload,
        std::function<void(HookOutcome)> then);
    void finish_round_calls_cancelled(size_t from);
    void schedule_flush();
    // The round's text in the window's arena (copied from the chunks, which
    // go back, the first time); then keep_text_in_window() adds it alone.
    std::string_view held_text();
    void keep_text_in_window();
    void finish(TurnOutcome outcome);
    // The one place a store failure is handled: false (and the turn is
    // over) when `r` failed. `what` names the event for the error message.
    template <typename T> bool recorded(const Result<T>& r, std::string_view what);
    // Notes a failure for finish() without ending the turn: for the writes
    // of a turn that is ending anyway (a provider error, a cancel).
    template <typename T> bool noted(const Result<T>& r, std::string_view what);
    template <typename R> bool record(const R& record, std::string_view what)
    {
        return recorded(m_host.recorder().record(record), what);
    }

    TurnHost& m_host;
    mem::Arena m_arena; // per turn
    mem::Arena* m_round = nullptr; // per round, child of m_arena
    TurnOutcome m_outcome;
    ToolContext m_tool_context;
    TurnCheckpoint m_checkpoint; // snapshots before the first mutating call and at the end

    // The round being streamed.
    llm::Request m_request;
    std::unique_ptr<ModelCall> m_call;
    std::vector<std::unique_ptr<ModelCall>> m_spent_calls;
    std::optional<store::Reply> m_reply;
    // The round's text, held once: in chunks while it streams (no doubling
    // copies), then copied once into the window's arena (held_text()), where
    // the store's final event is also written from.
    mem::ChunkedText* m_text = nullptr;
    std::optional<std::string_view> m_held_text;
    std::pmr::string* m_thinking = nullptr;
    std::pmr::string* m_signature = nullptr;
    PendingCalls* m_calls = nullptr;
    ReplySources* m_sources = nullptr; // the round's web search sources
    bool m_thinking_recorded = false;
    bool m_text_in_window = false; // the round's text joined the window
    std::optional<Error> m_store_error; // the first event that could not be recorded
    std::optional<Error> m_stream_error;
    llm::FinishReason m_finish = llm::FinishReason::stop;
    llm::Usage m_round_usage;
    double m_round_cost = 0; // US dollars, at the catalog's prices

    // The round's tool calls and their arguments parsed once into the round
    // arena (an error when they are not a JSON object). Calls [0,
    // m_next_start) have started, [0, m_next_record) are recorded; results
    // that arrived out of order wait in m_results (turn_dispatch.cc).
    std::vector<llm::ToolCall> m_call_views;
    std::vector<Result<json::value>> m_call_args;
    std::vector<std::unique_ptr<ToolRun>> m_runs;
    std::vector<std::optional<ToolResult>> m_results;
    size_t m_next_start = 0;
    size_t m_next_record = 0;
    bool m_starting = false; // a call is in its hooks or approval, or about to start
    bool m_recording = false; // m_next_record's result is in its PostToolUse hooks
    bool m_draining = false; // drain_results() is on the stack
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_context_retried = false; // this round already retried after a context-length error
    std::optional<Loop::TimerId> m_flush_timer;

    // Hooks: the one running, those finished (their completion may be on
    // the stack; freed when the next run starts), the prompt kept while the
    // prompt hooks run, and how often Stop hooks have made the turn go on.
    std::unique_ptr<HookRun> m_hook;
    std::vector<std::unique_ptr<HookRun>> m_spent_hooks;
    std::string m_prompt;
    std::string m_prompt_context;
    std::span<const llm::Image> m_images; // the prompt's, in m_arena
    int m_stop_continuations = 0;
};

} // namespace ik::agent
