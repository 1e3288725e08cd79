// One page fetch for web_fetch: libcurl on ik's loop (net/http_multi.h),
// http and https only, redirects followed here hop by hop (at most
// max_redirects), the body capped at max_bytes and the whole fetch, all hops,
// at `timeout`.
//
// Every connection curl opens goes through an open-socket callback that sees
// the address it is about to connect to, after DNS: a loopback, private,
// link-local or otherwise non-public address is refused (address_policy.h)
// unless the hop's host is in allow_hosts. Following redirects here rather
// than in curl is what lets the check know each hop's host, and say which hop
// was refused. Proxies are never used (the http_proxy/https_proxy variables
// are ignored): through a proxy, the address check would see only the proxy.
//
// A body over max_bytes is cut there (FetchResult::truncated) rather than
// failing. A body whose declared Content-Type is binary is refused at its
// first bytes, without downloading the rest.
//
//   auto f = Fetch::start(loop, settings, "https://example.com/",
//                         [](Result<FetchResult> r) { ... });  // later, from the loop
//
// Owns its curl handles and the body (heap: one page, capped). Borrows the
// loop. Destroying a Fetch cancels it; `done` is then never called.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/loop.h"
#include "core/result.h"
#include "web/address_policy.h"

namespace ik::web {

inline constexpr size_t default_max_bytes = size_t{ 2 } << 20;
inline constexpr int64_t default_timeout_s = 30;

struct FetchSettings {
    std::vector<AllowedHost> allow_hosts{}; // web.allow_hosts
    std::chrono::milliseconds timeout{ default_timeout_s * 1000 }; // web.timeout
    size_t max_bytes = default_max_bytes; // web.max_bytes: raw body kept
    int max_redirects = 5;
};

struct FetchResult {
    std::string url; // the final URL, after redirects
    long status = 0; // the final HTTP status (any: the caller judges 4xx/5xx)
    std::string content_type; // as the server sent it; may be empty
    std::string body; // at most max_bytes, as received (decompressed)
    bool truncated = false; // the body was longer than max_bytes
    int redirects = 0;
};

class Fetch {
public:
    using Done = std::function<void(Result<FetchResult>)>;

    // Errors (delivered through `done`): invalid_argument (not an http(s)
    // URL, a redirect to one), denied (a refused address, naming it, its
    // kind and web.allow_hosts), timeout, network, and invalid_argument for
    // a binary Content-Type (naming it).
    static std::unique_ptr<Fetch> start(Loop& loop, FetchSettings settings, std::string_view url, Done done);

    virtual ~Fetch() = default;
    Fetch(const Fetch&) = delete;
    Fetch& operator=(const Fetch&) = delete;

protected:
    Fetch() = default;
};

} // namespace ik::web
