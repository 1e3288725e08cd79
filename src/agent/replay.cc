// Session::replay — rebuilds the window from the store, exactly as the
// provider saw it when the session was live. Every mutation the live turn
// loop makes to the Conversation has an event that reproduces it here:
//
//   user → add_user          assistant → add_assistant (text, thinking, calls)
//   tool_result → add_tool_result        interrupted → the partial text kept
//   mark → remember (seq, window size)   rewind → truncate to that size
//   compaction → the same prunes and cut (agent/context/compaction_record.h)
//   usage → the session's token and cost totals
//
// A session killed between a tool call and its result would leave a call
// without an answer, which providers reject: such calls get an error result
// saying ik stopped before the tool finished.
#include <boost/json/serialize.hpp>

#include "agent/context/compaction_record.h"
#include "agent/session.h"
#include "core/json.h"

namespace ik::agent {

using store::EventKind;

namespace {

struct OpenCalls {
    std::vector<llm::ToolCall> calls; // views into the load arena
    std::vector<bool> answered;

    void close_unanswered(Conversation& c)
    {
        for (size_t i = 0; i < calls.size(); ++i) {
            if (!answered[i])
                c.add_tool_result(calls[i].id, calls[i].name, "not run: ik stopped before this tool finished", true);
        }
        calls.clear();
        answered.clear();
    }
};

} // namespace

Result<void> Session::replay()
{
    mem::Arena load(m_arena, "replay", { .block_size = 64 * 1024 });
    mem::Arena scratch(m_arena, "replay-event", { .block_size = 16 * 1024 });
    json::Parser parser(load);
    OpenCalls open;

    auto apply = [&](const store::Event& e) -> Result<void> {
        switch (e.kind) {
        case EventKind::user:
        case EventKind::assistant:
        case EventKind::tool_result:
        case EventKind::interrupted:
        case EventKind::mark:
        case EventKind::rewind:
        case EventKind::usage:
            break;
        case EventKind::compaction: {
            // Context hook: the window becomes what the model saw after compaction.
            open.close_unanswered(m_conversation);
            auto record = TRY_CONTEXT(CompactionRecord::parse(e.data), "event {}", e.seq);
            apply_compaction(m_conversation, record);
            return {};
        }
        default:
            return {};
        }
        scratch.reset();
        json::value v = TRY_CONTEXT(parser.parse(e.data, scratch, "event"), "event {}", e.seq);
        json::Field f(v);
        switch (e.kind) {
        case EventKind::user:
            open.close_unanswered(m_conversation);
            m_conversation.add_user(f["text"].string_or(""));
            break;
        case EventKind::assistant: {
            open.close_unanswered(m_conversation);
            std::vector<llm::ToolCall> calls;
            json::Field list = f["tool_calls"];
            for (size_t i = 0; i < list.size(); ++i) {
                calls.push_back(llm::ToolCall{
                    list[i]["id"].string_or(""), list[i]["name"].string_or(""), list[i]["arguments"].string_or("") });
            }
            m_conversation.add_assistant(
                f["text"].string_or(""), f["thinking"].string_or(""), f["signature"].string_or(""), calls);
            // The conversation copied the strings; keep views to its copies.
            auto added = m_conversation.messages().back().tool_calls;
            open.calls.assign(added.begin(), added.end());
            open.answered.assign(added.size(), false);
            break;
        }
        case EventKind::tool_result: {
            std::string_view id = f["id"].string_or("");
            for (size_t i = 0; i < open.calls.size(); ++i)
                if (open.calls[i].id == id)
                    open.answered[i] = true;
            m_conversation.add_tool_result(
                id, f["name"].string_or(""), f["text"].string_or(""), f["is_error"].boolean_or(false));
            break;
        }
        case EventKind::interrupted: {
            std::string_view text = f["text"].string_or("");
            if (!text.empty())
                m_conversation.add_assistant(text, "", "", {});
            break;
        }
        case EventKind::usage:
            m_context.restore_usage(llm::Usage{ .input = f["input"].integer_or(0),
                                        .output = f["output"].integer_or(0),
                                        .cached = f["cached"].integer_or(0),
                                        .reasoning = f["reasoning"].integer_or(0) },
                f["cost_usd"].exists() ? f["cost_usd"].number().value_or(0.0) : 0.0);
            break;
        case EventKind::mark:
            m_marks.push_back(Mark{ std::string(f["name"].string_or("")), e.seq, m_conversation.size() });
            break;
        case EventKind::rewind: {
            int64_t to = f["to_seq"].integer_or(0);
            open.close_unanswered(m_conversation);
            if (to == 0) {
                m_conversation.clear();
                m_marks.clear();
                break;
            }
            for (auto it = m_marks.rbegin(); it != m_marks.rend(); ++it) {
                if (it->seq == to) {
                    m_conversation.truncate(it->messages);
                    break;
                }
            }
            break;
        }
        default:
            break;
        }
        return {};
    };
    TRY(m_deps.store.load_events(m_id, 0, apply));
    open.close_unanswered(m_conversation);
    relieve_memory_pressure();
    return {};
}

} // namespace ik::agent
