#include "agent/context/context_manager.h"
#include "agent/turn.h"
#include "store/records.h"

namespace ik::agent {

std::optional<store::UsageRecord> Turn::round_usage() const
{
    if (!m_round_usage.input && !m_round_usage.output)
        return std::nullopt;
    return store::UsageRecord{ .input = m_round_usage.input,
        .output = m_round_usage.output,
        .cached = m_round_usage.cached,
        .reasoning = m_round_usage.reasoning,
        .cost_usd = m_round_cost,
        .bytes_per_token = m_host.context_manager().estimator().bytes_per_token() };
}

} // namespace ik::agent
