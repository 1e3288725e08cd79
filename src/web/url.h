// URLs as web_fetch handles them: only http and https, parsed and resolved by
// libcurl's URL API (the same parser that later fetches them, so a URL cannot
// mean one host to the check and another to the connection).
//
// Owns its strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ik::web {

// Longest URL web_fetch accepts or puts into a link; longer ones are noise or
// an attack on the output size.
inline constexpr size_t max_url_bytes = 4096;

struct Url {
    std::string text; // normalised by curl
    std::string scheme; // "http" or "https"
    std::string host; // lower case; an IPv6 literal without brackets
    uint16_t port = 0; // effective port (80/443 when not given)
};

// invalid_argument for anything that is not an absolute http(s) URL with a
// host, or is longer than max_url_bytes.
Result<Url> parse_url(std::string_view text);

// `reference` (absolute or relative, as in an href) resolved against `base`;
// nullopt when the result is not http(s) (javascript:, mailto:, data:) or does
// not parse.
std::optional<std::string> resolve_url(std::string_view base, std::string_view reference);

} // namespace ik::web
