// Session::replay — rebuilds the window and the marks from the store, exactly
// as the provider saw them when the session was live.
//
// Two passes over the events. The first plans: it numbers the exchanges as
// the live Conversation did (a user event starts one) and follows what moved
// the window — marks, rewinds to them, /clear and recorded evictions — to
// learn which exchanges the window holds at the end and which events belong
// to each. The second loads only those events into the Conversation:
//
//   user → add_user          assistant → add_assistant (text, thinking, calls)
//   tool_result → add_tool_result        interrupted → the partial text kept
//   (a long or interrupted reply's batches joined to its text, reply_text.h)
//   eviction → the oldest exchanges go   compaction → the same prunes and cut
//
// Recorded evictions are applied, not re-run, so the window does not depend
// on today's memory.limit_mb; and a rewind to a mark whose exchanges had been
// evicted brings them back, because the plan keeps every exchange's events.
// Compactions (agent/context/compaction.h) name positions in the window as
// it was when they ran, so the second pass starts where the window started
// at the oldest compaction still in effect and applies evictions and
// compactions in event order, as the live session did. A rewind to a mark
// set before a compaction drops it (and any eviction since), so the window
// is the mark's again, built from the originals.
// A session killed between a tool call and its result would leave a call
// without an answer, which providers reject: such calls get an error result
// saying ik stopped before the tool finished.
// The todo list is the list of the newest todo call that ran, followed
// through marks, rewinds and /clear like the window.
#include <algorithm>
#include <optional>
#include <unordered_map>

#include "agent/context/compaction.h"
#include "agent/images.h"
#include "agent/session.h"
#include "agent/todo_list.h"
#include "store/records.h"
#include "store/reply_text.h"

namespace ik::agent {

using store::EventKind;

namespace {

struct OpenCalls {
    std::vector<llm::ToolCall> calls; // views into the conversation's copies
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

// An eviction or a compaction still in effect, and where the window started then.
struct WindowOp {
    int64_t seq = 0;
    EventKind kind = EventKind::eviction;
    size_t first = 0;
};

// The first pass's result.
struct ReplayPlan {
    std::vector<std::vector<int64_t>> exchanges; // by number: the seqs of the events that build it
    size_t first = 0; // the window is exchanges [first, exchanges.size())
    std::vector<Mark> marks;
    std::vector<WindowOp> ops; // in event order
    // The session's accounting: every usage event, every compaction.
    llm::Usage usage;
    double cost_usd = 0;
    int compactions = 0;
    // The newest turn report (a summary's usage is not a prompt of the window).
    int64_t last_input = 0;
    std::optional<double> bytes_per_token;
    // The todo list as of the event planned last (a todo call's arguments or
    // a mark's snapshot), and the todo calls still waiting for their result:
    // a call changed the list only if it ran without error.
    std::string todos;
    std::vector<std::pair<std::string, std::string>> todo_calls; // id, arguments

    // A rewind to the event `seq` (0: /clear) undoes what came after it.
    void drop_ops_after(int64_t seq)
    {
        while (!ops.empty() && ops.back().seq > seq)
            ops.pop_back();
    }
    // Where the second pass starts: the window's start at the oldest
    // compaction in effect, else where it starts now.
    size_t load_from() const
    {
        for (const WindowOp& op : ops)
            if (op.kind == EventKind::compaction)
                return std::min(op.first, first);
        return first;
    }
    int64_t newest_compaction() const
    {
        int64_t seq = 0;
        for (const WindowOp& op : ops)
            if (op.kind == EventKind::compaction)
                seq = op.seq;
        return seq;
    }

    void add(int64_t seq, bool starts_exchange)
    {
        if (starts_exchange || exchanges.empty())
            exchanges.emplace_back();
        exchanges.back().push_back(seq);
    }
};

// A todo call's result: the call's list is the list from here on when it ran.
Result<void> plan_todo_result(ReplayPlan& plan, mem::Arena& scratch, const store::Event& e)
{
    auto r = TRY(store::ToolResultRecord::parse(scratch, e.data));
    auto call
        = std::find_if(plan.todo_calls.begin(), plan.todo_calls.end(), [&](const auto& c) { return c.first == r.id; });
    if (call == plan.todo_calls.end())
        return {};
    if (r.state == store::ToolState::ran && !r.is_error)
        plan.todos = std::move(call->second);
    plan.todo_calls.erase(call);
    return {};
}

Result<void> plan_event(ReplayPlan& plan, mem::Arena& scratch, const store::Event& e)
{
    switch (e.kind) {
    case EventKind::user:
        plan.add(e.seq, true);
        break;
    case EventKind::assistant:
        plan.add(e.seq, false);
        break;
    case EventKind::tool_call: {
        auto r = TRY(store::ToolCallRecord::parse(scratch, e.data));
        if (r.name == todo_tool_name)
            plan.todo_calls.emplace_back(std::string(r.id), std::string(r.arguments));
        break;
    }
    case EventKind::tool_result:
        plan.add(e.seq, false);
        if (!plan.todo_calls.empty())
            TRY(plan_todo_result(plan, scratch, e));
        break;
    case EventKind::interrupted: {
        // Only a kept partial text joins the window (and may open an exchange);
        // text in batches is always some (a batch is never empty).
        auto r = TRY(store::InterruptedRecord::parse(scratch, e.data));
        if (!r.text.empty() || r.partials)
            plan.add(e.seq, false);
        break;
    }
    case EventKind::mark: {
        auto r = TRY(store::MarkRecord::parse(scratch, e.data));
        plan.marks.push_back(Mark{ std::string(r.name), e.seq, plan.first, plan.exchanges.size(), plan.todos });
        break;
    }
    case EventKind::rewind: {
        auto r = TRY(store::RewindRecord::parse(scratch, e.data));
        if (r.to_seq == 0) {
            plan.exchanges.clear();
            plan.first = 0;
            plan.marks.clear();
            plan.ops.clear();
            plan.todos.clear();
            plan.todo_calls.clear();
            break;
        }
        for (auto it = plan.marks.rbegin(); it != plan.marks.rend(); ++it) {
            if (it->seq == r.to_seq) {
                plan.drop_ops_after(it->seq);
                plan.exchanges.resize(std::min(plan.exchanges.size(), it->end_exchange));
                plan.first = std::min(it->first_exchange, plan.exchanges.size());
                plan.todos = it->todos;
                break;
            }
        }
        break;
    }
    case EventKind::eviction: {
        auto r = TRY(store::EvictionRecord::parse(scratch, e.data));
        size_t first = static_cast<size_t>(std::max<int64_t>(0, r.first_exchange));
        plan.first = std::min(std::max(plan.first, first), plan.exchanges.size());
        plan.ops.push_back(WindowOp{ e.seq, EventKind::eviction, plan.first });
        break;
    }
    case EventKind::compaction:
        ++plan.compactions;
        plan.ops.push_back(WindowOp{ e.seq, EventKind::compaction, plan.first });
        break;
    case EventKind::usage: {
        auto r = TRY(store::UsageRecord::parse(scratch, e.data));
        plan.usage.input += r.input;
        plan.usage.output += r.output;
        plan.usage.cached += r.cached;
        plan.usage.reasoning += r.reasoning;
        plan.cost_usd += r.cost_usd.value_or(0.0);
        if (r.purpose.empty() && r.input > 0)
            plan.last_input = r.input;
        if (r.bytes_per_token)
            plan.bytes_per_token = r.bytes_per_token;
        break;
    }
    default:
        break;
    }
    return {};
}

// A reply's sources (web search), copied into `keep` under its text's hash.
using SourcesByText = std::unordered_map<size_t, std::span<const store::SourceRecord>>;

void keep_sources(
    SourcesByText& out, mem::Arena& keep, std::string_view text, std::span<const store::SourceRecord> list)
{
    if (list.empty())
        return;
    auto* copy = keep.make_array<store::SourceRecord>(list.size());
    for (size_t i = 0; i < list.size(); ++i)
        ::new (&copy[i]) store::SourceRecord{ keep.copy(list[i].url), keep.copy(list[i].title) };
    out.insert_or_assign(std::hash<std::string_view>{}(text), std::span<const store::SourceRecord>(copy, list.size()));
}

Result<void> apply_event(Conversation& window, OpenCalls& open, mem::Arena& scratch, const store::Event& e,
    store::ReplyText& joined, SourcesByText& sources, mem::Arena& keep)
{
    switch (e.kind) {
    case EventKind::user: {
        auto r = TRY(store::UserRecord::parse(scratch, e.data));
        open.close_unanswered(window);
        window.add_user(r.text, images_of(scratch, r.images)); // @path images are sent again
        break;
    }
    case EventKind::assistant: {
        auto r = TRY(store::AssistantRecord::parse(scratch, e.data));
        open.close_unanswered(window);
        std::vector<llm::ToolCall> calls;
        calls.reserve(r.tool_calls.size());
        for (const store::ToolCallRecord& c : r.tool_calls)
            calls.push_back(llm::ToolCall{ c.id, c.name, c.arguments, c.signature });
        std::string_view text = joined.text(r);
        window.add_assistant(text, r.thinking, r.signature, calls);
        keep_sources(sources, keep, text, r.sources);
        // The conversation copied the strings; keep views to its copies.
        auto added = window.messages().back().tool_calls;
        open.calls.assign(added.begin(), added.end());
        open.answered.assign(added.size(), false);
        break;
    }
    case EventKind::tool_result: {
        auto r = TRY(store::ToolResultRecord::parse(scratch, e.data));
        for (size_t i = 0; i < open.calls.size(); ++i)
            if (open.calls[i].id == r.id)
                open.answered[i] = true;
        window.add_tool_result(r.id, r.name, r.text, r.is_error, images_of(scratch, r.images));
        break;
    }
    case EventKind::interrupted: {
        auto r = TRY(store::InterruptedRecord::parse(scratch, e.data));
        std::string_view text = joined.text(r);
        if (!text.empty())
            window.add_assistant(text, "", "", {});
        break;
    }
    case EventKind::eviction: {
        auto r = TRY(store::EvictionRecord::parse(scratch, e.data));
        while (static_cast<int64_t>(window.first_exchange()) < r.first_exchange && window.evict_oldest()) { }
        break;
    }
    case EventKind::compaction: {
        // Live, every call had its result before the compaction; the views
        // in `open` would not survive the window's new arenas.
        open.close_unanswered(window);
        apply_compaction(window, Compaction::from(TRY(store::CompactionRecord::parse(scratch, e.data))));
        break;
    }
    default:
        break;
    }
    return {};
}

} // namespace

std::span<const store::SourceRecord> Session::resumed_sources(std::string_view reply_text) const
{
    auto it = m_resumed_sources.find(std::hash<std::string_view>{}(reply_text));
    return it == m_resumed_sources.end() ? std::span<const store::SourceRecord>{} : it->second;
}

Result<void> Session::replay(Replay what)
{
    TRY(load_window(what));
    // After the load's scratch is gone, so that it does not count as pressure.
    TRY(relieve_memory_pressure());
    return {};
}

Result<void> Session::load_window(Replay what)
{
    mem::Arena scratch(m_arena, "replay-event", { .cap = 0, .block_size = size_t{ 16 } * 1024 });
    std::string id(this->id());

    ReplayPlan plan;
    auto plan_one = [&](const store::Event& e) -> Result<void> {
        scratch.reset();
        TRY_CONTEXT(plan_event(plan, scratch, e), "event {}", e.seq);
        return {};
    };
    TRY(m_deps.store.load_events(id, 0, plan_one));

    // The window's events, in order (exchanges are numbered in seq order),
    // with the evictions and compactions to apply between them.
    size_t from = std::min(plan.load_from(), plan.exchanges.size());
    std::vector<int64_t> wanted;
    for (size_t i = from; i < plan.exchanges.size(); ++i)
        wanted.insert(wanted.end(), plan.exchanges[i].begin(), plan.exchanges[i].end());
    if (plan.newest_compaction() > 0) {
        for (const WindowOp& op : plan.ops)
            wanted.push_back(op.seq);
        std::sort(wanted.begin(), wanted.end());
    }

    if (what == Replay::window_and_accounting) {
        m_context.restore_usage(plan.usage, plan.cost_usd);
        m_context.restore_estimate(plan.last_input, plan.bytes_per_token);
        for (int i = 0; i < plan.compactions; ++i)
            m_context.restore_compaction();
    }
    m_context.set_compaction_seq(plan.newest_compaction());
    m_conversation.restart_at(from);
    m_marks = std::move(plan.marks);
    m_todos.restore(plan.todos);
    OpenCalls open;
    if (!wanted.empty()) {
        size_t next = 0;
        // A reply in the window follows its user event, so the batches its
        // last event refers to are within the events loaded here.
        store::ReplyText joined(m_arena);
        auto apply_one = [&](const store::Event& e) -> Result<void> {
            scratch.reset();
            if (TRY_CONTEXT(joined.take(scratch, e), "event {}", e.seq))
                return {};
            if (next >= wanted.size() || e.seq != wanted[next])
                return {};
            ++next;
            scratch.reset();
            TRY_CONTEXT(
                apply_event(m_conversation, open, scratch, e, joined, m_resumed_sources, m_arena), "event {}", e.seq);
            return {};
        };
        TRY(m_deps.store.load_events(id, wanted.front() - 1, apply_one));
    }
    open.close_unanswered(m_conversation);
    // Evictions the ops did not reach (none when there were no compactions).
    while (m_conversation.first_exchange() < plan.first && m_conversation.evict_oldest()) { }
    return {};
}

} // namespace ik::agent
