#include "core/error.h"

namespace ik {

std::string_view to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::invalid_argument:
        return "invalid argument";
    case ErrorCode::parse:
        return "parse error";
    case ErrorCode::io:
        return "I/O error";
    case ErrorCode::not_found:
        return "not found";
    case ErrorCode::config:
        return "configuration error";
    case ErrorCode::auth:
        return "authentication error";
    case ErrorCode::rate_limit:
        return "rate limited";
    case ErrorCode::overloaded:
        return "overloaded";
    case ErrorCode::bad_request:
        return "bad request";
    case ErrorCode::context_too_long:
        return "context too long";
    case ErrorCode::network:
        return "network error";
    case ErrorCode::timeout:
        return "timeout";
    case ErrorCode::provider:
        return "provider error";
    case ErrorCode::interrupted:
        return "interrupted";
    case ErrorCode::cap_exceeded:
        return "memory cap exceeded";
    case ErrorCode::store:
        return "store error";
    case ErrorCode::denied:
        return "denied";
    case ErrorCode::internal:
        return "internal error";
    }
    return "unknown error";
}

std::string Error::to_string() const
{
    std::string out;
    for (size_t i = m_context.size(); i-- > 0;) { // the outermost context first
        out += m_context[i];
        out += ": ";
    }
    out += m_message;
    return out;
}

} // namespace ik
