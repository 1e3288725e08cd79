#include "web/address_policy.h"

#include <algorithm>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace ik::web {

namespace {

bool in_v4(uint32_t a, uint32_t net, int bits)
{
    uint32_t mask = bits == 0 ? 0 : ~uint32_t{ 0 } << (32 - bits);
    return (a & mask) == (net & mask);
}

uint32_t v4_at(const std::array<uint8_t, 16>& b, size_t i)
{
    return (uint32_t{ b[i] } << 24) | (uint32_t{ b[i + 1] } << 16) | (uint32_t{ b[i + 2] } << 8) | b[i + 3];
}

bool all_zero(const std::array<uint8_t, 16>& b, size_t from, size_t to)
{
    return std::all_of(
        b.begin() + static_cast<long>(from), b.begin() + static_cast<long>(to), [](uint8_t x) { return x == 0; });
}

bool iequal(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        return lower(x) == lower(y);
    });
}

} // namespace

AddressClass classify_v4(uint32_t a)
{
    if (in_v4(a, 0x00000000, 8))
        return AddressClass::unspecified;
    if (in_v4(a, 0x7f000000, 8))
        return AddressClass::loopback;
    if (in_v4(a, 0x0a000000, 8) || in_v4(a, 0xac100000, 12) || in_v4(a, 0xc0a80000, 16) || in_v4(a, 0x64400000, 10))
        return AddressClass::private_net;
    if (in_v4(a, 0xa9fe0000, 16))
        return AddressClass::link_local;
    if (in_v4(a, 0xe0000000, 4))
        return AddressClass::multicast;
    if (in_v4(a, 0xf0000000, 4)) // 240/4 and the broadcast address
        return AddressClass::reserved;
    return AddressClass::global;
}

AddressClass classify_v6(const std::array<uint8_t, 16>& b)
{
    if (all_zero(b, 0, 16))
        return AddressClass::unspecified;
    if (all_zero(b, 0, 15) && b[15] == 1)
        return AddressClass::loopback;
    // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (the deprecated compatible form).
    if (all_zero(b, 0, 10) && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)))
        return classify_v4(v4_at(b, 12));
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address inside.
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && all_zero(b, 4, 12))
        return classify_v4(v4_at(b, 12));
    if (b[0] == 0x20 && b[1] == 0x02)
        return classify_v4(v4_at(b, 2));
    if ((b[0] & 0xfe) == 0xfc)
        return AddressClass::private_net;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return AddressClass::link_local;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) // site-local, deprecated but still routed inside sites
        return AddressClass::private_net;
    if (b[0] == 0xff)
        return AddressClass::multicast;
    return AddressClass::global;
}

AddressClass classify(const sockaddr* address)
{
    if (!address)
        return AddressClass::reserved;
    if (address->sa_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, address, sizeof in);
        return classify_v4(ntohl(in.sin_addr.s_addr));
    }
    if (address->sa_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, address, sizeof in6);
        std::array<uint8_t, 16> b{};
        std::memcpy(b.data(), &in6.sin6_addr, b.size());
        return classify_v6(b);
    }
    return AddressClass::reserved;
}

std::string_view describe(AddressClass c)
{
    switch (c) {
    case AddressClass::global:
        return "public";
    case AddressClass::loopback:
        return "loopback";
    case AddressClass::private_net:
        return "private";
    case AddressClass::link_local:
        return "link-local";
    case AddressClass::unspecified:
        return "unspecified";
    case AddressClass::multicast:
        return "multicast";
    case AddressClass::reserved:
        return "reserved";
    }
    return "reserved";
}

std::string address_text(const sockaddr* address)
{
    char buf[INET6_ADDRSTRLEN] = {};
    if (address && address->sa_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, address, sizeof in);
        if (inet_ntop(AF_INET, &in.sin_addr, buf, sizeof buf))
            return buf;
    } else if (address && address->sa_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, address, sizeof in6);
        if (inet_ntop(AF_INET6, &in6.sin6_addr, buf, sizeof buf))
            return buf;
    }
    return "?";
}

bool host_allowed(const std::vector<AllowedHost>& allowed, std::string_view host, uint16_t port)
{
    return std::any_of(allowed.begin(), allowed.end(),
        [&](const AllowedHost& a) { return iequal(a.host, host) && (a.port == 0 || a.port == port); });
}

} // namespace ik::web
