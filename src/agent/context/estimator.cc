#include "agent/context/estimator.h"

#include <algorithm>
#include <cmath>

namespace ik::agent {

size_t message_bytes(const llm::Message& m)
{
    size_t n = message_overhead_bytes + m.text.size() + m.thinking.size() + m.thinking_signature.size()
        + m.tool_call_id.size() + m.tool_name.size();
    for (const llm::ToolCall& c : m.tool_calls)
        n += message_overhead_bytes + c.id.size() + c.name.size() + c.arguments.size();
    return n;
}

size_t messages_bytes(std::span<const llm::Message> messages)
{
    size_t n = 0;
    for (const llm::Message& m : messages)
        n += message_bytes(m);
    return n;
}

size_t tools_bytes(std::span<const llm::ToolSpec> tools)
{
    size_t n = 0;
    for (const llm::ToolSpec& t : tools)
        n += message_overhead_bytes + t.name.size() + t.description.size() + t.parameters.size();
    return n;
}

int64_t TokenEstimator::tokens(size_t bytes) const
{
    return static_cast<int64_t>(std::ceil(static_cast<double>(bytes) / m_ratio));
}

size_t TokenEstimator::bytes_for(int64_t tokens) const
{
    return tokens <= 0 ? 0 : static_cast<size_t>(static_cast<double>(tokens) * m_ratio);
}

void TokenEstimator::calibrate(size_t bytes, int64_t prompt_tokens)
{
    if (bytes < 256 || prompt_tokens <= 0)
        return;
    double ratio = static_cast<double>(bytes) / static_cast<double>(prompt_tokens);
    m_ratio = std::clamp(ratio, min_ratio, max_ratio);
}

void TokenEstimator::restore(double bytes_per_token)
{
    if (std::isfinite(bytes_per_token) && bytes_per_token > 0)
        m_ratio = std::clamp(bytes_per_token, min_ratio, max_ratio);
}

} // namespace ik::agent
