// The built-in model table. Numbers are approximate and dated: each row names
// the page its prices and limits were read from and the month. Check the
// provider's page before relying on a figure; override it in config.json
// ("models") when it is wrong or missing. Local models (Ollama) cost nothing;
// their windows are the models' trained context, which the server may cap
// lower (num_ctx).
#include <array>

#include "llm/catalog.h"

namespace ik::llm {

namespace {

constexpr uint8_t all_caps = cap_thinking | cap_images | cap_tools;
constexpr uint8_t no_thinking = cap_images | cap_tools;
constexpr uint8_t text_tools = cap_tools;
constexpr uint8_t text_thinking_tools = cap_thinking | cap_tools;
// With the provider's server-side web search (catalog.h, cap_web_search);
// read from each provider's web search page (2025-11).
constexpr uint8_t all_search = all_caps | cap_web_search;
constexpr uint8_t no_thinking_search = no_thinking | cap_web_search;

constexpr std::string_view anthropic_src = "https://www.anthropic.com/pricing (2025-10)";
constexpr std::string_view openai_src = "https://platform.openai.com/docs/pricing (2025-10)";
constexpr std::string_view google_src = "https://ai.google.dev/gemini-api/docs/pricing (2025-10)";
constexpr std::string_view openrouter_src = "https://openrouter.ai/models (2025-10)";
constexpr std::string_view ollama_src = "https://ollama.com/library (2025-10)";

constexpr std::array table = {
    // Anthropic: cache reads 0.1x input, cache writes (5 min) 1.25x input.
    CatalogEntry{ "anthropic/claude-opus-4-1", 200000, 32000, { 15, 75, 1.5, 18.75 }, all_search, anthropic_src },
    CatalogEntry{ "anthropic/claude-opus-4-0", 200000, 32000, { 15, 75, 1.5, 18.75 }, all_search, anthropic_src },
    CatalogEntry{ "anthropic/claude-sonnet-4-5", 200000, 64000, { 3, 15, 0.3, 3.75 }, all_search, anthropic_src },
    CatalogEntry{ "anthropic/claude-sonnet-4-0", 200000, 64000, { 3, 15, 0.3, 3.75 }, all_search, anthropic_src },
    CatalogEntry{
        "anthropic/claude-3-7-sonnet-latest", 200000, 64000, { 3, 15, 0.3, 3.75 }, all_search, anthropic_src },
    CatalogEntry{ "anthropic/claude-haiku-4-5", 200000, 64000, { 1, 5, 0.1, 1.25 }, all_search, anthropic_src },
    CatalogEntry{
        "anthropic/claude-3-5-haiku-latest", 200000, 8192, { 0.8, 4, 0.08, 1 }, no_thinking_search, anthropic_src },
    // OpenAI: cached input at 0.1x (GPT-5) to 0.5x (GPT-4o); no write surcharge.
    CatalogEntry{ "openai/gpt-5", 400000, 128000, { 1.25, 10, 0.125, 0 }, all_search, openai_src },
    CatalogEntry{ "openai/gpt-5-mini", 400000, 128000, { 0.25, 2, 0.025, 0 }, all_search, openai_src },
    CatalogEntry{ "openai/gpt-5-nano", 400000, 128000, { 0.05, 0.4, 0.005, 0 }, all_caps, openai_src },
    CatalogEntry{ "openai/gpt-5-codex", 400000, 128000, { 1.25, 10, 0.125, 0 }, all_caps, openai_src },
    CatalogEntry{ "openai/gpt-4.1", 1047576, 32768, { 2, 8, 0.5, 0 }, no_thinking_search, openai_src },
    CatalogEntry{ "openai/gpt-4.1-mini", 1047576, 32768, { 0.4, 1.6, 0.1, 0 }, no_thinking_search, openai_src },
    CatalogEntry{ "openai/gpt-4o", 128000, 16384, { 2.5, 10, 1.25, 0 }, no_thinking_search, openai_src },
    CatalogEntry{ "openai/gpt-4o-mini", 128000, 16384, { 0.15, 0.6, 0.075, 0 }, no_thinking_search, openai_src },
    CatalogEntry{ "openai/o3", 200000, 100000, { 2, 8, 0.5, 0 }, all_search, openai_src },
    CatalogEntry{ "openai/o4-mini", 200000, 100000, { 1.1, 4.4, 0.275, 0 }, all_search, openai_src },
    // Google: prompts up to 200k tokens (longer prompts cost more on 2.5 Pro).
    // Gemini 3 is the first that searches (google_search) beside function tools.
    CatalogEntry{ "google/gemini-3-pro-preview", 1048576, 65536, { 2, 12, 0.2, 0 }, all_search, google_src },
    CatalogEntry{ "google/gemini-2.5-pro", 1048576, 65536, { 1.25, 10, 0.31, 0 }, all_caps, google_src },
    CatalogEntry{ "google/gemini-2.5-flash", 1048576, 65536, { 0.3, 2.5, 0.075, 0 }, all_caps, google_src },
    CatalogEntry{ "google/gemini-2.5-flash-lite", 1048576, 65536, { 0.1, 0.4, 0.025, 0 }, all_caps, google_src },
    CatalogEntry{ "google/gemini-2.0-flash", 1048576, 8192, { 0.1, 0.4, 0.025, 0 }, no_thinking, google_src },
    // OpenRouter: the upstream provider's price, as OpenRouter lists it.
    CatalogEntry{
        "openrouter/anthropic/claude-sonnet-4.5", 200000, 64000, { 3, 15, 0.3, 3.75 }, all_caps, openrouter_src },
    CatalogEntry{ "openrouter/openai/gpt-5", 400000, 128000, { 1.25, 10, 0.125, 0 }, all_caps, openrouter_src },
    CatalogEntry{ "openrouter/google/gemini-2.5-pro", 1048576, 65536, { 1.25, 10, 0.31, 0 }, all_caps, openrouter_src },
    CatalogEntry{ "openrouter/deepseek/deepseek-chat-v3.1", 163840, 32768, { 0.2, 0.8, 0, 0 }, text_thinking_tools,
        openrouter_src },
    CatalogEntry{ "openrouter/qwen/qwen3-coder", 262144, 65536, { 0.22, 0.95, 0, 0 }, text_tools, openrouter_src },
    CatalogEntry{
        "openrouter/x-ai/grok-code-fast-1", 256000, 10000, { 0.2, 1.5, 0.02, 0 }, text_thinking_tools, openrouter_src },
    // Ollama: local, free.
    CatalogEntry{ "ollama/qwen3", 40960, 8192, {}, text_thinking_tools, ollama_src },
    CatalogEntry{ "ollama/qwen2.5-coder", 32768, 8192, {}, text_tools, ollama_src },
    CatalogEntry{ "ollama/llama3.1", 131072, 8192, {}, text_tools, ollama_src },
    CatalogEntry{ "ollama/gpt-oss:20b", 131072, 32768, {}, text_thinking_tools, ollama_src },
    CatalogEntry{ "ollama/deepseek-r1", 131072, 8192, {}, cap_thinking, ollama_src },
    CatalogEntry{ "ollama/mistral", 32768, 8192, {}, text_tools, ollama_src },
};

} // namespace

std::span<const CatalogEntry> builtin_models()
{
    return table;
}

} // namespace ik::llm
