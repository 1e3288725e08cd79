#include "agent/context/retry_check.h"

namespace ik::agent {

bool can_compact(const ContextManager& context, const Conversation& window, const RequestShape& shape)
{
    const llm::ModelLimits& m = context.limits();
    PlanInput in;
    in.window = m.context_window;
    in.reserve = reserve_for(m.context_window, m.max_output, shape.max_tokens);
    in.threshold = context.threshold();
    in.fixed_bytes = shape.system.size() + tools_bytes(shape.tools);
    in.messages = window.messages();
    in.force = true;
    return plan_compaction(in, context.estimator()).needed();
}

} // namespace ik::agent
