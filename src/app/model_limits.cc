#include "app/model_limits.h"

#include <cstdlib>

#include <fmt/format.h>

#include "app/setup.h"
#include "llm/learned_models.h"
#include "llm/ollama_show.h"
#include "tui/visible.h"

namespace ik::app {

namespace {

bool debugging()
{
    const char* flag = std::getenv("IK_DEBUG");
    return flag && *flag && std::string_view(flag) != "0";
}

bool window_declared(const config::Config& cfg, std::string_view spec)
{
    auto it = cfg.models.find(spec);
    return it != cfg.models.end() && it->second.context_window.has_value();
}

} // namespace

llm::ModelLimits model_limits(const config::Config& cfg, const config::ResolvedModel& choice)
{
    std::string spec = fmt::format("{}/{}", choice.provider, choice.model);
    llm::ModelLimits limits = model_catalog(cfg).lookup(spec);
    if (choice.provider != "ollama" || window_declared(cfg, spec))
        return limits;
    Result<int64_t> window = llm::ask_ollama_window(choice.base_url, choice.model, ollama_show_timeout);
    if (!window) {
        if (debugging())
            tui::print_visible(stderr,
                "ik: debug: could not ask Ollama for {}'s context length ({}); using {} tokens ({})\n", spec,
                window.error().message(), limits.context_window, llm::to_string(limits.origin));
        return limits;
    }
    limits.context_window = *window;
    limits.max_output = std::min(limits.max_output, *window / 2);
    limits.origin = llm::LimitsOrigin::server;
    limits.source = "Ollama /api/show";
    std::string path = llm::learned_models_path();
    llm::LearnedWindows learned = llm::load_learned(path);
    if (auto it = learned.find(spec); it == learned.end() || it->second != *window) {
        learned.insert_or_assign(spec, *window);
        if (auto saved = llm::save_learned(path, learned); !saved && debugging())
            tui::print_visible(stderr, "ik: debug: could not keep Ollama's window: {}\n", saved.error().message());
    }
    return limits;
}

} // namespace ik::app
