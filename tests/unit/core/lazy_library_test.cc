#include <cstring>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "core/lazy_library.h"

// Declared, never defined: a function no library has.
extern "C" int ik_test_function_no_library_has(void);

namespace {

using ::testing::HasSubstr;

#define IK_TEST_LIBC_FUNCTIONS(X) X(strlen) X(getpid)
IK_LAZY_API(LibcApi, IK_TEST_LIBC_FUNCTIONS)

#define IK_TEST_MISSING_FUNCTIONS(X) X(strlen) X(ik_test_function_no_library_has)
IK_LAZY_API(MissingApi, IK_TEST_MISSING_FUNCTIONS)

TEST(LazyLibrary, OpensBySonameAndResolvesEveryFunction)
{
    ik::LazyLibrary<LibcApi> libc("libc.so.6", "the test");
    ASSERT_TRUE(libc.loaded());
    EXPECT_TRUE(libc.ensure().has_value());
    EXPECT_EQ(libc.api().strlen("four"), 4u);
    EXPECT_EQ(libc.api().getpid(), ::getpid());
    EXPECT_EQ(libc.api().getpid, &::getpid) << "the process's own libc, not a second copy";
}

TEST(LazyLibrary, AMissingLibraryIsAnErrorNamingWhatNeedsIt)
{
    ik::LazyLibrary<LibcApi> none("libik-no-such-library.so.7", "the test's feature");
    EXPECT_FALSE(none.loaded());
    auto r = none.ensure();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), ik::ErrorCode::io);
    EXPECT_THAT(r.error().message(), HasSubstr("the test's feature needs libik-no-such-library.so.7: "));
    EXPECT_THAT(r.error().message(), HasSubstr("cannot open shared object file")) << "dlopen's reason";
}

TEST(LazyLibrary, AMissingFunctionIsAnErrorNamingIt)
{
    ik::LazyLibrary<MissingApi> libc("libc.so.6", "the test");
    EXPECT_FALSE(libc.loaded());
    auto r = libc.ensure();
    ASSERT_FALSE(r.has_value());
    EXPECT_THAT(r.error().message(),
        HasSubstr("libc.so.6 has no ik_test_function_no_library_has (another version than ik was built with)"));
}

TEST(LazyLibraryDeathTest, UsingALibraryThatCouldNotBeOpenedPanics)
{
    EXPECT_DEATH(
        {
            ik::LazyLibrary<LibcApi> none("libik-no-such-library.so.7", "the test's feature");
            (void)none.api();
        },
        "ik: panic: the test's feature needs libik-no-such-library.so.7: ");
}

} // namespace
