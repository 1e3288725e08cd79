// The user's `headers` for an HTTP MCP server, and its URL as ik shows it.
//
// expand_headers() replaces `${NAME}` in each value with that environment
// variable, so a token stays in the environment and out of config files
// (`"Authorization": "Bearer ${DOCS_TOKEN}"`). A variable that is not set is
// an error naming the variable and the header, never the value. `$` not
// followed by `{` is kept as is; `${}` or an unterminated `${` is an error.
//
// redacted_url() is the URL without what may be a secret: user:password@ and
// the query string (some servers take a key there). Every message and listing
// that names an HTTP server uses it.
//
// Plain functions; own what they return.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace ik::mcp {

using Getenv = std::function<std::optional<std::string>(std::string_view name)>;

// "Name: value" lines, ready for libcurl.
Result<std::vector<std::string>> expand_headers(
    const std::vector<std::pair<std::string, std::string>>& headers, const Getenv& getenv);
// The process environment, for expand_headers().
std::optional<std::string> process_getenv(std::string_view name);

std::string redacted_url(std::string_view url);

} // namespace ik::mcp
