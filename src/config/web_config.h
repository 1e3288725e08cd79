// The `web` key of config.json: web_fetch's settings (docs/config.md).
//
//   "web": {"allow_hosts": ["localhost:8080", "docs.internal", "[::1]"],
//           "timeout": 30, "max_bytes": 2097152}
//
// allow_hosts lists hosts web_fetch may reach even when they resolve to a
// loopback, private or link-local address: a host name or an IP address,
// optionally with ":port" (IPv6 addresses in brackets); without a port any
// port is allowed. Names are compared as written in the URL, without case
// and without resolving: "localhost" does not allow "127.0.0.1". timeout is
// the seconds a whole fetch may take, redirects included (1–600); max_bytes
// the most bytes of a response body downloaded (1 KiB–64 MiB).
//
// search offers the provider's own server-side web search to models that
// have one (the catalog's cap_web_search); off by default because every
// provider bills searches (Anthropic and OpenAI per search, Gemini past a
// free daily quota). search_max_uses caps Anthropic's searches per request
// (1–20); OpenAI and Gemini take no such limit.
//
// Owns its strings. The app hands these on to agent/tools as plain settings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace ik::config {

struct WebHost {
    std::string host; // lower case; IPv6 without brackets
    int port = 0; // 0: any port
    std::string text; // as written, for `ik config`
};

struct WebConfig {
    std::vector<WebHost> allow_hosts;
    int64_t timeout_s = 30;
    int64_t max_bytes = int64_t{ 2 } << 20;
    bool search = false;
    int64_t search_max_uses = 5;
};

// "host", "host:port", "[v6]", "[v6]:port", a bare IPv6 address; errors say
// what is wrong with the entry (a scheme, a path, a wildcard, a bad port).
Result<WebHost> parse_web_host(std::string_view text);

// Reads the `web` key; errors name `source` and the key path.
Result<void> read_web(json::Field field, WebConfig& out, std::string_view source);
// Back to JSON for `ik config` (into `arena`'s storage).
json::value web_to_json(const WebConfig& web, mem::Arena& arena);

} // namespace ik::config
