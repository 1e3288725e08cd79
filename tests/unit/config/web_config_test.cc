// The "web" section of config.json: web_fetch's allowed hosts and caps.
#include <gtest/gtest.h>

#include "config/config.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::config;
using ik::testing::HasError;
using ik::testing::HasErrorMessage;
using ik::testing::IsOk;
using ::testing::HasSubstr;

namespace {

TEST(WebConfig, DefaultsAndValues)
{
    Config c = defaults();
    EXPECT_TRUE(c.web.allow_hosts.empty());
    EXPECT_EQ(c.web.timeout_s, 30);
    EXPECT_EQ(c.web.max_bytes, 2 << 20);
    ASSERT_THAT(apply_file_text(c,
                    R"({"web": {"allow_hosts": ["LocalHost:8080", "docs.internal", "[::1]:9000", "fd00::5", "10.0.0.2"],
                                "timeout": 5, "max_bytes": 4096}})",
                    "config.json"),
        IsOk());
    ASSERT_EQ(c.web.allow_hosts.size(), 5u);
    EXPECT_EQ(c.web.allow_hosts[0].host, "localhost");
    EXPECT_EQ(c.web.allow_hosts[0].port, 8080);
    EXPECT_EQ(c.web.allow_hosts[0].text, "LocalHost:8080");
    EXPECT_EQ(c.web.allow_hosts[1].host, "docs.internal");
    EXPECT_EQ(c.web.allow_hosts[1].port, 0);
    EXPECT_EQ(c.web.allow_hosts[2].host, "::1");
    EXPECT_EQ(c.web.allow_hosts[2].port, 9000);
    EXPECT_EQ(c.web.allow_hosts[3].host, "fd00::5");
    EXPECT_EQ(c.web.allow_hosts[3].port, 0);
    EXPECT_EQ(c.web.allow_hosts[4].host, "10.0.0.2");
    EXPECT_EQ(c.web.timeout_s, 5);
    EXPECT_EQ(c.web.max_bytes, 4096);
    EXPECT_THAT(to_json(c), HasSubstr(R"("web": {"allow_hosts":["LocalHost:8080")"));
}

TEST(WebConfig, RejectsWhatCannotBeRight)
{
    for (const char* text : {
             R"({"web": {"allow_hosts": "localhost"}})",
             R"({"web": {"allow_hosts": [1]}})",
             R"({"web": {"allow_hosts": ["http://localhost"]}})",
             R"({"web": {"allow_hosts": ["localhost/x"]}})",
             R"({"web": {"allow_hosts": ["*.example.com"]}})",
             R"({"web": {"allow_hosts": ["localhost:0"]}})",
             R"({"web": {"allow_hosts": ["localhost:65536"]}})",
             R"({"web": {"allow_hosts": ["localhost:80x"]}})",
             R"({"web": {"allow_hosts": [""]}})",
             R"({"web": {"allow_hosts": ["[::1"]}})",
             R"({"web": {"allow_hosts": ["[::1]x"]}})",
             R"({"web": {"allow_hosts": ["[example.com]"]}})",
             R"({"web": {"allow_hosts": ["exa mple.com"]}})",
             R"({"web": {"timeout": 0}})",
             R"({"web": {"timeout": 601}})",
             R"({"web": {"max_bytes": 10}})",
             R"({"web": {"max_bytes": 1e12}})",
             R"({"web": {"timeout_s": 5}})",
             R"({"web": []})",
         }) {
        Config c = defaults();
        EXPECT_THAT(apply_file_text(c, text, "config.json"), HasError(ErrorCode::config)) << text;
    }
    Config c = defaults();
    EXPECT_THAT(apply_file_text(c, R"({"web": {"allow_hosts": ["ok.com", "https://x.com"]}})", "config.json"),
        HasErrorMessage(HasSubstr("web.allow_hosts[1]: 'https://x.com': write the host without a scheme")));
    EXPECT_THAT(apply_file_text(c, R"({"web": {"timout": 5}})", "config.json"),
        HasErrorMessage(HasSubstr("did you mean 'timeout'")));
}

TEST(WebConfig, SearchIsOffByDefaultAndBounded)
{
    Config c = defaults();
    EXPECT_FALSE(c.web.search);
    EXPECT_EQ(c.web.search_max_uses, 5);
    ASSERT_THAT(apply_file_text(c, R"({"web": {"search": true, "search_max_uses": 2}})", "config.json"), IsOk());
    EXPECT_TRUE(c.web.search);
    EXPECT_EQ(c.web.search_max_uses, 2);
    EXPECT_THAT(to_json(c), HasSubstr(R"("search":true,"search_max_uses":2)"));
    for (std::string_view text : { R"({"web": {"search": "yes"}})", R"({"web": {"search_max_uses": 0}})",
             R"({"web": {"search_max_uses": 21}})" }) {
        Config d = defaults();
        EXPECT_THAT(apply_file_text(d, text, "config.json"), HasError(ErrorCode::config)) << text;
    }
    Config d = defaults();
    EXPECT_THAT(apply_file_text(d, R"({"web": {"serch": true}})", "config.json"),
        HasErrorMessage(HasSubstr("did you mean 'search'")));
}

} // namespace
