#include <memory>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "core/result.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::testing;
using ::testing::HasSubstr;

namespace {

Result<int> parse_digit(char c)
{
    if (c < '0' || c > '9')
        return fail(ErrorCode::parse, "'{}' is not a digit", c);
    return c - '0';
}

Result<int> sum_digits(std::string_view s)
{
    int total = 0;
    for (char c : s)
        total += TRY(parse_digit(c));
    return total;
}

Result<void> check_config(std::string_view s)
{
    TRY_CONTEXT(sum_digits(s), "while reading {}", "config.json");
    return {};
}

Result<std::unique_ptr<int>> make_owned(bool ok)
{
    if (!ok)
        return fail(ErrorCode::not_found, "nothing");
    return std::make_unique<int>(5);
}

Result<int> use_owned(bool ok)
{
    std::unique_ptr<int> p = TRY(make_owned(ok));
    return *p;
}

Result<void> nothing(bool ok)
{
    if (!ok)
        return fail(ErrorCode::io, "disk on fire");
    return {};
}

Result<int> after_nothing(bool ok)
{
    TRY(nothing(ok));
    return 1;
}

// Library exceptions are caught at the boundary and turned into errors.
Result<int> boundary(const std::string& s)
{
    try {
        return std::stoi(s);
    } catch (const std::exception& e) {
        return fail(ErrorCode::invalid_argument, "'{}' is not a number ({})", s, e.what());
    }
}

} // namespace

TEST(Result, TryYieldsValues)
{
    EXPECT_EQ(*sum_digits("123"), 6);
}

TEST(Result, TryPropagatesTheFirstError)
{
    auto r = sum_digits("12x4");
    ASSERT_THAT(r, HasError(ErrorCode::parse));
    EXPECT_EQ(r.error().message(), "'x' is not a digit");
}

TEST(Result, ContextChainReadsOutermostFirst)
{
    auto r = check_config("1a");
    ASSERT_THAT(r, HasError(ErrorCode::parse));
    EXPECT_EQ(r.error().to_string(), "while reading config.json: 'a' is not a digit");
    ASSERT_EQ(r.error().context().size(), 1u);
}

TEST(Result, MoveOnlyValuesPassThroughTry)
{
    EXPECT_EQ(*use_owned(true), 5);
    EXPECT_THAT(use_owned(false), HasError(ErrorCode::not_found));
}

TEST(Result, VoidResults)
{
    EXPECT_THAT(after_nothing(true), IsOk());
    EXPECT_THAT(after_nothing(false), HasErrorMessage(HasSubstr("disk on fire")));
}

TEST(Result, ExceptionsBecomeErrorsAtTheBoundary)
{
    EXPECT_EQ(*boundary("42"), 42);
    EXPECT_THAT(boundary("forty"), HasError(ErrorCode::invalid_argument));
}

TEST(Result, ValueOr)
{
    EXPECT_EQ(parse_digit('x').value_or(-1), -1);
    EXPECT_EQ(parse_digit('3').value_or(-1), 3);
}

TEST(Error, EveryCodeHasAName)
{
    for (int c = 0; c <= static_cast<int>(ErrorCode::internal); ++c)
        EXPECT_NE(to_string(static_cast<ErrorCode>(c)), "unknown error");
}
