#include <cstdint>
#include <memory_resource>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/arena.h"
#include "support/matchers.h"

using ik::mem::Arena;
using ik::mem::Pressure;
using namespace ik::testing;

TEST(Arena, BumpAllocationsAreAlignedAndDistinct)
{
    Arena a("test");
    std::vector<uintptr_t> seen;
    for (size_t align : { 1u, 2u, 4u, 8u, 16u }) {
        for (int i = 0; i < 50; ++i) {
            auto p = reinterpret_cast<uintptr_t>(a.alloc(static_cast<size_t>(i % 7) + 1, align));
            EXPECT_EQ(p % align, 0u);
            seen.push_back(p);
        }
    }
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

struct alignas(64) CacheLine {
    char bytes[64];
};
struct alignas(256) Page {
    char bytes[256];
};

TEST(Arena, OverAlignedTypesAreAligned)
{
    Arena a("test");
    a.alloc(3, 1);
    auto* line = a.make<CacheLine>();
    EXPECT_EQ(reinterpret_cast<uintptr_t>(line) % 64, 0u);
    auto* page = a.make<Page>();
    EXPECT_EQ(reinterpret_cast<uintptr_t>(page) % 256, 0u);
    // Large and over-aligned: a dedicated block, still aligned.
    void* big = a.alloc(64 * 1024, 4096);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(big) % 4096, 0u);
    std::memset(big, 1, 64 * 1024);
}

TEST(Arena, StatsCountBytesPeakBlocksAndAllocations)
{
    Arena a("stats");
    EXPECT_EQ(a.stats().blocks, 0u);
    a.alloc(100);
    a.alloc(28);
    EXPECT_EQ(a.stats().bytes, 128u);
    EXPECT_EQ(a.stats().allocs, 2u);
    EXPECT_EQ(a.stats().blocks, 1u);
    EXPECT_GE(a.stats().reserved, 128u);
    a.reset();
    EXPECT_EQ(a.stats().bytes, 0u);
    EXPECT_EQ(a.stats().peak, 0u);
    EXPECT_EQ(a.stats().blocks, 1u) << "reset keeps the first block";
}

TEST(Arena, ResetKeepsFirstBlockSoSteadyStateNeedsNoUpstreamCalls)
{
    Arena a("scratch", { .block_size = 16 * 1024 });
    for (int i = 0; i < 100; ++i)
        a.alloc(64);
    a.reset();
    size_t calls = ik::mem::upstream_calls();
    for (int round = 0; round < 100; ++round) {
        for (int i = 0; i < 100; ++i)
            a.alloc(64);
        a.reset();
    }
    EXPECT_EQ(ik::mem::upstream_calls(), calls);
}

TEST(Arena, ResetAfterGrowthReleasesLaterBlocks)
{
    Arena a("grow", { .block_size = 1024 });
    for (int i = 0; i < 1000; ++i)
        a.alloc(100);
    EXPECT_GT(a.stats().blocks, 3u);
    size_t before = ik::mem::upstream_bytes();
    a.reset();
    EXPECT_EQ(a.stats().blocks, 1u);
    EXPECT_LT(ik::mem::upstream_bytes(), before);
}

TEST(Arena, ChildrenAreFreedWithTheirParent)
{
    size_t base = ik::mem::upstream_bytes();
    {
        Arena root("root");
        Arena& session = root.make_child("session");
        Arena& turn = session.make_child("turn");
        turn.alloc(5000);
        session.alloc(100);
        EXPECT_EQ(root.first_child(), &session);
        EXPECT_EQ(session.first_child(), &turn);
        EXPECT_EQ(turn.parent(), &session);
        EXPECT_GT(root.subtree_reserved(), 5000u);
        EXPECT_EQ(root.subtree_reserved(), ik::mem::upstream_bytes() - base);
    }
    EXPECT_EQ(ik::mem::upstream_bytes(), base);
}

TEST(Arena, DestroyingAChildEarlyUnlinksItAndReturnsItsBytes)
{
    Arena root("root");
    Arena& a = root.make_child("a");
    Arena& b = root.make_child("b");
    Arena& c = root.make_child("c");
    b.alloc(10000);
    size_t with_b = root.subtree_reserved();
    b.destroy();
    EXPECT_LT(root.subtree_reserved(), with_b);
    std::vector<std::string_view> names;
    for (Arena* x = root.first_child(); x; x = x->next_sibling())
        names.push_back(x->name());
    EXPECT_EQ(names, (std::vector<std::string_view>{ "c", "a" }));
    (void)a;
    (void)c;
}

TEST(Arena, ScopeOwnedChildUnlinksOnScopeExit)
{
    Arena root("root");
    {
        Arena scratch(root, "scratch");
        scratch.alloc(10);
        EXPECT_EQ(root.first_child(), &scratch);
    }
    EXPECT_EQ(root.first_child(), nullptr);
    EXPECT_EQ(root.subtree_reserved(), 0u);
}

TEST(Arena, ResetDestroysOwnedChildren)
{
    Arena root("root");
    root.make_child("turn").alloc(100);
    root.reset();
    EXPECT_EQ(root.first_child(), nullptr);
}

TEST(Arena, LargeAllocationsAreReturnedOnDeallocate)
{
    Arena a("large");
    size_t before = a.subtree_reserved();
    void* p = a.allocate(100000, 8);
    EXPECT_GT(a.subtree_reserved(), before + 100000);
    a.deallocate(p, 100000, 8);
    EXPECT_EQ(a.subtree_reserved(), before);
    EXPECT_EQ(a.stats().bytes, 0u);
}

TEST(Arena, PmrContainersAllocateInside)
{
    Arena a("pmr");
    std::pmr::vector<std::pmr::string> v(&a);
    for (int i = 0; i < 1000; ++i)
        v.emplace_back(std::string(40, 'x'));
    EXPECT_GT(a.stats().allocs, 1000u);
    EXPECT_EQ(std::string_view(v[999]), std::string(40, 'x'));
}

TEST(Arena, CopyMakesANulTerminatedCopy)
{
    Arena a("copy");
    std::string source = "hello";
    std::string_view c = a.copy(source);
    source[0] = 'j';
    EXPECT_EQ(c, "hello");
    EXPECT_EQ(c.data()[5], '\0');
}

TEST(Arena, CapRefusesCheckedGrowthWithAnError)
{
    Arena root("session", { .cap = 64 * 1024 });
    Arena& turn = root.make_child("turn");
    int refused = 0;
    for (int i = 0; i < 200; ++i) {
        auto r = turn.try_allocate(1000);
        if (!r) {
            EXPECT_EQ(r.error().code(), ik::ErrorCode::cap_exceeded);
            EXPECT_NE(r.error().message().find("session"), std::string::npos) << r.error().message();
            ++refused;
        }
    }
    EXPECT_GT(refused, 0);
    EXPECT_LE(root.subtree_reserved(), 64u * 1024);
    EXPECT_NE(root.pressure(), Pressure::normal);
}

TEST(Arena, PressureRisesAtEightyPercentAndOverTheCap)
{
    const size_t cap = 1024 * 1024;
    Arena a("capped", { .cap = cap, .block_size = 1024 });
    EXPECT_EQ(a.pressure(), Pressure::normal);
    while (a.pressure() == Pressure::normal) {
        EXPECT_LT(a.subtree_reserved() * 5, cap * 4);
        a.alloc(400);
    }
    EXPECT_GE(a.subtree_reserved() * 5, cap * 4);
    EXPECT_EQ(a.pressure(), Pressure::high);
    // The unchecked path never fails: it goes past the cap and says so.
    while (a.subtree_reserved() <= cap)
        a.alloc(400);
    EXPECT_EQ(a.pressure(), Pressure::over);
    a.reset();
    EXPECT_EQ(a.pressure(), Pressure::normal);
}

TEST(Arena, NamesAreTruncatedNotOverflowed)
{
    Arena a(std::string(100, 'n'));
    EXPECT_EQ(a.name().size(), Arena::max_name);
}

TEST(Arena, ProcessRootExists)
{
    Arena& r = ik::mem::root();
    EXPECT_EQ(r.name(), "ik");
    Arena& child = r.make_child("test");
    EXPECT_EQ(child.parent(), &r);
    child.destroy();
}

TEST(Arena, ImpossibleCheckedRequestsAreRefusedNotWrapped)
{
    // A size near SIZE_MAX plus the block header used to wrap around to a
    // tiny malloc and hand out a pointer past it.
    Arena a("huge");
    EXPECT_THAT(a.try_allocate(SIZE_MAX), HasError(ik::ErrorCode::invalid_argument));
    EXPECT_THAT(a.try_allocate(SIZE_MAX - 8, 16), HasError(ik::ErrorCode::invalid_argument));
    EXPECT_EQ(a.stats().reserved, 0u);
    EXPECT_EQ(a.stats().allocs, 0u);
}

TEST(Arena, LargeBlocksAreAccountedThroughDeallocateAndReset)
{
    Arena root("root");
    Arena& child = root.make_child("child");
    size_t base_child = child.stats().reserved;
    size_t base_root = root.subtree_reserved();
    void* big = child.allocate(10000, 8);
    EXPECT_EQ(child.stats().blocks, 2u);
    EXPECT_GE(child.stats().reserved, base_child + 10000);
    EXPECT_EQ(root.subtree_reserved(), base_root + child.stats().reserved - base_child);
    child.deallocate(big, 10000, 8);
    EXPECT_EQ(child.stats().reserved, base_child);
    EXPECT_EQ(child.stats().bytes, 0u);
    EXPECT_EQ(root.subtree_reserved(), base_root);

    child.alloc(10000);
    child.alloc(300);
    child.alloc(3000);
    child.reset();
    EXPECT_EQ(child.stats().reserved, base_child) << "reset keeps only the node's inline block";
    EXPECT_EQ(child.stats().blocks, 1u);
    EXPECT_EQ(root.subtree_reserved(), base_root);
    EXPECT_EQ(root.subtree_reserved(), root.subtree_stats().reserved);
}

TEST(Arena, SubtreeReservedEqualsSumOfNodesAndDropsToZero)
{
    size_t base = ik::mem::upstream_bytes();
    Arena root("root");
    {
        Arena scope(root, "scope");
        Arena& a = scope.make_child("a", { .block_size = 1024 });
        Arena& b = a.make_child("b");
        for (int i = 0; i < 200; ++i) {
            a.alloc(48);
            b.alloc(static_cast<size_t>(i) * 7 + 1, 8);
        }
        scope.alloc(100000);
        EXPECT_EQ(root.subtree_reserved(), root.subtree_stats().reserved);
        EXPECT_EQ(ik::mem::upstream_bytes() - base, root.subtree_reserved());
    }
    EXPECT_EQ(root.subtree_reserved(), 0u);
    EXPECT_EQ(ik::mem::upstream_bytes(), base);
}

TEST(Arena, OverAlignedAfterResetAndInChildInlineBlock)
{
    Arena root("root");
    Arena& child = root.make_child("child");
    for (int round = 0; round < 3; ++round) {
        child.alloc(1, 1);
        auto* line = child.make<CacheLine>();
        EXPECT_EQ(reinterpret_cast<uintptr_t>(line) % 64, 0u);
        void* p = child.alloc(600, 512); // bigger than the inline block's room
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 512, 0u);
        std::memset(p, 0, 600);
        child.reset();
    }
}

TEST(Arena, FreedBlocksAreReusedByTheNextArenaAndCanBeReleased)
{
    ik::mem::release_cached_blocks();
    size_t base = ik::mem::upstream_bytes();
    {
        Arena a("first", { .block_size = 1024 });
        for (int i = 0; i < 200; ++i)
            a.alloc(64);
    }
    EXPECT_EQ(ik::mem::upstream_bytes(), base) << "cached blocks are not held by any arena";
    EXPECT_GT(ik::mem::cached_block_bytes(), 0u);
    size_t calls = ik::mem::upstream_calls();
    {
        Arena b("second", { .block_size = 1024 });
        for (int i = 0; i < 200; ++i)
            b.alloc(64);
    }
    EXPECT_EQ(ik::mem::upstream_calls(), calls) << "the second arena's blocks all came from the cache";
    ik::mem::release_cached_blocks();
    EXPECT_EQ(ik::mem::cached_block_bytes(), 0u);
}

TEST(Arena, BlockCacheIsBounded)
{
    ik::mem::release_cached_blocks();
    {
        Arena a("big", { .block_size = 64 * 1024 });
        for (int i = 0; i < 3000; ++i)
            a.alloc(1024); // about 3 MiB in 64 KiB blocks
    }
    EXPECT_LE(ik::mem::cached_block_bytes(), size_t(1024 * 1024));
    ik::mem::release_cached_blocks();
}

TEST(Arena, PeakSurvivesDeallocationAndIsReadLazily)
{
    Arena a("peak");
    void* p = a.allocate(100, 8);
    a.deallocate(p, 100, 8);
    EXPECT_EQ(a.stats().bytes, 0u);
    EXPECT_EQ(a.stats().peak, 100u);
    a.alloc(50);
    a.alloc(30);
    EXPECT_EQ(a.stats().peak, 100u);
    a.alloc(40);
    EXPECT_EQ(a.stats().peak, 120u) << "peak counts allocations made since the last deallocation";
    a.reset();
    EXPECT_EQ(a.stats().peak, 0u);
}

TEST(Arena, ChildInlineBlockHoldsSixteenSmallAllocations)
{
    // The child-lifecycle benchmark depends on it: one 1 KiB malloc per child.
    Arena root("root");
    Arena& c = root.make_child("turn");
    for (int i = 0; i < 16; ++i)
        c.alloc(48);
    EXPECT_EQ(c.stats().blocks, 1u);
    EXPECT_EQ(c.stats().reserved, 1024u);
    c.destroy();
    EXPECT_EQ(root.subtree_reserved(), 0u);
}
