// The address classifier web_fetch checks every connection with, and the
// allow list that overrides it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include "web/address_policy.h"

using namespace ik::web;

namespace {

AddressClass v4(const char* text)
{
    in_addr a{};
    EXPECT_EQ(inet_pton(AF_INET, text, &a), 1) << text;
    return classify_v4(ntohl(a.s_addr));
}

AddressClass v6(const char* text)
{
    std::array<uint8_t, 16> b{};
    EXPECT_EQ(inet_pton(AF_INET6, text, b.data()), 1) << text;
    return classify_v6(b);
}

TEST(AddressPolicy, ClassifiesIPv4)
{
    EXPECT_EQ(v4("93.184.216.34"), AddressClass::global);
    EXPECT_EQ(v4("8.8.8.8"), AddressClass::global);
    EXPECT_EQ(v4("127.0.0.1"), AddressClass::loopback);
    EXPECT_EQ(v4("127.255.255.254"), AddressClass::loopback);
    EXPECT_EQ(v4("10.1.2.3"), AddressClass::private_net);
    EXPECT_EQ(v4("172.16.0.1"), AddressClass::private_net);
    EXPECT_EQ(v4("172.31.255.255"), AddressClass::private_net);
    EXPECT_EQ(v4("172.32.0.1"), AddressClass::global);
    EXPECT_EQ(v4("172.15.255.255"), AddressClass::global);
    EXPECT_EQ(v4("192.168.1.1"), AddressClass::private_net);
    EXPECT_EQ(v4("100.64.0.1"), AddressClass::private_net);
    EXPECT_EQ(v4("169.254.169.254"), AddressClass::link_local); // cloud metadata
    EXPECT_EQ(v4("0.0.0.0"), AddressClass::unspecified);
    EXPECT_EQ(v4("0.1.2.3"), AddressClass::unspecified);
    EXPECT_EQ(v4("224.0.0.1"), AddressClass::multicast);
    EXPECT_EQ(v4("239.255.255.250"), AddressClass::multicast);
    EXPECT_EQ(v4("240.0.0.1"), AddressClass::reserved);
    EXPECT_EQ(v4("255.255.255.255"), AddressClass::reserved);
}

TEST(AddressPolicy, ClassifiesIPv6)
{
    EXPECT_EQ(v6("2606:2800:220:1:248:1893:25c8:1946"), AddressClass::global);
    EXPECT_EQ(v6("::1"), AddressClass::loopback);
    EXPECT_EQ(v6("::"), AddressClass::unspecified);
    EXPECT_EQ(v6("fc00::1"), AddressClass::private_net);
    EXPECT_EQ(v6("fd12:3456::1"), AddressClass::private_net);
    EXPECT_EQ(v6("fe80::1"), AddressClass::link_local);
    EXPECT_EQ(v6("febf::1"), AddressClass::link_local);
    EXPECT_EQ(v6("fec0::1"), AddressClass::private_net);
    EXPECT_EQ(v6("ff02::1"), AddressClass::multicast);
}

TEST(AddressPolicy, IPv6FormsCarryingIPv4AreJudgedByTheIPv4Inside)
{
    EXPECT_EQ(v6("::ffff:127.0.0.1"), AddressClass::loopback);
    EXPECT_EQ(v6("::ffff:10.0.0.1"), AddressClass::private_net);
    EXPECT_EQ(v6("::ffff:169.254.169.254"), AddressClass::link_local);
    EXPECT_EQ(v6("::ffff:8.8.8.8"), AddressClass::global);
    EXPECT_EQ(v6("::127.0.0.1"), AddressClass::loopback); // v4-compatible
    EXPECT_EQ(v6("64:ff9b::192.168.0.1"), AddressClass::private_net); // NAT64
    EXPECT_EQ(v6("64:ff9b::8.8.8.8"), AddressClass::global);
    EXPECT_EQ(v6("2002:7f00:1::"), AddressClass::loopback); // 6to4 of 127.0.0.1
    EXPECT_EQ(v6("2002:0808:0808::"), AddressClass::global);
}

TEST(AddressPolicy, ClassifiesSocketAddresses)
{
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(0x7f000001);
    EXPECT_EQ(classify(reinterpret_cast<const sockaddr*>(&in)), AddressClass::loopback);
    EXPECT_EQ(address_text(reinterpret_cast<const sockaddr*>(&in)), "127.0.0.1");
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    ASSERT_EQ(inet_pton(AF_INET6, "::ffff:192.168.0.1", &in6.sin6_addr), 1);
    EXPECT_EQ(classify(reinterpret_cast<const sockaddr*>(&in6)), AddressClass::private_net);
    EXPECT_EQ(address_text(reinterpret_cast<const sockaddr*>(&in6)), "::ffff:192.168.0.1");
    sockaddr unix_like{};
    unix_like.sa_family = AF_UNIX;
    EXPECT_EQ(classify(&unix_like), AddressClass::reserved);
    EXPECT_EQ(classify(nullptr), AddressClass::reserved);
}

TEST(AddressPolicy, AllowListMatchesHostAndPort)
{
    std::vector<AllowedHost> allowed{ { "localhost", 8080 }, { "docs.internal", 0 }, { "::1", 0 } };
    EXPECT_TRUE(host_allowed(allowed, "localhost", 8080));
    EXPECT_TRUE(host_allowed(allowed, "LOCALHOST", 8080));
    EXPECT_FALSE(host_allowed(allowed, "localhost", 8081));
    EXPECT_FALSE(host_allowed(allowed, "127.0.0.1", 8080)); // names are not resolved
    EXPECT_TRUE(host_allowed(allowed, "docs.internal", 443));
    EXPECT_TRUE(host_allowed(allowed, "::1", 1234));
    EXPECT_FALSE(host_allowed(allowed, "docs.internal.evil.com", 443));
    EXPECT_FALSE(host_allowed({}, "localhost", 80));
}

} // namespace
