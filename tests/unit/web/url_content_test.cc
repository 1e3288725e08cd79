// URLs (http and https only, resolved by curl's parser), what a body is
// from its Content-Type, and the text clean-up every page goes through.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/matchers.h"
#include "web/content_type.h"
#include "web/text_clean.h"
#include "web/url.h"

using namespace ik;
using namespace ik::web;
using ik::testing::HasError;
using ik::testing::IsOk;

namespace {

TEST(Url, ParsesHttpAndHttpsOnly)
{
    auto u = parse_url("HTTP://Example.COM/a?b=c");
    ASSERT_THAT(u, IsOk());
    EXPECT_EQ(u->scheme, "http");
    EXPECT_EQ(u->host, "example.com");
    EXPECT_EQ(u->port, 80);
    auto s = parse_url("https://[::1]:8443/x");
    ASSERT_THAT(s, IsOk());
    EXPECT_EQ(s->host, "::1");
    EXPECT_EQ(s->port, 8443);
    EXPECT_EQ(parse_url("https://example.com")->port, 443);
    for (const char* bad : { "file:///etc/passwd", "ftp://example.com/", "gopher://x/", "example.com",
             "javascript:alert(1)", "http://", "", "http://exa mple.com/\r\nX: y" })
        EXPECT_THAT(parse_url(bad), HasError(ErrorCode::invalid_argument)) << bad;
    EXPECT_THAT(
        parse_url("https://example.com/" + std::string(max_url_bytes, 'a')), HasError(ErrorCode::invalid_argument));
}

TEST(Url, ResolvesReferences)
{
    EXPECT_EQ(resolve_url("https://a.com/x/y.html", "z.html"), "https://a.com/x/z.html");
    EXPECT_EQ(resolve_url("https://a.com/x/y.html", "/root"), "https://a.com/root");
    EXPECT_EQ(resolve_url("https://a.com/x/", "//b.org/p"), "https://b.org/p");
    EXPECT_EQ(resolve_url("https://a.com/", "mailto:x@y.z"), std::nullopt);
    EXPECT_EQ(resolve_url("https://a.com/", "javascript:void(0)"), std::nullopt);
    EXPECT_EQ(resolve_url("https://a.com/", "data:text/html,hi"), std::nullopt);
    EXPECT_EQ(resolve_url("https://a.com/", ""), std::nullopt);
}

TEST(ContentType, DecidesHtmlTextOrBinary)
{
    EXPECT_EQ(body_kind("text/html; charset=utf-8", ""), BodyKind::html);
    EXPECT_EQ(body_kind("Application/XHTML+XML", ""), BodyKind::html);
    EXPECT_EQ(body_kind("text/plain", ""), BodyKind::text);
    EXPECT_EQ(body_kind("text/markdown", ""), BodyKind::text);
    EXPECT_EQ(body_kind("application/json", ""), BodyKind::text);
    EXPECT_EQ(body_kind("application/problem+json", ""), BodyKind::text);
    EXPECT_EQ(body_kind("application/rss+xml", ""), BodyKind::text);
    EXPECT_EQ(body_kind("image/png", "<html>"), BodyKind::binary);
    EXPECT_EQ(body_kind("application/pdf", ""), BodyKind::binary);
    EXPECT_EQ(body_kind("", "<!DOCTYPE html><html>"), BodyKind::html);
    EXPECT_EQ(body_kind("application/octet-stream", std::string("PK\3\4\0\0", 6)), BodyKind::binary);
    EXPECT_EQ(body_kind("", "just words"), BodyKind::text);
    EXPECT_EQ(media_type(" Text/HTML ; charset=UTF-8"), "text/html");
}

TEST(ContentType, Latin1IsConverted)
{
    EXPECT_EQ(to_utf8("caf\xe9", "text/plain; charset=ISO-8859-1"), "caf\xc3\xa9");
    EXPECT_EQ(to_utf8("caf\xe9", "text/plain; charset=\"windows-1252\""), "caf\xc3\xa9");
    EXPECT_EQ(to_utf8("caf\xc3\xa9", "text/plain; charset=utf-8"), "caf\xc3\xa9");
}

TEST(TextClean, RemovesControlsKeepsText)
{
    EXPECT_EQ(clean_text("a\x1b[31mb\r\nc\td\x7f\x01"), "a[31mb\nc\td");
    EXPECT_EQ(clean_text("x\xc2\x9b"
                         "1m\xc2\xa0y"),
        "x1m\xc2\xa0y"); // C1 CSI gone, NBSP kept
    EXPECT_EQ(clean_text("\xe2\x80\xae"
                         "abc\xe2\x81\xa6"),
        "abc");
    EXPECT_EQ(clean_text("\xff"), "\xef\xbf\xbd");
    EXPECT_EQ(utf8_prefix("a\xc3\xa9", 2), "a");
    EXPECT_EQ(utf8_prefix("a\xc3\xa9", 3), "a\xc3\xa9");
}

} // namespace
