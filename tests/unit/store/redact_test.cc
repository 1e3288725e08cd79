// Passwords out of every form of PostgreSQL connection string.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/internal/redact.h"

namespace ik::store::internal {
namespace {

TEST(Redact, UriUserInfo)
{
    EXPECT_EQ(redact_url("postgresql://ik:secret@db.example:5432/ik"), "postgresql://ik:***@db.example:5432/ik");
    EXPECT_EQ(redact_url("postgres://ik@db/ik"), "postgres://ik@db/ik");
    EXPECT_EQ(redact_url("postgresql://db/ik"), "postgresql://db/ik");
}

TEST(Redact, UriPasswordWithAnAt)
{
    EXPECT_EQ(redact_url("postgresql://ik:p@ss@w0rd@db:5432/ik"), "postgresql://ik:***@db:5432/ik");
    EXPECT_EQ(escape_password_at("postgresql://ik:p@ss@db:5432/ik"), "postgresql://ik:p%40ss@db:5432/ik");
    EXPECT_EQ(escape_password_at("postgresql://ik:pass@db/ik"), "postgresql://ik:pass@db/ik");
    EXPECT_EQ(escape_password_at("host=db password=a@b"), "host=db password=a@b");
}

TEST(Redact, UriOptions)
{
    EXPECT_EQ(redact_url("postgresql://ik@db/ik?sslmode=require&password=s3cret&application_name=x"),
        "postgresql://ik@db/ik?sslmode=require&password=***&application_name=x");
    EXPECT_EQ(redact_url("postgresql://ik@db/ik?PASSWORD=s3cret"), "postgresql://ik@db/ik?PASSWORD=***");
}

TEST(Redact, ConninfoInEveryQuoting)
{
    EXPECT_EQ(redact_url("host=db password=secret user=ik"), "host=db password=*** user=ik");
    EXPECT_EQ(redact_url("host=db password = secret user=ik"), "host=db password = *** user=ik");
    EXPECT_EQ(redact_url("host=db password='with spaces' user=ik"), "host=db password=*** user=ik");
    EXPECT_EQ(redact_url(R"(host=db password='it\'s \\ odd' user=ik)"), "host=db password=*** user=ik");
    EXPECT_EQ(redact_url("password=first host=db"), "password=*** host=db");
    EXPECT_EQ(redact_url("host=db password="), "host=db password=***");
    EXPECT_EQ(redact_url("host=db user=ik"), "host=db user=ik");
}

TEST(Redact, HostileInputNeverThrowsOrLeaks)
{
    EXPECT_EQ(redact_url("password='unterminated secret"), "password=***");
    EXPECT_EQ(redact_url("password=trailing\\"), "password=***");
    EXPECT_EQ(redact_url("="), "=");
    EXPECT_EQ(redact_url(""), "");
    EXPECT_TRUE(has_password("host=db password = x"));
    EXPECT_TRUE(has_password("postgresql://u:x@db/ik"));
    EXPECT_FALSE(has_password("postgresql://u@db/ik"));
    EXPECT_FALSE(has_password("host=db password="));
}

} // namespace
} // namespace ik::store::internal
