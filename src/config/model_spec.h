// Choosing a provider from a model spec "provider/model".
//
// The part before the first '/' names a provider in Config::providers (the
// built-in ones: openai, openai-responses, anthropic, google, ollama,
// openrouter, or a custom one from config.json); the rest is the provider's
// own model name, which may itself contain '/' (openrouter/meta-llama/...).
//
// Owns: its strings (copied from the config).
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"
#include "core/result.h"

namespace ik::config {

struct ResolvedModel {
    std::string provider; // "anthropic"
    std::string model; // "claude-sonnet-4-5"
    ApiFormat format = ApiFormat::openai_chat;
    std::string base_url;
    std::string api_key; // may be empty for keyless (local) servers
};

// Resolves `spec` against the config. Errors (ErrorCode::config): no '/',
// unknown provider (with a "did you mean"). Does not check credentials.
Result<ResolvedModel> resolve_model(const Config& config, std::string_view spec);

// True when the provider can be called: it has a key, needs none, or its
// base URL was pointed elsewhere by the environment or config.json.
bool has_credentials(const Config& config, std::string_view provider);

// True when no provider at all has a key or an overridden base URL: the case
// where ik looks for a local Ollama.
bool has_any_credentials(const Config& config);

// The model used when ik falls back to a local Ollama.
inline constexpr std::string_view local_fallback_model = "ollama/qwen3";

} // namespace ik::config
