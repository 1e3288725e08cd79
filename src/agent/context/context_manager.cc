#include "agent/context/context_manager.h"

#include <fmt/format.h>

#include "agent/conversation.h"
#include "agent/session_types.h"
#include "llm/context_error.h"
#include "llm/learned_models.h"

namespace ik::agent {

ContextManager::ContextManager(ContextDeps deps, ContextSettings settings)
    : m_deps(deps)
    , m_settings(std::move(settings))
    , m_summarizer(deps.model)
{
}

ContextManager::~ContextManager() = default;

size_t ContextManager::fixed_bytes(const RequestShape& shape) const
{
    return shape.system.size() + tools_bytes(shape.tools);
}

int64_t ContextManager::summary_max_tokens() const
{
    return std::clamp<int64_t>(m_settings.limits.context_window / 8, 256, 4096);
}

int64_t ContextManager::prompt_tokens(const Conversation& window, const RequestShape& shape) const
{
    return m_estimator.tokens(fixed_bytes(shape) + messages_bytes(window.messages()));
}

void ContextManager::before_request(Conversation& window, const RequestShape& shape, Done then)
{
    bool force = m_force;
    m_force = false;
    size_t fixed = fixed_bytes(shape);
    compact(window, shape, force, force ? "context_error" : "threshold", "",
        [this, &window, fixed, then = std::move(then)](Result<void> r) {
            m_last_request_bytes = fixed + messages_bytes(window.messages());
            then(std::move(r));
        });
}

void ContextManager::compact_now(Conversation& window, const RequestShape& shape, const std::string& focus, Done done)
{
    compact(window, shape, true, "requested", focus, std::move(done));
}

void ContextManager::compact(Conversation& window, const RequestShape& shape, bool force, std::string reason,
    const std::string& focus, Done then)
{
    const llm::ModelLimits& m = m_settings.limits;
    PlanInput in;
    in.window = m.context_window;
    in.reserve = reserve_for(m.context_window, m.max_output, shape.max_tokens);
    in.threshold = m_settings.threshold;
    in.fixed_bytes = fixed_bytes(shape);
    m_fixed_bytes = in.fixed_bytes;
    in.summary_bytes = m_estimator.bytes_for(summary_max_tokens());
    in.messages = window.messages();
    in.force = force;
    Plan plan = plan_compaction(in, m_estimator);
    if (!plan.needed()) {
        then({});
        return;
    }
    Compaction record;
    record.prunes = plan.prunes;
    record.before_tokens = plan.before_tokens;
    record.after_tokens = plan.after_tokens;
    record.reason = std::move(reason);
    record.focus = focus;
    if (plan.cut == 0) {
        then(finish(window, std::move(record)));
        return;
    }
    record.cut = plan.cut;
    // The summariser reads the part to be replaced as pruned.
    auto replaced = window.messages().first(plan.cut);
    std::vector<llm::Message> part(replaced.begin(), replaced.end());
    std::vector<std::string> texts;
    texts.reserve(plan.prunes.size());
    for (const Prune& p : plan.prunes) {
        if (p.index < part.size()) {
            texts.push_back(pruned_text(part[p.index].text, p.head, p.tail));
            part[p.index].text = texts.back();
        }
    }
    int64_t room = m.context_window - summary_max_tokens() - m_estimator.tokens(summary_instructions().size()) - 256;
    size_t max_bytes = m_estimator.bytes_for(std::max<int64_t>(room, 256)) * 9 / 10;
    std::string transcript = summary_transcript(part, max_bytes);
    std::string_view model = m_settings.summary_model.empty() ? shape.model : m_settings.summary_model;
    m_summarizer.start(model, std::move(transcript), focus, summary_max_tokens(),
        [this, &window, record = std::move(record), then = std::move(then)](
            Result<std::string> text, const llm::Usage& usage) mutable {
            Result<void> written;
            if (usage.input || usage.output) {
                double cost = on_usage_cost(usage);
                auto seq = m_deps.recorder.record(store::UsageRecord{ .input = usage.input,
                    .output = usage.output,
                    .cached = usage.cached,
                    .reasoning = usage.reasoning,
                    .cost_usd = cost,
                    .purpose = "compaction" });
                if (!seq)
                    written = fail(seq.error());
            }
            if (!text && text.error().code() == ErrorCode::interrupted) {
                then(std::move(written)); // the user cancelled: the turn ends, the window stays as it was
                return;
            }
            if (text) {
                record.mode = CompactionMode::summary;
                record.summary = fmt::format("{}\n\n{}", summary_header, *text);
            } else {
                record.mode = CompactionMode::sliding;
                record.summary = fmt::format("{}\n\n(No summary: {}. The {} oldest messages left the window; they are "
                                             "still in ik's session store.)",
                    summary_header, text.error().message(), record.cut);
                m_deps.observer.on_notice(
                    fmt::format("compaction: the summary failed ({}); dropped the oldest messages instead",
                        text.error().message()));
            }
            if (m_deps.summary_note)
                record.summary += m_deps.summary_note(); // recorded with it: resume rebuilds the same text
            Result<void> finished = finish(window, std::move(record));
            then(written ? std::move(finished) : std::move(written));
        });
}

Result<void> ContextManager::finish(Conversation& window, Compaction record)
{
    record.after_tokens = m_estimator.tokens(m_fixed_bytes + compacted_bytes(window.messages(), record));
    mem::Arena scratch(mem::root(), "compaction-record");
    // The event first, the window after: when the write fails the window
    // stays as it was, which is the window resume rebuilds from the store
    // (without this event), and the turn ends with the store error.
    auto seq = m_deps.recorder.record(record.record(scratch));
    if (!seq)
        return fail(seq.error());
    apply_compaction(window, record);
    ++m_accounting.compactions;
    m_accounting.compaction_seq = *seq;
    std::string what = record.cut > 0
        ? fmt::format("{} {} messages", record.mode == CompactionMode::summary ? "summarised" : "dropped", record.cut)
        : std::string("kept the window");
    m_deps.observer.on_notice(fmt::format("compacted the context: trimmed {} old tool outputs, {} (~{} → ~{} tokens)",
        record.prunes.size(), what, record.before_tokens, record.after_tokens));
    return {};
}

double ContextManager::on_usage(const llm::Usage& usage)
{
    if (usage.input > 0) {
        m_estimator.calibrate(m_last_request_bytes, usage.input);
        m_accounting.last_prompt_tokens = usage.input;
    }
    return on_usage_cost(usage);
}

double ContextManager::on_usage_cost(const llm::Usage& usage)
{
    double cost = llm::cost_usd(m_settings.limits.prices, usage);
    m_accounting.total.input += usage.input;
    m_accounting.total.output += usage.output;
    m_accounting.total.cached += usage.cached;
    m_accounting.total.reasoning += usage.reasoning;
    m_accounting.cost_usd += cost;
    return cost;
}

void ContextManager::restore_usage(const llm::Usage& usage, double cost_usd)
{
    m_accounting.total.input += usage.input;
    m_accounting.total.output += usage.output;
    m_accounting.total.cached += usage.cached;
    m_accounting.total.reasoning += usage.reasoning;
    m_accounting.cost_usd += cost_usd;
}

void ContextManager::restore_estimate(int64_t last_prompt_tokens, std::optional<double> bytes_per_token)
{
    if (last_prompt_tokens > 0)
        m_accounting.last_prompt_tokens = last_prompt_tokens;
    if (bytes_per_token)
        m_estimator.restore(*bytes_per_token);
}

void ContextManager::on_context_error(const Error& error)
{
    m_force = true;
    llm::ContextOverflow o = llm::parse_context_overflow(error.message());
    if (o.prompt_tokens > 0)
        m_estimator.calibrate(m_last_request_bytes, o.prompt_tokens);
    llm::ModelLimits& m = m_settings.limits;
    if (o.window <= 0 || o.window == m.context_window)
        return;
    if (m.origin == llm::LimitsOrigin::config && o.window > m.context_window)
        return; // the user declared a smaller window on purpose
    m.context_window = o.window;
    m.max_output = std::min(m.max_output, o.window / 2);
    m.origin = llm::LimitsOrigin::learned;
    m_deps.observer.on_notice(fmt::format("learned {}'s context window: {} tokens", m.spec, o.window));
    if (m_settings.learned_path.empty())
        return;
    llm::LearnedWindows learned = llm::load_learned(m_settings.learned_path);
    learned.insert_or_assign(m.spec, o.window);
    if (auto r = llm::save_learned(m_settings.learned_path, learned); !r)
        m_deps.observer.on_notice(fmt::format("could not keep the learned window: {}", r.error().message()));
}

WindowBreakdown ContextManager::breakdown(const Conversation& window, const RequestShape& shape) const
{
    WindowBreakdown b;
    b.window = m_settings.limits.context_window;
    size_t instructions = std::min(m_settings.instructions_bytes, shape.system.size());
    b.system = m_estimator.tokens(shape.system.size() - instructions);
    b.instructions = m_estimator.tokens(instructions);
    b.tools = m_estimator.tokens(tools_bytes(shape.tools));
    size_t messages = 0, results = 0, summary = 0;
    for (const llm::Message& m : window.messages()) {
        if (m.role == llm::Role::tool)
            results += message_bytes(m);
        else if (m.role == llm::Role::user && m.text.starts_with(summary_header))
            summary += message_bytes(m);
        else
            messages += message_bytes(m);
    }
    b.messages = m_estimator.tokens(messages);
    b.tool_results = m_estimator.tokens(results);
    b.summary = m_estimator.tokens(summary);
    return b;
}

std::string context_status_text(int64_t prompt_tokens, int64_t window, double cost_usd)
{
    int64_t percent = window > 0 ? std::clamp<int64_t>((prompt_tokens * 100 + window / 2) / window, 0, 999) : 0;
    return fmt::format("ctx {}% · {}", percent, llm::format_cost(cost_usd));
}

} // namespace ik::agent
