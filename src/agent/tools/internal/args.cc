#include "agent/tools/internal/args.h"

#include <charconv>
#include <cmath>

namespace ik::agent::internal {

Result<Args> Args::make(std::string_view tool, const json::value& args)
{
    if (!args.is_object())
        return fail(
            ErrorCode::invalid_argument, "{}: arguments must be a JSON object, got {}", tool, json::kind_name(args));
    return Args(tool, args.get_object());
}

const json::value* Args::find(std::string_view key) const
{
    auto it = m_object->find(key);
    if (it == m_object->end() || it->value().is_null())
        return nullptr;
    return &it->value();
}

Result<std::string_view> Args::required_string(std::string_view key) const
{
    const json::value* v = find(key);
    if (!v)
        return fail(ErrorCode::invalid_argument, "{}: '{}' is required", m_tool, key);
    if (!v->is_string())
        return fail(ErrorCode::invalid_argument, "{}: '{}' must be a string, got {}", m_tool, key, json::kind_name(*v));
    return std::string_view(v->get_string());
}

Result<std::optional<std::string_view>> Args::optional_string(std::string_view key) const
{
    const json::value* v = find(key);
    if (!v)
        return std::optional<std::string_view>();
    if (!v->is_string())
        return fail(ErrorCode::invalid_argument, "{}: '{}' must be a string, got {}", m_tool, key, json::kind_name(*v));
    return std::optional<std::string_view>(std::string_view(v->get_string()));
}

Result<int64_t> Args::integer(std::string_view key, int64_t fallback, int64_t min, int64_t max) const
{
    const json::value* v = find(key);
    if (!v)
        return fallback;
    int64_t n = 0;
    bool ok = false;
    if (v->is_int64()) {
        n = v->get_int64();
        ok = true;
    } else if (v->is_uint64()) {
        n = v->get_uint64() > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(v->get_uint64());
        ok = true;
    } else if (v->is_double() && std::trunc(v->get_double()) == v->get_double() && std::abs(v->get_double()) < 9e15) {
        n = static_cast<int64_t>(v->get_double());
        ok = true;
    } else if (v->is_string()) {
        // Models sometimes quote numbers; "10" is unambiguous.
        std::string_view s = v->get_string();
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        ok = ec == std::errc() && end == s.data() + s.size() && !s.empty();
    }
    if (!ok)
        return fail(ErrorCode::invalid_argument, "{}: '{}' must be an integer, got {}", m_tool, key,
            v->is_double() ? "a fractional number" : json::kind_name(*v));
    if (n < min)
        return fail(ErrorCode::invalid_argument, "{}: {} must be ≥ {}, got {}", m_tool, key, min, n);
    if (n > max)
        return fail(ErrorCode::invalid_argument, "{}: {} must be ≤ {}, got {}", m_tool, key, max, n);
    return n;
}

Result<bool> Args::boolean(std::string_view key, bool fallback) const
{
    const json::value* v = find(key);
    if (!v)
        return fallback;
    if (v->is_bool())
        return v->get_bool();
    if (v->is_string() && (v->get_string() == "true" || v->get_string() == "false"))
        return v->get_string() == "true";
    return fail(
        ErrorCode::invalid_argument, "{}: '{}' must be true or false, got {}", m_tool, key, json::kind_name(*v));
}

} // namespace ik::agent::internal
