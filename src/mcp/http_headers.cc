#include "mcp/http_headers.h"

#include <cstdlib>

#include <fmt/format.h>

namespace ik::mcp {

namespace {

Result<std::string> expand(std::string_view header, std::string_view value, const Getenv& getenv)
{
    std::string out;
    while (!value.empty()) {
        size_t at = value.find("${");
        out.append(value.substr(0, at));
        if (at == std::string_view::npos)
            break;
        size_t end = value.find('}', at + 2);
        if (end == std::string_view::npos || end == at + 2)
            return fail(ErrorCode::config, "header '{}': expected ${{NAME}} in its value", header);
        std::string_view name = value.substr(at + 2, end - at - 2);
        auto v = getenv(name);
        if (!v)
            return fail(ErrorCode::config, "header '{}': the environment variable {} is not set", header, name);
        if (v->find_first_of("\r\n") != std::string::npos)
            return fail(ErrorCode::config, "header '{}': {} has a line break", header, name);
        out += *v;
        value.remove_prefix(end + 1);
    }
    return out;
}

} // namespace

Result<std::vector<std::string>> expand_headers(
    const std::vector<std::pair<std::string, std::string>>& headers, const Getenv& getenv)
{
    std::vector<std::string> out;
    out.reserve(headers.size());
    for (const auto& [name, value] : headers)
        out.push_back(fmt::format("{}: {}", name, TRY(expand(name, value, getenv))));
    return out;
}

std::optional<std::string> process_getenv(std::string_view name)
{
    const char* v = std::getenv(std::string(name).c_str());
    if (!v)
        return std::nullopt;
    return std::string(v);
}

std::string redacted_url(std::string_view url)
{
    size_t scheme = url.find("://");
    size_t host = scheme == std::string_view::npos ? 0 : scheme + 3;
    size_t path = url.find_first_of("/?#", host);
    std::string_view authority = url.substr(host, path == std::string_view::npos ? url.npos : path - host);
    std::string out(url.substr(0, host));
    if (size_t at = authority.rfind('@'); at != std::string_view::npos)
        authority.remove_prefix(at + 1);
    out += authority;
    if (path == std::string_view::npos)
        return out;
    std::string_view rest = url.substr(path);
    size_t query = rest.find_first_of("?#");
    out += rest.substr(0, query);
    if (query != std::string_view::npos && rest[query] == '?')
        out += "?…";
    return out;
}

} // namespace ik::mcp
