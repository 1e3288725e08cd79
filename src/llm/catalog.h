// The model catalog: what ik knows about each model's limits and prices.
//
// A built-in constexpr table (catalog_table.cc) lists current models of each
// provider with their context window, maximum output, prices per million
// tokens and capabilities. Prices are approximate: each entry names the page
// and the month they were read from (docs/agent.md says so too). On top of the
// table, in order of precedence:
//   1. config overrides and additions ("models": {"openai/x": {...}}),
//   2. windows learned from a provider's context-length error (persisted in
//      $XDG_STATE_HOME/ik/models.json by learned_models.h),
//   3. a window reported by a local server (Ollama's /api/show).
// A model in none of them gets a conservative default (default_limits()).
//
// Lookup is by spec ("provider/model"); "openai-responses/x" falls back to
// "openai/x", since both providers serve the same models.
//
//   llm::Catalog catalog(overrides, learned);
//   llm::ModelLimits m = catalog.lookup("anthropic/claude-sonnet-4-5");
//   double usd = llm::cost_usd(m.prices, usage);
//
// Owns: its maps of overrides and learned windows (heap strings, process-lived,
// small). The built-in table is static.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "llm/event.h"

namespace ik::llm {

// US dollars per million tokens.
struct ModelPrices {
    double input = 0;
    double output = 0;
    double cache_read = 0; // 0: the provider has no cache discount listed
    double cache_write = 0; // 0: cache writes cost the input price
};

// cap_web_search: the provider runs a web search for this model next to
// ik's function tools (Anthropic web_search, OpenAI Responses web_search,
// Gemini google_search on Gemini 3: Gemini 2.x rejects google_search beside
// function declarations, and ik always sends those).
enum Capability : uint8_t { cap_thinking = 1, cap_images = 2, cap_tools = 4, cap_web_search = 8 };

// One row of the built-in table.
struct CatalogEntry {
    std::string_view spec; // "anthropic/claude-sonnet-4-5"
    int64_t context_window = 0; // tokens, prompt and reply together
    int64_t max_output = 0; // tokens
    ModelPrices prices;
    uint8_t caps = 0; // Capability bits
    std::string_view source; // "https://… (2025-10)": where the numbers were read
};

std::span<const CatalogEntry> builtin_models();

// Where a lookup's numbers came from.
enum class LimitsOrigin { builtin, config, learned, server, fallback };
std::string_view to_string(LimitsOrigin origin);

// A config entry: each field present overrides the table (or the default).
struct ModelOverride {
    std::optional<int64_t> context_window = std::nullopt;
    std::optional<int64_t> max_output = std::nullopt;
    std::optional<double> input_price = std::nullopt;
    std::optional<double> output_price = std::nullopt;
    std::optional<double> cache_read_price = std::nullopt;
    std::optional<double> cache_write_price = std::nullopt;
    std::optional<bool> images = std::nullopt; // sets or clears cap_images
};

struct ModelLimits {
    std::string spec;
    int64_t context_window = 0;
    int64_t max_output = 0;
    ModelPrices prices;
    uint8_t caps = 0;
    LimitsOrigin origin = LimitsOrigin::fallback;
    std::string source;
};

// For a model nobody describes: small enough to fit any current model.
inline constexpr int64_t default_context_window = 16384;
inline constexpr int64_t default_max_output = 4096;

class Catalog {
public:
    Catalog() = default;
    Catalog(std::map<std::string, ModelOverride, std::less<>> overrides,
        std::map<std::string, int64_t, std::less<>> learned);

    ModelLimits lookup(std::string_view spec) const;
    // Records a window learned at run time (a provider's error, a server's
    // answer). Config overrides still win: the user said so.
    void learn(std::string_view spec, int64_t context_window, LimitsOrigin origin = LimitsOrigin::learned);
    const std::map<std::string, int64_t, std::less<>>& learned() const { return m_learned; }

    // Every model the catalog knows: the table, then config additions and
    // learned models not in it, each resolved as lookup() would.
    std::vector<ModelLimits> all() const;

private:
    std::map<std::string, ModelOverride, std::less<>> m_overrides;
    std::map<std::string, int64_t, std::less<>> m_learned;
    std::map<std::string, int64_t, std::less<>> m_server; // windows local servers reported
};

// What a usage report costs at these prices. `input` includes cached tokens
// (llm::Usage's convention); cached ones are billed at the cache-read price.
double cost_usd(const ModelPrices& prices, const Usage& usage);

// "$0.12", "$0.0042", "$12.40": two significant decimals for small amounts.
std::string format_cost(double usd);

} // namespace ik::llm
