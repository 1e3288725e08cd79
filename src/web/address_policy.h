// Which addresses web_fetch may connect to (docs/extensions.md, "web_fetch").
//
// A page the model asks for must not become a way into the user's own
// machine or network: loopback, private (RFC 1918, CGNAT, fc00::/7),
// link-local, unspecified, multicast and reserved addresses are refused
// unless the host of the request is listed in web.allow_hosts. The check
// runs on the address curl is about to connect to (fetch.cc's open-socket
// callback), for every hop, so a name that resolves differently between a
// check and the connection (DNS rebinding) gains nothing.
//
// IPv6 forms that carry an IPv4 address (v4-mapped ::ffff:a.b.c.d,
// v4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by
// the IPv4 address inside.
//
// Plain values; nothing here allocates except the strings it returns.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct sockaddr;

namespace ik::web {

enum class AddressClass : uint8_t {
    global, // an ordinary public address: allowed
    loopback, // 127/8, ::1
    private_net, // 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10
    link_local, // 169.254/16, fe80::/10
    unspecified, // 0/8, ::
    multicast, // 224/4, ff00::/8
    reserved, // 240/4, 255.255.255.255, unparseable
};

// The address in host byte order (0x7f000001 is 127.0.0.1).
AddressClass classify_v4(uint32_t address);
// The 16 bytes in network order.
AddressClass classify_v6(const std::array<uint8_t, 16>& address);
// An AF_INET or AF_INET6 socket address; anything else is reserved.
AddressClass classify(const sockaddr* address);
// "loopback", "private", …: for messages.
std::string_view describe(AddressClass c);

// The numeric form of a socket address ("127.0.0.1", "::1"), for messages.
std::string address_text(const sockaddr* address);

// One entry of web.allow_hosts: a host name or literal address (lower case,
// IPv6 without brackets), and a port or 0 for any port.
struct AllowedHost {
    std::string host;
    uint16_t port = 0;
};

// Is the request to `host`:`port` (the URL's host, lower case, IPv6 without
// brackets; the effective port) allowed to reach any address?
bool host_allowed(const std::vector<AllowedHost>& allowed, std::string_view host, uint16_t port);

} // namespace ik::web
