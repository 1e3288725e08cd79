#include "config/web_config.h"

#include <algorithm>
#include <charconv>

#include "config/internal/suggest.h"
#include "core/arena.h"

namespace ik::config {

namespace {

#define WEB_TRY(expr)                                                                                                  \
    ({                                                                                                                 \
        auto _r = (expr);                                                                                              \
        if (!_r.has_value())                                                                                           \
            return fail(ErrorCode::config, "{}: {}", source, _r.error().message());                                    \
        *_r;                                                                                                           \
    })

bool host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

bool v6_char(char c)
{
    return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9') || c == ':' || c == '.';
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

Result<int> parse_port(std::string_view text, std::string_view entry)
{
    int port = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc{} || end != text.data() + text.size() || port < 1 || port > 65535)
        return fail(ErrorCode::config, "'{}': the port must be a number from 1 to 65535", entry);
    return port;
}

} // namespace

Result<WebHost> parse_web_host(std::string_view text)
{
    WebHost h;
    h.text = std::string(text);
    std::string s = lower(text);
    std::string_view v = s;
    if (v.find("://") != std::string_view::npos)
        return fail(
            ErrorCode::config, R"('{}': write the host without a scheme ("example.com" or "localhost:8080"))", text);
    if (v.find('/') != std::string_view::npos)
        return fail(ErrorCode::config, "'{}': write the host without a path", text);
    if (v.find('*') != std::string_view::npos)
        return fail(ErrorCode::config, "'{}': wildcards are not supported; list each host", text);
    if (v.starts_with('[')) {
        size_t close = v.find(']');
        if (close == std::string_view::npos)
            return fail(ErrorCode::config, "'{}': an IPv6 address needs its closing ']'", text);
        h.host = std::string(v.substr(1, close - 1));
        std::string_view rest = v.substr(close + 1);
        if (!rest.empty()) {
            if (!rest.starts_with(':'))
                return fail(ErrorCode::config, "'{}': expected \":port\" after ']'", text);
            h.port = TRY(parse_port(rest.substr(1), text));
        }
        if (h.host.empty() || h.host.find(':') == std::string::npos
            || !std::all_of(h.host.begin(), h.host.end(), v6_char))
            return fail(ErrorCode::config, "'{}': not an IPv6 address", text);
        return h;
    }
    size_t colons = static_cast<size_t>(std::count(v.begin(), v.end(), ':'));
    if (colons > 1) { // a bare IPv6 address: any port
        if (!std::all_of(v.begin(), v.end(), v6_char))
            return fail(ErrorCode::config, "'{}': not a host name or an address", text);
        h.host = std::string(v);
        return h;
    }
    std::string_view host = v.substr(0, v.find(':'));
    if (colons == 1)
        h.port = TRY(parse_port(v.substr(v.find(':') + 1), text));
    if (host.empty() || !std::all_of(host.begin(), host.end(), host_char))
        return fail(ErrorCode::config, "'{}': not a host name or an address", text);
    h.host = std::string(host);
    return h;
}

Result<void> read_web(json::Field field, WebConfig& out, std::string_view source)
{
    const json::object* obj = WEB_TRY(field.as_object());
    if (auto unknown
        = internal::unknown_key(*obj, { "allow_hosts", "timeout", "max_bytes", "search", "search_max_uses" })) {
        if (!unknown->hint.empty())
            return fail(ErrorCode::config, "{}: {}: unknown key '{}' (did you mean '{}'?)", source, field.path(),
                unknown->key, unknown->hint);
        return fail(ErrorCode::config, "{}: {}: unknown key '{}'", source, field.path(), unknown->key);
    }
    if (json::Field hosts = field["allow_hosts"]; hosts.exists()) {
        const json::array* arr = WEB_TRY(hosts.as_array());
        out.allow_hosts.clear();
        for (size_t i = 0; i < arr->size(); ++i) {
            auto host = parse_web_host(WEB_TRY(hosts[i].string()));
            if (!host)
                return fail(ErrorCode::config, "{}: {}[{}]: {}", source, hosts.path(), i, host.error().message());
            out.allow_hosts.push_back(std::move(*host));
        }
    }
    if (json::Field t = field["timeout"]; t.exists()) {
        int64_t v = WEB_TRY(t.integer());
        if (v < 1 || v > 600)
            return fail(ErrorCode::config, "{}: {}: expected seconds from 1 to 600, got {}", source, t.path(), v);
        out.timeout_s = v;
    }
    if (json::Field m = field["max_bytes"]; m.exists()) {
        int64_t v = WEB_TRY(m.integer());
        if (v < 1024 || v > (int64_t{ 64 } << 20))
            return fail(ErrorCode::config, "{}: {}: expected bytes from 1024 to 67108864 (64 MiB), got {}", source,
                m.path(), v);
        out.max_bytes = v;
    }
    if (json::Field f = field["search"]; f.exists())
        out.search = WEB_TRY(f.boolean());
    if (json::Field m = field["search_max_uses"]; m.exists()) {
        int64_t v = WEB_TRY(m.integer());
        if (v < 1 || v > 20)
            return fail(ErrorCode::config, "{}: {}: expected searches from 1 to 20, got {}", source, m.path(), v);
        out.search_max_uses = v;
    }
    return {};
}

json::value web_to_json(const WebConfig& web, mem::Arena& arena)
{
    json::object root(json::storage(arena));
    json::array& hosts = root["allow_hosts"].emplace_array();
    for (const WebHost& h : web.allow_hosts)
        hosts.emplace_back(h.text);
    root["timeout"] = web.timeout_s;
    root["max_bytes"] = web.max_bytes;
    root["search"] = web.search;
    root["search_max_uses"] = web.search_max_uses;
    return root;
}

} // namespace ik::config
