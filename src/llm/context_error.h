// Reading a provider's "too long" error for the numbers in it.
//
// Each provider says it differently; most name the window, some the prompt's
// size too. ik learns the window from them (catalog.h, learned_models.h) and
// calibrates its estimate with the prompt size:
//   OpenAI, OpenRouter, vLLM: "This model's maximum context length is 16385 tokens. However, your
//                              messages resulted in 20012 tokens…"
//   Anthropic:                "prompt is too long: 208310 tokens > 200000 maximum"
//   Gemini:                   "The input token count (1200000) exceeds the maximum number of tokens
//                              allowed (1048576)."
//   llama.cpp, Ollama:        "request (20012 tokens) exceeds the available context size (16384 tokens)"
// Anything else yields zeros: the caller still compacts, it just learns nothing.
#pragma once

#include <cstdint>
#include <string_view>

namespace ik::llm {

struct ContextOverflow {
    int64_t window = 0; // the model's context window, when named; 0: unknown
    int64_t prompt_tokens = 0; // the rejected prompt's size, when named; 0: unknown
};

ContextOverflow parse_context_overflow(std::string_view message);

} // namespace ik::llm
