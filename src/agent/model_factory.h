// ModelFactory — how a sub-agent gets a model other than its parent's (the
// task tool's `model` argument, or an agent definition's `model`).
//
// The agent layer cannot read the config (design.md: the app reads it and
// hands plain settings down), so the app implements this seam
// (app/sub_models.h): it resolves a spec as --model does, checks the
// provider's credentials, and builds an llm::Client with an LlmModel over it
// on the caller's loop. The sub-agent owns what it gets and frees it when it
// ends.
//
//   SubModel m = TRY(factory.make(loop, arena, "openai/gpt-5-mini"));
//   settings.model_spec = m.spec; settings.model = m.name; settings.context = m.context;
//   Session::create({loop, store, *m.model, observer, arena}, settings);
//
// Errors (for the model to read): invalid_argument for a spec that is not
// "provider/model", config for an unknown provider, auth for a provider
// without a key.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "agent/context/context_settings.h"
#include "agent/model.h"
#include "core/arena.h"
#include "core/loop.h"
#include "core/result.h"

namespace ik::agent {

struct SubModel {
    std::unique_ptr<Model> model; // owns its HTTP client; its arena is a child of make()'s `parent`
    std::string spec; // "openai/gpt-5-mini": recorded with the sub-agent's session
    std::string name; // the provider's own name, sent in requests
    ContextSettings context; // its limits and prices: the sub-agent's usage is priced with them
};

class ModelFactory {
public:
    virtual ~ModelFactory() = default;
    virtual Result<SubModel> make(Loop& loop, mem::Arena& parent, std::string_view spec) const = 0;
};

} // namespace ik::agent
