#include "llm/catalog.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ik::llm {

namespace {

const CatalogEntry* find_builtin(std::string_view spec)
{
    for (const CatalogEntry& e : builtin_models())
        if (e.spec == spec)
            return &e;
    return nullptr;
}

// openai-responses serves OpenAI's models under the same names.
std::string alias_of(std::string_view spec)
{
    constexpr std::string_view responses = "openai-responses/";
    if (spec.starts_with(responses))
        return fmt::format("openai/{}", spec.substr(responses.size()));
    return {};
}

template <typename Map> auto find_either(const Map& m, std::string_view spec, std::string_view alias)
{
    auto it = m.find(spec);
    if (it == m.end() && !alias.empty())
        it = m.find(alias);
    return it;
}

} // namespace

std::string_view to_string(LimitsOrigin origin)
{
    switch (origin) {
    case LimitsOrigin::builtin:
        return "built-in";
    case LimitsOrigin::config:
        return "config";
    case LimitsOrigin::learned:
        return "learned";
    case LimitsOrigin::server:
        return "server";
    case LimitsOrigin::fallback:
        return "default";
    }
    return "default";
}

Catalog::Catalog(
    std::map<std::string, ModelOverride, std::less<>> overrides, std::map<std::string, int64_t, std::less<>> learned)
    : m_overrides(std::move(overrides))
    , m_learned(std::move(learned))
{
}

ModelLimits Catalog::lookup(std::string_view spec) const
{
    std::string alias = alias_of(spec);
    ModelLimits m;
    m.spec = std::string(spec);
    m.context_window = default_context_window;
    m.max_output = default_max_output;
    m.caps = cap_tools;
    const CatalogEntry* e = find_builtin(spec);
    if (!e && !alias.empty())
        e = find_builtin(alias);
    if (e) {
        m.context_window = e->context_window;
        m.max_output = e->max_output;
        m.prices = e->prices;
        m.caps = e->caps;
        m.origin = LimitsOrigin::builtin;
        m.source = std::string(e->source);
    }
    if (auto it = find_either(m_server, spec, alias); it != m_server.end()) {
        m.context_window = it->second;
        m.origin = LimitsOrigin::server;
    }
    if (auto it = find_either(m_learned, spec, alias); it != m_learned.end()) {
        m.context_window = it->second;
        m.origin = LimitsOrigin::learned;
    }
    if (auto it = find_either(m_overrides, spec, alias); it != m_overrides.end()) {
        const ModelOverride& o = it->second;
        m.context_window = o.context_window.value_or(m.context_window);
        m.max_output = o.max_output.value_or(m.max_output);
        m.prices.input = o.input_price.value_or(m.prices.input);
        m.prices.output = o.output_price.value_or(m.prices.output);
        m.prices.cache_read = o.cache_read_price.value_or(m.prices.cache_read);
        m.prices.cache_write = o.cache_write_price.value_or(m.prices.cache_write);
        if (o.images)
            m.caps = static_cast<uint8_t>(*o.images ? (m.caps | cap_images) : (m.caps & ~cap_images));
        m.origin = LimitsOrigin::config;
        m.source = "config.json";
    }
    // A reply can never be longer than the window it shares with the prompt.
    m.max_output = std::min(m.max_output, m.context_window / 2);
    return m;
}

void Catalog::learn(std::string_view spec, int64_t context_window, LimitsOrigin origin)
{
    if (context_window <= 0)
        return;
    auto& map = origin == LimitsOrigin::server ? m_server : m_learned;
    map.insert_or_assign(std::string(spec), context_window);
}

std::vector<ModelLimits> Catalog::all() const
{
    std::vector<ModelLimits> out;
    for (const CatalogEntry& e : builtin_models())
        out.push_back(lookup(e.spec));
    auto add_missing = [&](std::string_view spec) {
        if (find_builtin(spec))
            return;
        for (const auto& m : out)
            if (m.spec == spec)
                return;
        out.push_back(lookup(spec));
    };
    for (const auto& kv : m_overrides)
        add_missing(kv.first);
    for (const auto& kv : m_learned)
        add_missing(kv.first);
    return out;
}

double cost_usd(const ModelPrices& prices, const Usage& usage)
{
    int64_t cached = std::clamp<int64_t>(usage.cached, 0, std::max<int64_t>(usage.input, 0));
    double cache_price = prices.cache_read > 0 ? prices.cache_read : prices.input;
    double uncached = static_cast<double>(std::max<int64_t>(usage.input - cached, 0));
    double total = uncached * prices.input + static_cast<double>(cached) * cache_price
        + static_cast<double>(std::max<int64_t>(usage.output, 0)) * prices.output;
    return total / 1e6;
}

std::string format_cost(double usd)
{
    if (!(usd > 0))
        return "$0.00";
    if (usd < 0.01)
        return fmt::format("${:.4f}", usd);
    return fmt::format("${:.2f}", usd);
}

} // namespace ik::llm
