#include "agent/context/summarizer.h"

#include <fmt/format.h>

#include "agent/context/compaction_plan.h"

namespace ik::agent {

namespace {

// A summary longer than this is not a summary; it is cut.
constexpr size_t max_summary_bytes = size_t{ 64 } * 1024;

std::string_view role_name(const llm::Message& m)
{
    switch (m.role) {
    case llm::Role::user:
        return "user";
    case llm::Role::assistant:
        return "assistant";
    case llm::Role::tool:
        return m.is_error ? "tool error" : "tool result";
    }
    return "user";
}

} // namespace

std::string_view summary_instructions()
{
    return "You compact the conversation of a coding agent so that it can continue within its context window. "
           "Write the summary the agent will read instead of the messages below. Keep, under these headings:\n"
           "Goals: what the user asked for and their requirements (quote short ones exactly).\n"
           "Decisions: what was decided or learned, and why.\n"
           "Files: every file read, created or changed, with its path and what changed.\n"
           "Open tasks: what is unfinished, and the next step.\n"
           "Be specific and terse. Do not invent anything that is not in the messages.";
}

std::string summary_transcript(std::span<const llm::Message> messages, size_t max_bytes)
{
    std::string out;
    for (const llm::Message& m : messages) {
        if (!m.text.empty())
            out += fmt::format("[{}]\n{}\n\n", role_name(m), m.text);
        for (const llm::ToolCall& c : m.tool_calls)
            out += fmt::format("[tool call {}]\n{}\n\n", c.name, c.arguments);
    }
    if (out.size() > max_bytes)
        out = pruned_text(out, max_bytes / 2, max_bytes / 2);
    return out;
}

Summarizer::Summarizer(Model& model)
    : m_model(model)
{
}

Summarizer::~Summarizer()
{
    m_call.reset(); // cancels without calling done
}

void Summarizer::start(
    std::string_view model_name, std::string transcript, std::string_view focus, int64_t max_tokens, Done done)
{
    m_model_name = std::string(model_name);
    m_prompt = std::move(transcript);
    m_prompt += "\n[end of the conversation to summarise]\n\nWrite the summary now.";
    if (!focus.empty())
        m_prompt += fmt::format(" Pay particular attention to: {}", focus);
    m_message = llm::Message{};
    m_message.role = llm::Role::user;
    m_message.text = m_prompt;
    m_request = llm::Request{};
    m_request.model = m_model_name;
    m_request.system = summary_instructions();
    m_request.messages = { &m_message, 1 };
    m_request.max_tokens = max_tokens;
    m_text.clear();
    m_usage = {};
    m_error.reset();
    m_done = std::move(done);
    m_call = m_model.start(m_request, *this, [this](Result<void> outcome) { on_done(std::move(outcome)); });
}

void Summarizer::cancel()
{
    if (m_call)
        m_call->cancel();
}

Result<void> Summarizer::on_event(const llm::Event& e)
{
    switch (e.kind) {
    case llm::StreamEventKind::text_delta:
        if (m_text.size() < max_summary_bytes)
            m_text.append(e.text.substr(0, max_summary_bytes - m_text.size()));
        break;
    case llm::StreamEventKind::usage:
        m_usage = e.usage;
        break;
    case llm::StreamEventKind::error:
        m_error = Error(e.error_code, std::string(e.text));
        break;
    default:
        break;
    }
    return {};
}

void Summarizer::on_done(Result<void> outcome)
{
    // We run inside the call's own completion: keep it alive until the next start.
    m_spent = std::move(m_call);
    if (outcome && m_error)
        outcome = fail(*m_error);
    Done done = std::move(m_done);
    if (!outcome) {
        done(fail(outcome.error()), m_usage);
        return;
    }
    while (!m_text.empty() && (m_text.back() == '\n' || m_text.back() == ' '))
        m_text.pop_back();
    if (m_text.empty()) {
        done(fail(ErrorCode::provider, "the model returned an empty summary"), m_usage);
        return;
    }
    done(std::move(m_text), m_usage);
}

} // namespace ik::agent
