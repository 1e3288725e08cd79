// Conversation — the in-memory window of one session's messages.
//
// Every message is persisted to the store the moment it exists; this class
// holds the ones the model will see next, in a form that builds an
// llm::Request without copying. Each exchange (a user message and the
// assistant/tool messages that answer it) owns a child arena of the session
// arena (design.md §3), so when the session nears its memory cap the oldest
// exchanges are evicted whole — a tool call is never separated from its
// result — and their memory returns at once. Evicted messages stay in the
// store; the window simply starts later.
//
// Exchanges are numbered from the start of the session (0, 1, 2 …), evicted
// ones included, and the numbering is what marks, rewinds and recorded
// evictions refer to: first_exchange() moves forward on eviction, so an
// exchange keeps its number for as long as it exists.
//
//   Conversation c(session_arena);
//   c.add_user("fix the bug");
//   c.add_assistant("done", "", "", {});
//   llm::Request r{.model = "...", .messages = c.messages()};
//
// Owns: one child arena per exchange (under the session arena).
// Borrows: the session arena, which must outlive it.
#pragma once

#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/arena.h"
#include "core/chunked_text.h"
#include "llm/request.h"

namespace ik::agent {

class Conversation {
public:
    explicit Conversation(mem::Arena& session);
    ~Conversation();
    Conversation(const Conversation&) = delete;
    Conversation& operator=(const Conversation&) = delete;

    // Each add copies its text (and images) into the current exchange's
    // arena. A user message starts a new exchange.
    void add_user(std::string_view text, std::span<const llm::Image> images = {});
    void add_assistant(std::string_view text, std::string_view thinking, std::string_view thinking_signature,
        std::span<const llm::ToolCall> calls);
    void add_tool_result(std::string_view call_id, std::string_view tool_name, std::string_view content, bool is_error,
        std::span<const llm::Image> images = {});

    // A streamed reply's text is copied once, into the arena its message
    // will live in, rather than into a buffer of the turn and then again
    // here: hold() makes that copy (the caller then releases its chunks and
    // may write the held text to the store), add_held_assistant() adds it
    // without copying. Nothing may be added between the two calls.
    // Returns memory in the current exchange's arena.
    std::string_view hold(const mem::ChunkedText& text);
    void add_held_assistant(std::string_view held_text, std::string_view thinking, std::string_view thinking_signature,
        std::span<const llm::ToolCall> calls);

    // The window, oldest first; valid until the next mutation.
    std::span<const llm::Message> messages() const { return { m_messages.data(), m_messages.size() }; }
    size_t size() const { return m_messages.size(); }
    bool empty() const { return m_messages.empty(); }

    // The window holds exchanges [first_exchange(), exchange_end()).
    size_t first_exchange() const { return m_first; }
    size_t exchange_end() const { return m_first + m_exchanges.size(); }

    // Forgets exchanges numbered `end` and later (/rewind to a mark).
    void truncate_exchanges(size_t end);
    // Empties the window; the next exchange is number `first` (0 after
    // /clear; a rebuild from the store starts where the rebuilt window does).
    void restart_at(size_t first);
    void clear() { restart_at(0); }

    // Evicts the oldest exchange, keeping at least the newest one. Returns
    // false when nothing more can go. Called by the owner on memory pressure.
    bool evict_oldest();
    size_t evicted_messages() const { return m_evicted; }

    // Bytes held by the exchanges (the subtree of their arenas).
    size_t bytes() const;

    // Compaction (agent/context/): the window becomes a user message holding
    // `summary` (when `cut` > 0) followed by messages [cut, size), with the
    // texts of `replacements` swapped in. The exchange holding message `cut`
    // keeps its number and begins with the summary; those before it leave as
    // on eviction. What stays is copied into fresh exchange arenas and the
    // old ones are freed, so a long turn's memory does not grow with its rounds.
    struct Replacement {
        size_t index;
        std::string text;
    };
    void compact(size_t cut, std::string_view summary, std::span<const Replacement> replacements);

private:
    struct Exchange {
        mem::Arena* arena;
        size_t first; // index of its first message in m_messages
    };
    mem::Arena& current_arena();
    static llm::Message copy_message(mem::Arena& a, const llm::Message& from, std::string_view text);
    static std::span<const llm::Image> copy_images(mem::Arena& a, std::span<const llm::Image> images);
    void drop_exchange_arenas_from(size_t exchange_index);

    mem::Arena& m_session;
    std::pmr::vector<llm::Message> m_messages;
    std::pmr::vector<Exchange> m_exchanges;
    size_t m_first = 0; // the number of m_exchanges.front()
    size_t m_evicted = 0;
};

} // namespace ik::agent
