// A tools/call result, turned into what the model reads.
//
// Content blocks, in order: `text` as is; `image` as a one-line note (type,
// size) in the text and its data kept in `image_blocks`, which the agent
// passes on to models that accept images; `audio` as a note alone; a
// `resource_link` as its name, URI, type and description, so the model can
// read it with the server's resource tool; an embedded `resource` as its text,
// or a note for a binary one. With no content, `structuredContent` is shown as
// JSON. `isError` makes the call an error result. The text is capped
// (`max_bytes`); the cut says how much was left out.
//
// Reads the result JSON (borrowed, valid during the call); returns heap
// strings.
#pragma once

#include <string>

#include "core/json.h"
#include "mcp/server.h"

namespace ik::mcp {

CallOutcome outcome_from(const json::value& result, size_t max_bytes = size_t{ 256 } << 10);

} // namespace ik::mcp
