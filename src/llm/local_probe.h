// Is a local model server listening? A quick TCP connect, used when no
// credentials are configured at all to fall back to Ollama on 127.0.0.1:11434.
//
// Only numeric IPv4 addresses and "localhost" are probed: a probe must never
// block on DNS.
#pragma once

#include <chrono>
#include <string_view>

namespace ik::llm {

// True if a TCP connection to the host:port of `base_url` (http://host:port/...)
// succeeds within `timeout`.
bool probe_local_server(std::string_view base_url, std::chrono::milliseconds timeout);

} // namespace ik::llm
