// What is sent to a model: the conversation as every provider sees it.
//
// These are plain views: the agent owns the conversation in its session
// arena and builds a Request that borrows from it for one turn. Providers
// serialize a Request into their wire format (see provider.h).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "llm/image.h"

namespace ik::llm {

enum class Role { user, assistant, tool };

enum class ThinkingLevel { none, low, medium, high };

struct ToolCall {
    std::string_view id;
    std::string_view name;
    std::string_view arguments; // JSON text, as the model produced it
    // Gemini: the part's thoughtSignature, which must come back on the
    // functionCall part of the next request. Empty elsewhere.
    std::string_view signature{};
};

struct Message {
    Role role = Role::user;
    std::string_view text; // user text, assistant text, or a tool result's content
    std::string_view thinking; // assistant thinking kept for providers that need it back
    std::string_view thinking_signature; // Anthropic: the signature of that thinking block
    std::span<const ToolCall> tool_calls; // assistant: the calls it made
    std::string_view tool_call_id; // tool: which call this answers
    std::string_view tool_name; // tool: the tool's name (Gemini wants it)
    bool is_error = false; // tool: the result is an error
    // user: attached images (@path); tool: images the tool returned
    // (read_file on an image, an MCP tool's image content). Each wire format
    // puts them in its own blocks; fit_images() (llm/image_fit.h) first
    // replaces those the model cannot take with a note in `text`.
    std::span<const Image> images{};
};

struct ToolSpec {
    std::string_view name;
    std::string_view description;
    std::string_view parameters; // JSON Schema text of the arguments object
};

// The provider's own server-side web search (docs/extensions.md "Web
// search"): offered when `enabled`; the provider runs it and streams
// `search` and `source` events. OpenAI Chat-compatible servers have none.
struct WebSearch {
    bool enabled = false;
    int max_uses = 5; // Anthropic's max_uses per request; the others have no such limit
};

struct Request {
    std::string_view model; // the provider's own model name, without "provider/"
    std::string_view system;
    std::span<const Message> messages;
    std::span<const ToolSpec> tools;
    ThinkingLevel thinking = ThinkingLevel::none;
    int64_t max_tokens = 0; // 0: the provider's default (Anthropic needs one: 8192 is used)
    // Prompt caching: a stable key for the conversation (the session id), sent
    // as OpenAI's prompt_cache_key so requests of one session hit one cache.
    // Anthropic marks cache breakpoints instead (tools, system, last message).
    std::string_view cache_key;
    WebSearch web_search{};
    // The model accepts images (the catalog's cap_images). When false every
    // image becomes a note saying it was not sent.
    bool accepts_images = false;
};

} // namespace ik::llm
