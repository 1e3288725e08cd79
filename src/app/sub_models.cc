#include "app/sub_models.h"

#include <fmt/format.h>

#include "agent/ext/agent_file.h"
#include "agent/llm_model.h"
#include "app/setup.h"
#include "config/model_spec.h"
#include "llm/catalog.h"
#include "llm/learned_models.h"

namespace ik::app {
namespace {

// The client and the model over it, owned together: the model borrows the
// client, so it is declared after it and destroyed first.
class OwnedModel final : public agent::Model {
public:
    OwnedModel(Loop& loop, mem::Arena& parent, const llm::ClientOptions& options, const config::ResolvedModel& choice)
        : m_client(loop, options)
        , m_model(loop, m_client, parent)
    {
        m_model.set_target(llm::provider_for(wire_format(choice.format)), choice.base_url, choice.api_key);
    }
    std::unique_ptr<agent::ModelCall> start(
        const llm::Request& request, llm::StreamSink& sink, agent::ModelDone done) override
    {
        return m_model.start(request, sink, std::move(done));
    }
    std::optional<llm::ImageLimits> image_limits() const override { return m_model.image_limits(); }

private:
    llm::Client m_client;
    agent::LlmModel m_model;
};

// "gpt-5-mini" -> "openai/gpt-5-mini" when the built-in table has it under
// one provider only; "sonnet" -> Claude Code's meaning. Anything else as is.
std::string full_spec(std::string_view spec)
{
    if (agent::ModelAlias alias = agent::claude_model_alias(spec); alias.known && !alias.spec.empty())
        return std::string(alias.spec);
    if (spec.find('/') != std::string_view::npos)
        return std::string(spec);
    std::string found;
    for (const llm::CatalogEntry& e : llm::builtin_models()) {
        std::string_view s = e.spec;
        size_t slash = s.find('/');
        if (s.substr(slash + 1) != spec || s.starts_with("openai-responses/"))
            continue;
        if (!found.empty())
            return std::string(spec); // two providers serve it: the caller must say which
        found = s;
    }
    return found.empty() ? std::string(spec) : found;
}

} // namespace

SubModels::SubModels(config::Config cfg, llm::ClientOptions options)
    : m_cfg(std::move(cfg))
    , m_options(std::move(options))
{
}

Result<agent::SubModel> SubModels::make(Loop& loop, mem::Arena& parent, std::string_view spec) const
{
    std::string full = full_spec(spec);
    if (full.find('/') == std::string::npos)
        return fail(ErrorCode::invalid_argument,
            "'{}' is not a model ik knows: give it as provider/model, e.g. anthropic/claude-haiku-4-5", spec);
    config::ResolvedModel choice = TRY(config::resolve_model(m_cfg, full));
    if (!config::has_credentials(m_cfg, choice.provider)) {
        auto it = m_cfg.providers.find(choice.provider);
        std::string env = it != m_cfg.providers.end() ? it->second.api_key_env : "";
        return fail(ErrorCode::auth, "no API key for '{}'{}: use another model, or none (yours)", choice.provider,
            env.empty() ? "" : fmt::format(" (${} is not set)", env));
    }
    agent::SubModel out;
    out.spec = choice.provider + "/" + choice.model;
    out.name = choice.model;
    // As context_settings() builds it, without asking a local server for its window: that would block the loop.
    out.context.limits = model_catalog(m_cfg).lookup(out.spec);
    out.context.threshold = m_cfg.compaction.threshold;
    out.context.summary_model = m_cfg.compaction.model;
    out.context.learned_path = llm::learned_models_path();
    out.model = std::make_unique<OwnedModel>(loop, parent, m_options, choice);
    return out;
}

} // namespace ik::app
