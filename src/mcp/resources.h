// MCP resources and prompts as text: what resources/list, resources/read and
// prompts/get replies become for the model or the user.
//
// A resource list is one line per resource (URI, name, type, size,
// description), so the model can pick a URI for resources/read; resource
// templates follow as one line each (URI template, name, type, description); the next
// page's cursor is named when there is one. Read contents keep text as is; a
// binary (`blob`) content is a one-line note with its type and size, never
// the bytes. A prompt's messages become one user message: their text
// content in order, other content as a note. Every text is capped
// (`max_bytes`); the cut says how much was left out, and every string a
// server sends is a claim (names and descriptions are cut to one line).
//
// Reads the reply JSON (borrowed, valid during the call); returns heap
// strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "mcp/server.h"

namespace ik::mcp {

inline constexpr size_t default_text_cap = size_t{ 64 }
    << 10; // ~16k tokens: a resource or prompt must not fill the context

CallOutcome resource_list_outcome(std::string_view server, const json::value& result, size_t max_bytes = 64 << 10);
CallOutcome resource_read_outcome(const json::value& result, size_t max_bytes = default_text_cap);
CallOutcome prompt_outcome(const json::value& result, size_t max_bytes = default_text_cap);

// The resource templates as lines under a listing ("" when there are none):
// "\nTemplates (fill in the {placeholders} to make a URI): ..."
std::string templates_text(const std::vector<ResourceTemplate>& templates, size_t max_bytes = 16 << 10);

// Cuts `text` to `max_bytes` (at a UTF-8 boundary) and says how much went.
void cap_text(std::string& text, size_t max_bytes);

} // namespace ik::mcp
