// Ollama's own word on a model's context window: POST /api/show.
//
// Ollama serves models through an OpenAI-compatible /v1 that never says how
// long a model's context is, and past the window the server truncates the
// prompt silently instead of failing, so learning from a context-length
// error (context_error.h) does not work for it. /api/show does say: the
// `parameters` text may set `num_ctx` (the window the server allocates and
// truncates at) and `model_info` holds `<architecture>.context_length` (what
// the model was trained for).
//
// Which wins: `num_ctx` when it is set, since that is where the server cuts
// (capped by the trained length, past which the model degrades); else the
// trained length. Without `num_ctx` the server's own default
// (OLLAMA_CONTEXT_LENGTH, by VRAM) may be smaller; docs/agent.md tells the user
// to set `num_ctx` or declare the window in config.json then.
//
//   int64_t window = TRY(llm::ask_ollama_window("http://127.0.0.1:11434/v1", "qwen3", 1000ms));
//
// Owns: nothing beyond its return values (the request's buffers are local).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ik::llm {

// The most of an answer ik reads: a non-verbose /api/show is a few KiB
// (the template and license); past this it is not an answer we want.
inline constexpr size_t max_show_bytes = size_t{ 1 } << 20;

// "http://host:11434/v1" (ik's Ollama base URL) -> "http://host:11434/api/show".
std::string ollama_show_url(std::string_view base_url);

// The window an /api/show answer describes, per the rule above; a parse
// error or an answer naming no positive length is ErrorCode::parse.
Result<int64_t> ollama_window(std::string_view show_json);

// Asks the server; blocks at most `timeout` (it runs once, before the
// session starts). ErrorCode::network when it cannot be reached or answers
// with an error status.
Result<int64_t> ask_ollama_window(std::string_view base_url, std::string_view model, std::chrono::milliseconds timeout);

} // namespace ik::llm
