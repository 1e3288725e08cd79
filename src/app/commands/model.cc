#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

Result<void> switch_to(CommandHost& host, std::string_view spec)
{
    ModelChoice choice = TRY(host.resolve_model(spec));
    host.session().set_model(choice.spec, choice.model);
    if (choice.limits)
        host.session().set_context_limits(*choice.limits);
    host.print(fmt::format("Model: {}", choice.spec), Tone::dim);
    return {};
}

// "anthropic/claude-sonnet-4-5   200k ctx · $3.00 / $15.00 per M tokens"
std::string label(const llm::CatalogEntry& e, std::string_view current)
{
    std::string text = fmt::format("{:<34} {:>5}k ctx", e.spec, e.context_window / 1000);
    if (e.prices.input > 0 || e.prices.output > 0)
        text += fmt::format(" · ${:.2f} / ${:.2f} per M tokens", e.prices.input, e.prices.output);
    if (e.spec == current)
        text += "  (current)";
    return text;
}

Result<void> run(CommandHost& host, std::string_view args)
{
    if (args.empty()) {
        // The catalog to choose from; the current model selected.
        std::string current = host.session().settings().model_spec;
        std::vector<PickItem> items;
        size_t selected = 0;
        for (const llm::CatalogEntry& e : llm::builtin_models()) {
            if (e.spec == current)
                selected = items.size();
            items.push_back(PickItem{ label(e, current), std::string(e.spec) });
        }
        host.print(fmt::format("Model: {}", current));
        host.pick("Switch model", std::move(items), selected,
            [&host](const PickItem& item) { return switch_to(host, item.value); });
        return {};
    }
    if (args.find_first_of(" \t\n") != std::string_view::npos)
        return fail(usage_error(model));
    return switch_to(host, args);
}

} // namespace

const SlashCommand model{ "model", "[provider/model]", "switch the model (without a name: choose from the catalog)",
    run };

} // namespace ik::app::slash
