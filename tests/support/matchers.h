// GoogleTest helpers for ik::Result, in the style of Abseil's IsOk():
//
//   EXPECT_THAT(load(path), IsOk());
//   EXPECT_THAT(load(bad), HasError(ik::ErrorCode::parse));
//   EXPECT_THAT(load(bad), HasErrorMessage(testing::HasSubstr("line 3")));
#pragma once

#include <ostream>

#include <gmock/gmock.h>

#include "core/result.h"

namespace ik {

// GoogleTest prints values it cannot format as raw bytes, padding included
// (valgrind rightly calls that a read of uninitialised memory): say what a
// Result holds instead.
template <typename T> void PrintTo(const Result<T>& r, std::ostream* os)
{
    if (r.has_value())
        *os << "ok";
    else
        *os << "error: " << r.error().to_string();
}

} // namespace ik

namespace ik::testing {

MATCHER(IsOk, "is ok")
{
    if (arg.has_value())
        return true;
    *result_listener << "error: " << arg.error().to_string();
    return false;
}

MATCHER_P(HasError, code, "fails with " + std::string(::ik::to_string(code)))
{
    if (arg.has_value()) {
        *result_listener << "succeeded";
        return false;
    }
    *result_listener << "error: " << ::ik::to_string(arg.error().code()) << ": " << arg.error().to_string();
    return arg.error().code() == code;
}

MATCHER_P(HasErrorMessage, matcher, "fails with a message that " + ::testing::DescribeMatcher<std::string>(matcher))
{
    if (arg.has_value()) {
        *result_listener << "succeeded";
        return false;
    }
    return ::testing::ExplainMatchResult(matcher, arg.error().to_string(), result_listener);
}

} // namespace ik::testing
