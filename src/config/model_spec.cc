#include "config/model_spec.h"

#include "config/internal/suggest.h"

namespace ik::config {

namespace {

bool is_default_url(std::string_view provider, const ProviderConfig& p)
{
    Config d = defaults();
    auto it = d.providers.find(provider);
    return it != d.providers.end() && it->second.base_url == p.base_url;
}

} // namespace

Result<ResolvedModel> resolve_model(const Config& config, std::string_view spec)
{
    size_t slash = spec.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == spec.size())
        return fail(ErrorCode::config,
            "model '{}': expected provider/model, e.g. anthropic/claude-sonnet-4-5 or openai/gpt-5-mini", spec);
    std::string_view name = spec.substr(0, slash);
    auto it = config.providers.find(name);
    if (it == config.providers.end()) {
        std::string known;
        std::string_view best;
        size_t best_d = 3;
        for (const auto& [n, p] : config.providers) {
            known += known.empty() ? n : ", " + n;
            size_t d = internal::edit_distance(name, n);
            if (d < best_d) {
                best_d = d;
                best = n;
            }
        }
        if (!best.empty())
            return fail(ErrorCode::config, "model '{}': unknown provider '{}' (did you mean '{}'?)", spec, name, best);
        return fail(ErrorCode::config, "model '{}': unknown provider '{}'; known: {}", spec, name, known);
    }
    const ProviderConfig& p = it->second;
    return ResolvedModel{ std::string(name), std::string(spec.substr(slash + 1)), p.format, p.base_url, p.api_key };
}

bool has_credentials(const Config& config, std::string_view provider)
{
    auto it = config.providers.find(provider);
    if (it == config.providers.end())
        return false;
    const ProviderConfig& p = it->second;
    return !p.api_key.empty() || p.api_key_env.empty() || p.base_url_from_env || !is_default_url(provider, p);
}

bool has_any_credentials(const Config& config)
{
    for (const auto& [name, p] : config.providers) {
        if (name == "ollama")
            continue; // the local server is what the fallback probes, not a credential
        if (!p.api_key.empty() || p.base_url_from_env || !is_default_url(name, p))
            return true;
    }
    return false;
}

} // namespace ik::config
