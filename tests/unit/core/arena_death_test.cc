#include <cstdlib>
#include <new>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/panic.h"

namespace {

int g_hook_runs = 0;
void restore_hook(void*)
{
    // Hooks run before the message: prove it by writing a marker first.
    static const char marker[] = "hook ran\n";
    (void)!write(2, marker, sizeof marker - 1);
    ++g_hook_runs;
}

} // namespace

TEST(PanicDeathTest, PanicRunsHooksWritesMessageAndAborts)
{
    EXPECT_DEATH(
        {
            ik::register_panic_hook(&restore_hook, nullptr);
            ik::panic("the sky fell");
        },
        "hook ran\nik: panic: the sky fell");
}

TEST(PanicDeathTest, TheInstalledNewHandlerPanicsWithOutOfMemory)
{
    EXPECT_DEATH(
        {
            ik::install_out_of_memory_handler();
            std::get_new_handler()();
        },
        "ik: panic: out of memory");
}

TEST(PanicDeathTest, FailedOperatorNewPanicsWithOutOfMemory)
{
    // ASan and valgrind replace operator new and never call the handler;
    // the plain builds (release, and the test above everywhere) cover it.
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "ASan's operator new does not call the new_handler";
#endif
    if (std::getenv("IK_UNDER_VALGRIND"))
        GTEST_SKIP() << "valgrind's operator new does not call the new_handler";
    EXPECT_DEATH(
        {
            ik::install_out_of_memory_handler();
            // More than the address space: malloc must fail.
            std::vector<char> huge;
            huge.reserve(size_t(1) << 62);
        },
        "ik: panic: out of memory");
}

TEST(PanicDeathTest, ArenaUpstreamFailurePanics)
{
    EXPECT_DEATH(
        {
            ik::mem::Arena a("huge");
            a.alloc(size_t(1) << 62);
        },
        "ik: panic: out of memory");
}

TEST(PanicDeathTest, AssertionNamesExpressionAndLocation)
{
    EXPECT_DEATH(IK_ASSERT(1 + 1 == 3, "arithmetic broke"),
        "assertion failed: 1 \\+ 1 == 3 .*arena_death_test.cc:[0-9]+.*arithmetic broke");
}

TEST(PanicDeathTest, ScopeOwnedChildOutlivingItsParentIsCaught)
{
    EXPECT_DEATH(
        {
            alignas(ik::mem::Arena) unsigned char storage[sizeof(ik::mem::Arena)];
            auto* parent = ::new (storage) ik::mem::Arena("parent");
            ik::mem::Arena child(*parent, "child");
            parent->~Arena();
        },
        "a scope-owned arena outlived its parent");
}

TEST(PanicDeathTest, DestroyOnAScopeOwnedArenaIsCaught)
{
    EXPECT_DEATH(
        {
            ik::mem::Arena a("root");
            ik::mem::Arena child(a, "child");
            child.destroy();
        },
        "destroy\\(\\) is for arenas made by make_child");
}
