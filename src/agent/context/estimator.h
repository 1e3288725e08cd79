// Token estimates for what has not been sent yet.
//
// The provider's usage report is the only exact count, and it arrives after
// the fact. Before a request ik needs a number for the prompt it is about to
// send: it measures the request in bytes (request_bytes()) and divides by a
// bytes-per-token ratio calibrated from the last usage report (the bytes ik
// sent against the prompt tokens the provider counted). Until the first
// report the ratio is a conservative 3.5 (English prose and code run at 3.5
// to 4.5 bytes per token), so the first estimate errs large.
//
//   TokenEstimator est;
//   size_t bytes = request_bytes(system, tools, messages);
//   int64_t tokens = est.tokens(bytes);
//   // … the reply's usage arrives …
//   est.calibrate(bytes, usage.input);
//
// Owns: nothing (a value type).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "llm/request.h"

namespace ik::agent {

// Framing each message costs on the wire beyond its text (role, JSON keys).
inline constexpr size_t message_overhead_bytes = 16;

size_t message_bytes(const llm::Message& m);
size_t messages_bytes(std::span<const llm::Message> messages);
size_t tools_bytes(std::span<const llm::ToolSpec> tools);

class TokenEstimator {
public:
    static constexpr double default_ratio = 3.5;
    static constexpr double min_ratio = 1.0;
    static constexpr double max_ratio = 8.0;

    double bytes_per_token() const { return m_ratio; }
    int64_t tokens(size_t bytes) const;
    size_t bytes_for(int64_t tokens) const;
    // A usage report for a request of `bytes`: sets the ratio (clamped), when
    // the numbers are plausible. Reports of tiny requests say little and are skipped.
    void calibrate(size_t bytes, int64_t prompt_tokens);
    // A ratio recorded earlier (resume); clamped like a calibrated one.
    void restore(double bytes_per_token);

private:
    double m_ratio = default_ratio;
};

} // namespace ik::agent
