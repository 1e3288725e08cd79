// ik::Error — the value every fallible function returns on failure.
//
// An Error is small and self-contained: a code from a fixed set, a message,
// and a chain of context lines added by callers on the way up ("while loading
// config"). It owns its strings on the heap and never points into an arena,
// so it stays valid however many scopes it crosses (the seed's rule: errors
// are never allocated in a scope that dies before the caller reads them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace ik {

// Pick the most specific code. Provider error categories are listed here too
// because the CLI maps codes to exit statuses and user-facing advice.
enum class ErrorCode {
    invalid_argument, // a caller passed something malformed
    parse, // outside input (JSON, SSE, config) did not parse
    io, // a read/write/open failed
    not_found, // a file, key, session or id does not exist
    config, // configuration is present but wrong
    auth, // credentials missing or rejected
    rate_limit, // provider said 429
    overloaded, // provider said 5xx/529/overloaded
    bad_request, // provider rejected the request
    context_too_long, // the conversation exceeds the model's window
    network, // connection refused, reset, DNS
    timeout, // connect timeout or idle-stream watchdog
    provider, // any other provider-side failure
    interrupted, // the user or a signal cancelled the work
    cap_exceeded, // a memory cap refused an allocation
    store, // the event store failed
    denied, // a policy refused an action
    internal, // a bug: an invariant did not hold
};

std::string_view to_string(ErrorCode code);

class Error {
public:
    Error(ErrorCode code, std::string message)
        : m_code(code)
        , m_message(std::move(message))
    {
    }

    template <typename... Args> static Error make(ErrorCode code, fmt::format_string<Args...> format, Args&&... args)
    {
        return Error(code, fmt::format(format, std::forward<Args>(args)...));
    }

    ErrorCode code() const { return m_code; }
    const std::string& message() const { return m_message; }
    // In the order added: innermost first. to_string() prints outermost first.
    const std::vector<std::string>& context() const { return m_context; }

    Error& add_context(std::string line)
    {
        m_context.push_back(std::move(line));
        return *this;
    }

    // "while loading config: config.json:3:7: expected ':'"
    std::string to_string() const;

private:
    ErrorCode m_code;
    std::string m_message;
    std::vector<std::string> m_context;
};

} // namespace ik
