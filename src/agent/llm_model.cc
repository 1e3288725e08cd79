#include "agent/llm_model.h"

#include "core/panic.h"
#include "llm/image_fit.h"

namespace ik::agent {

class LlmModel::Call final : public ModelCall {
public:
    Call(LlmModel& model, ModelDone done)
        : m_model(model)
        , m_done(std::move(done))
    {
    }
    ~Call() override
    {
        if (m_model.m_active == this) {
            // Destroyed before done: stop the transfer and drop its outcome.
            m_model.m_active = nullptr;
            m_model.m_client.cancel();
        }
    }
    void cancel() override
    {
        if (m_model.m_active == this)
            m_model.m_client.cancel();
    }
    void complete(Result<void> outcome)
    {
        ModelDone done = std::move(m_done);
        done(std::move(outcome));
    }

private:
    LlmModel& m_model;
    ModelDone m_done;
};

LlmModel::LlmModel(Loop& loop, llm::Client& client, mem::Arena& parent)
    : m_loop(loop)
    , m_client(client)
    , m_arena(parent, "model")
{
}

LlmModel::~LlmModel()
{
    if (m_active) {
        m_active = nullptr;
        m_client.cancel();
    }
}

void LlmModel::set_target(const llm::Provider& provider, std::string base_url, std::string api_key)
{
    m_provider = &provider;
    m_base_url = std::move(base_url);
    m_api_key = std::move(api_key);
}

std::optional<llm::ImageLimits> LlmModel::image_limits() const
{
    if (!m_provider)
        return std::nullopt;
    return llm::image_limits(m_provider->format());
}

std::unique_ptr<ModelCall> LlmModel::start(const llm::Request& request, llm::StreamSink& sink, ModelDone done)
{
    IK_ASSERT(m_provider != nullptr, "LlmModel::start before set_target");
    IK_ASSERT(!m_client.busy(), "LlmModel::start while a request is in flight");
    if (m_request)
        m_request->destroy();
    m_request = &m_arena.make_child("request", { .block_size = size_t{ 16 } * 1024 });

    auto call = std::make_unique<Call>(*this, std::move(done));
    Call* raw = call.get();
    m_active = raw;
    m_endpoint = llm::Endpoint{ m_base_url, m_api_key };
    auto started = m_client.start(*m_request, *m_provider, m_endpoint, request, sink, [this, raw](Result<void> r) {
        if (m_active != raw)
            return; // the call was destroyed first
        m_active = nullptr;
        raw->complete(std::move(r));
    });
    if (!started) {
        // The contract says done runs later, from the loop.
        Error error = started.error();
        m_loop.after(std::chrono::milliseconds(0), [this, raw, error] {
            if (m_active != raw)
                return;
            m_active = nullptr;
            raw->complete(fail(error));
        });
    }
    return call;
}

namespace {

// A forked model owns the client its LlmModel borrows.
class ForkedModel final : public Model {
public:
    ForkedModel(Loop& loop, const llm::ClientOptions& options, mem::Arena& parent)
        : m_client(loop, options)
        , m_model(loop, m_client, parent)
    {
    }
    LlmModel& model() { return m_model; }
    std::unique_ptr<ModelCall> start(const llm::Request& request, llm::StreamSink& sink, ModelDone done) override
    {
        return m_model.start(request, sink, std::move(done));
    }
    std::optional<llm::ImageLimits> image_limits() const override { return m_model.image_limits(); }
    std::unique_ptr<Model> fork(mem::Arena& parent) override { return m_model.fork(parent); }

private:
    llm::Client m_client;
    LlmModel m_model;
};

} // namespace

std::unique_ptr<Model> LlmModel::fork(mem::Arena& parent)
{
    auto forked = std::make_unique<ForkedModel>(m_loop, m_client.options(), parent);
    if (m_provider)
        forked->model().set_target(*m_provider, m_base_url, m_api_key);
    return forked;
}

} // namespace ik::agent
