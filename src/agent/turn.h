// Turn — one user prompt carried to the end: model → tools → model …
//
// A turn is a small state machine on the event loop. Each round streams one
// model reply (recording its text in batches as it arrives), then runs the
// requested tool calls one after another — each through the approval
// policy, each decision and result recorded — and starts the next round with
// all results, until the model stops asking for tools, the round bound is
// hit, the user cancels, or something fails. Tool failures are results for
// the model, never failures of the turn.
//
// Owns: a child arena of the session for the round's reply and calls, the
// in-flight model call and tool run. Borrows: the session.
#pragma once

#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <vector>

#include "agent/session.h"
#include "agent/tools/registry.h"

namespace ik::agent {

class Turn final : public llm::EventSink {
public:
    explicit Turn(Session& session);
    ~Turn() override;

    // Records the prompt and starts the first round.
    Result<void> start(std::string_view prompt);
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
        explicit PendingCalls(mem::Arena* a)
            : ids(a)
            , names(a)
            , arguments(a)
        {
        }
        void ensure(size_t index)
        {
            if (ids.size() <= index) {
                ids.resize(index + 1);
                names.resize(index + 1);
                arguments.resize(index + 1);
            }
        }
    };

    void start_round();
    void send_round();
    void on_model_done(Result<void> outcome);
    void record_thinking_if_complete();
    void run_tool(size_t index);
    void decide_and_run(size_t index, const ToolDescriptor& tool, ApprovalRequest request, Decision decision);
    void on_tool_result(size_t index, ToolResult result);
    void finish_round_calls_cancelled(size_t from);
    void schedule_flush();
    void finish(TurnOutcome outcome);
    bool check(Result<void> r);
    template <typename T> bool check(const Result<T>& r);

    Session& m_session;
    mem::Arena m_arena; // per turn
    mem::Arena* m_round = nullptr; // per round, child of m_arena
    TurnOutcome m_outcome;
    ToolContext m_tool_context;

    // The round being streamed.
    llm::Request m_request;
    std::unique_ptr<ModelCall> m_call;
    std::vector<std::unique_ptr<ModelCall>> m_spent_calls;
    std::optional<store::Reply> m_reply;
    std::pmr::string* m_text = nullptr;
    std::pmr::string* m_thinking = nullptr;
    std::pmr::string* m_signature = nullptr;
    PendingCalls* m_calls = nullptr;
    bool m_thinking_recorded = false;
    std::optional<Error> m_stream_error;
    llm::FinishReason m_finish = llm::FinishReason::stop;
    llm::Usage m_round_usage;

    // The round's tool calls, run one at a time.
    std::vector<llm::ToolCall> m_call_views;
    std::vector<std::unique_ptr<ToolRun>> m_runs;
    size_t m_running = 0;
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_context_retried = false; // this round already retried after a context-length error
    std::optional<Loop::TimerId> m_flush_timer;
};

} // namespace ik::agent
