#include "agent/context/context_manager.h"
#include "agent/turn.h"
#include "store/records.h"

namespace ik::agent {

// Recorded after the reply it belongs to; nothing when the provider sent none.
Result<void> Turn::record_usage()
{
    if (!m_round_usage.input && !m_round_usage.output)
        return {};
    TRY(m_host.recorder().record(store::UsageRecord{ .input = m_round_usage.input,
        .output = m_round_usage.output,
        .cached = m_round_usage.cached,
        .reasoning = m_round_usage.reasoning,
        .cost_usd = m_round_cost,
        .bytes_per_token = m_host.context_manager().estimator().bytes_per_token() }));
    return {};
}

} // namespace ik::agent
