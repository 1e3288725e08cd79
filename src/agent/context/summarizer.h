// Summarizer — one model call that condenses the oldest part of the window.
//
// The part to summarise is rendered as a plain transcript in one user
// message ("[user] …", "[assistant] …", "[tool bash call] …", "[tool result] …")
// rather than sent as structured turns: every provider accepts that, no tool
// definitions are needed, and a tool call can never be separated from its
// result. The summary prompt asks for goals, decisions, files touched and
// open tasks (summary_instructions()).
//
// Owns: the request's strings and messages until the call ends; the call.
// Borrows: the model, which outlives it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "agent/model.h"
#include "llm/event.h"
#include "llm/request.h"

namespace ik::agent {

std::string_view summary_instructions();

// The transcript of `messages`, at most `max_bytes` (the middle is cut when longer).
std::string summary_transcript(std::span<const llm::Message> messages, size_t max_bytes);

class Summarizer final : public llm::StreamSink {
public:
    // `text` is the summary (or why there is none); `usage` what the call cost.
    using Done = std::function<void(Result<std::string> text, const llm::Usage& usage)>;

    explicit Summarizer(Model& model);
    ~Summarizer() override;
    Summarizer(const Summarizer&) = delete;
    Summarizer& operator=(const Summarizer&) = delete;

    void start(
        std::string_view model_name, std::string transcript, std::string_view focus, int64_t max_tokens, Done done);
    void cancel();
    bool busy() const { return m_call != nullptr; }

    Result<void> on_event(const llm::Event& event) override;

private:
    void on_done(Result<void> outcome);

    Model& m_model;
    std::string m_model_name;
    std::string m_prompt;
    llm::Message m_message;
    llm::Request m_request;
    std::unique_ptr<ModelCall> m_call;
    std::unique_ptr<ModelCall> m_spent; // the finished call, freed with the next one
    std::string m_text;
    llm::Usage m_usage;
    std::optional<Error> m_error;
    Done m_done;
};

} // namespace ik::agent
