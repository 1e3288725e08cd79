// LlmModel — the production agent::Model: llm::Client over HTTP to the
// provider chosen by the config.
//
// One request at a time (the turn loop never overlaps rounds). Each request
// gets a child arena of the model's arena for its body, headers and decoder
// state; it is freed when the next request starts or the model dies, never
// from inside the client's own callbacks.
//
// Owns: the per-request arena, copies of the endpoint strings.
// Borrows: the loop, the client and the provider (static), which outlive it.
#pragma once

#include <string>

#include "agent/model.h"
#include "core/arena.h"
#include "core/loop.h"
#include "llm/client.h"
#include "llm/provider.h"

namespace ik::agent {

class LlmModel final : public Model {
public:
    LlmModel(Loop& loop, llm::Client& client, mem::Arena& parent);
    ~LlmModel() override;

    // Which wire format and server to talk to; may change between requests (/model).
    void set_target(const llm::Provider& provider, std::string base_url, std::string api_key);

    std::unique_ptr<ModelCall> start(const llm::Request& request, llm::StreamSink& sink, ModelDone done) override;
    // The current target's (set_target first).
    std::optional<llm::ImageLimits> image_limits() const override;
    // Its own llm::Client (same options) and the same target.
    std::unique_ptr<Model> fork(mem::Arena& parent) override;

private:
    class Call;
    friend class Call;

    Loop& m_loop;
    llm::Client& m_client;
    mem::Arena m_arena;
    mem::Arena* m_request = nullptr;
    const llm::Provider* m_provider = nullptr;
    std::string m_base_url;
    std::string m_api_key;
    llm::Endpoint m_endpoint; // borrowed by the client until done
    Call* m_active = nullptr;
};

} // namespace ik::agent
