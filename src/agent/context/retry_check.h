// Whether a forced compaction would change the window: after a provider's
// context-length error the turn retries only when it would (a retry of the
// same prompt is bound to fail again).
#pragma once

#include "agent/context/context_manager.h"
#include "agent/conversation.h"

namespace ik::agent {

bool can_compact(const ContextManager& context, const Conversation& window, const RequestShape& shape);

} // namespace ik::agent
