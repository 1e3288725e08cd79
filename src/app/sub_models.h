// SubModels — the app's agent::ModelFactory (agent/model_factory.h): builds
// the model a sub-agent asked for, with the credentials and settings the
// parent would use for that provider.
//
// A spec is what --model takes ("provider/model"), a model name the
// built-in catalog knows under exactly one provider ("gpt-5-mini"), or
// Claude Code's aliases (sonnet, opus, haiku). Each model made gets its own
// llm::Client (one request at a time each, so sub-agents on different
// models stream side by side) and an LlmModel over it; its limits and
// prices come from the catalog (config additions and learned windows
// included), without asking a local server, which would block the loop.
//
// Owns: a copy of the config (providers, keys, models) and the HTTP client
// options, read when a model is made. Immutable: shared by every session of
// the process through SessionSettings::models.
#pragma once

#include "agent/model_factory.h"
#include "config/config.h"
#include "llm/client.h"

namespace ik::app {

class SubModels final : public agent::ModelFactory {
public:
    SubModels(config::Config cfg, llm::ClientOptions options);
    Result<agent::SubModel> make(Loop& loop, mem::Arena& parent, std::string_view spec) const override;

private:
    config::Config m_cfg;
    llm::ClientOptions m_options;
};

} // namespace ik::app
