// Model — what the turn loop needs from the LLM layer: start one streamed
// request, receive normalized events, learn how it ended, cancel it.
//
// The production implementation (agent/llm_model.h) wraps llm::Client, which
// owns HTTP, retries and the watchdog; tests use a scripted fake. Keeping the
// seam this small is what lets the turn loop be tested without a network.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "core/arena.h"
#include "core/result.h"
#include "llm/event.h"
#include "llm/image.h"
#include "llm/request.h"

namespace ik::agent {

// A request in flight. Destroying it cancels it without calling `done`.
class ModelCall {
public:
    virtual ~ModelCall() = default;
    // Stops the request; `done` still runs, with ErrorCode::interrupted.
    virtual void cancel() = 0;
};

using ModelDone = std::function<void(Result<void> outcome)>;

class Model {
public:
    virtual ~Model() = default;
    // Streams `request`. Events reach `sink` as they arrive; `done` is called
    // exactly once, later, from the loop (never inside start). `request` and
    // the memory it points to must stay valid until `done` runs.
    virtual std::unique_ptr<ModelCall> start(const llm::Request& request, llm::StreamSink& sink, ModelDone done) = 0;
    // The provider's image size limits (llm/image_fit.h), so an attachment
    // over them is refused when it is made; nullopt: none known (test fakes).
    virtual std::optional<llm::ImageLimits> image_limits() const { return std::nullopt; }
    // A model of the same target that can stream while this one does (a
    // background agent's: it runs beside its parent's turns), its memory
    // under `parent`; null when this one can already run several requests at
    // once (test fakes).
    virtual std::unique_ptr<Model> fork(mem::Arena& /*parent*/) { return nullptr; }
};

} // namespace ik::agent
