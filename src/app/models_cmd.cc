#include "app/models_cmd.h"

#include <algorithm>

#include <fmt/format.h>

#include "app/exit_codes.h"
#include "app/setup.h"
#include "config/config.h"

namespace ik::app {

namespace {

std::string tokens(int64_t n)
{
    if (n >= 1000000 && n % 1000 == 0)
        return fmt::format("{:.2g}M", static_cast<double>(n) / 1e6);
    if (n >= 1000)
        return fmt::format("{}k", (n + 500) / 1000);
    return fmt::format("{}", n);
}

std::string price(double usd)
{
    if (usd <= 0)
        return "-";
    return fmt::format("{:.3g}", usd);
}

std::string caps(uint8_t c)
{
    std::string out;
    if (c & llm::cap_tools)
        out += "tools ";
    if (c & llm::cap_images)
        out += "images ";
    if (c & llm::cap_thinking)
        out += "thinking ";
    if (c & llm::cap_web_search)
        out += "search ";
    if (!out.empty())
        out.pop_back();
    return out;
}

} // namespace

void print_models(std::span<const llm::ModelLimits> models, std::FILE* out)
{
    size_t name_width = 5;
    for (const auto& m : models)
        name_width = std::max(name_width, m.spec.size());
    fmt::print(out, "{:<{}}  {:>7}  {:>7}  {:>7}  {:>7}  {:>7}  {:>7}  {:<28}  {}\n", "MODEL", name_width, "CONTEXT",
        "OUTPUT", "IN $/M", "OUT $/M", "CACHE-R", "CACHE-W", "CAPABILITIES", "FROM");
    for (const auto& m : models) {
        fmt::print(out, "{:<{}}  {:>7}  {:>7}  {:>7}  {:>7}  {:>7}  {:>7}  {:<28}  {}\n", m.spec, name_width,
            tokens(m.context_window), tokens(m.max_output), price(m.prices.input), price(m.prices.output),
            price(m.prices.cache_read), price(m.prices.cache_write), caps(m.caps), llm::to_string(m.origin));
    }
    fmt::print(out,
        "\nPrices are approximate, in US dollars per million tokens, read from each provider's pricing page on the "
        "date below; check the page before relying on them, and override them in config.json (\"models\").\n");
    std::vector<std::string_view> sources;
    for (const auto& m : models)
        if (!m.source.empty() && std::find(sources.begin(), sources.end(), m.source) == sources.end())
            sources.push_back(m.source);
    for (std::string_view s : sources)
        fmt::print(out, "  {}\n", s);
}

int run_models_command()
{
    auto cfg = config::load(config::process_environment());
    if (!cfg) {
        fmt::print(stderr, "ik: {}\n", cfg.error().to_string());
        return exit_config;
    }
    auto models = model_catalog(*cfg).all();
    print_models(models, stdout);
    return exit_ok;
}

} // namespace ik::app
