// Foundation benchmarks (docs/perf.md, section "Foundation"):
//   1. many small (16-64 B) allocations, then free everything: ik arena vs
//      malloc/free, operator new/delete, talloc, std::pmr::monotonic_buffer_resource;
//   2. a child node with 16 allocations, made and destroyed: ik vs talloc;
//   3. one ~250-byte OpenAI chat.completion.chunk parsed into a reset-per-event
//      scratch arena: heap allocations per parse (goal 0) and MB/s.
//
// Counters: ns_per_alloc (time / allocations), overhead_B (heap bytes held per
// allocation beyond the bytes asked for, measured with mallinfo2() across one
// fill, so it includes malloc's chunk headers, talloc's chunk header, block
// tails and alignment padding), heap_allocs (operator new + arena upstream
// calls per iteration).
#include <array>
#include <cstdlib>
#include <memory_resource>
#include <new>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>
#include <malloc.h>

#include "core/arena.h"
#include "core/json.h"

#if IK_HAVE_TALLOC
#include <talloc.h>
#endif

// Counts every operator new in this program (the chunk benchmark reads it).
namespace {
size_t g_new_calls = 0;
}
void* operator new(size_t size)
{
    ++g_new_calls;
    void* p = std::malloc(size ? size : 1);
    if (!p)
        throw std::bad_alloc();
    return p;
}
void operator delete(void* p) noexcept
{
    std::free(p);
}
void operator delete(void* p, size_t) noexcept
{
    std::free(p);
}

namespace {

constexpr size_t small_count = 10000;

// 16..64 bytes, spread evenly, the same sequence for every allocator.
const std::array<uint16_t, small_count>& sizes()
{
    static const std::array<uint16_t, small_count> table = [] {
        std::array<uint16_t, small_count> t{};
        uint32_t x = 12345;
        for (auto& s : t) {
            x = x * 1103515245u + 12345u;
            s = static_cast<uint16_t>(16 + (x >> 16) % 49);
        }
        return t;
    }();
    return table;
}

size_t requested_total()
{
    size_t total = 0;
    for (auto s : sizes())
        total += s;
    return total;
}

size_t heap_in_use()
{
    return mallinfo2().uordblks;
}

// Heap bytes per allocation beyond the request, for one fill made by `fill`
// (which must return with everything still allocated and call `release` after).
template <typename Fill> double measure_overhead(Fill&& fill)
{
    size_t before = heap_in_use();
    auto release = fill();
    size_t after = heap_in_use();
    release();
    return (static_cast<double>(after) - static_cast<double>(before) - static_cast<double>(requested_total()))
        / static_cast<double>(small_count);
}

void set_counters(benchmark::State& state, double overhead)
{
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * small_count));
    state.counters["ns_per_alloc"] = benchmark::Counter(
        static_cast<double>(small_count), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
    state.counters["overhead_B"] = overhead;
}

void BM_Small_IkArena(benchmark::State& state)
{
    ik::mem::Arena root("bench");
    for (auto _ : state) {
        ik::mem::Arena a(root, "fill");
        for (auto s : sizes())
            benchmark::DoNotOptimize(a.alloc(s));
    }
    ik::mem::Arena* keep = nullptr;
    ik::mem::release_cached_blocks(); // measure blocks that come from malloc
    size_t reserved = 0;
    double overhead = measure_overhead([&] {
        keep = &root.make_child("fill");
        for (auto s : sizes())
            keep->alloc(s);
        reserved = keep->stats().reserved;
        return [&] { keep->destroy(); };
    });
    set_counters(state, overhead);
    // The same from the arena's own accounting: reserved bytes (block
    // headers, alignment padding, unused block tails) per allocation.
    state.counters["reserved_overhead_B"]
        = (static_cast<double>(reserved) - static_cast<double>(requested_total())) / small_count;
}
BENCHMARK(BM_Small_IkArena);

// The scratch pattern: the same arena reset after every fill.
void BM_Small_IkArenaReset(benchmark::State& state)
{
    ik::mem::Arena a("scratch", { .block_size = 512 * 1024 });
    for (auto _ : state) {
        for (auto s : sizes())
            benchmark::DoNotOptimize(a.alloc(s));
        a.reset();
    }
    set_counters(state, 0);
    state.counters["overhead_B"] = 0; // no header; padding only, see BM_Small_IkArena
}
BENCHMARK(BM_Small_IkArenaReset);

void BM_Small_Malloc(benchmark::State& state)
{
    std::vector<void*> ptrs(small_count);
    for (auto _ : state) {
        for (size_t i = 0; i < small_count; ++i)
            ptrs[i] = std::malloc(sizes()[i]);
        benchmark::DoNotOptimize(ptrs.data());
        for (void* p : ptrs)
            std::free(p);
    }
    double overhead = measure_overhead([&] {
        for (size_t i = 0; i < small_count; ++i)
            ptrs[i] = std::malloc(sizes()[i]);
        return [&] {
            for (void* p : ptrs)
                std::free(p);
        };
    });
    set_counters(state, overhead);
    size_t usable = 0;
    for (size_t i = 0; i < small_count; ++i) {
        void* p = std::malloc(sizes()[i]);
        usable += malloc_usable_size(p);
        std::free(p);
    }
    state.counters["usable_slack_B"]
        = (static_cast<double>(usable) - static_cast<double>(requested_total())) / small_count;
}
BENCHMARK(BM_Small_Malloc);

void BM_Small_NewDelete(benchmark::State& state)
{
    std::vector<void*> ptrs(small_count);
    for (auto _ : state) {
        for (size_t i = 0; i < small_count; ++i)
            ptrs[i] = ::operator new(sizes()[i]);
        benchmark::DoNotOptimize(ptrs.data());
        for (size_t i = 0; i < small_count; ++i)
            ::operator delete(ptrs[i], sizes()[i]);
    }
    double overhead = measure_overhead([&] {
        for (size_t i = 0; i < small_count; ++i)
            ptrs[i] = ::operator new(sizes()[i]);
        return [&] {
            for (size_t i = 0; i < small_count; ++i)
                ::operator delete(ptrs[i], sizes()[i]);
        };
    });
    set_counters(state, overhead);
}
BENCHMARK(BM_Small_NewDelete);

#if IK_HAVE_TALLOC
void BM_Small_Talloc(benchmark::State& state)
{
    for (auto _ : state) {
        void* ctx = talloc_new(nullptr);
        for (auto s : sizes())
            benchmark::DoNotOptimize(talloc_size(ctx, s));
        talloc_free(ctx);
    }
    void* ctx = nullptr;
    double overhead = measure_overhead([&] {
        ctx = talloc_new(nullptr);
        for (auto s : sizes())
            talloc_size(ctx, s);
        return [&] { talloc_free(ctx); };
    });
    set_counters(state, overhead);
}
BENCHMARK(BM_Small_Talloc);
#endif

void BM_Small_PmrMonotonic(benchmark::State& state)
{
    for (auto _ : state) {
        std::pmr::monotonic_buffer_resource r;
        for (auto s : sizes())
            benchmark::DoNotOptimize(r.allocate(s, alignof(std::max_align_t)));
    }
    std::pmr::monotonic_buffer_resource* keep = nullptr;
    alignas(std::pmr::monotonic_buffer_resource) unsigned char storage[sizeof(std::pmr::monotonic_buffer_resource)];
    double overhead = measure_overhead([&] {
        keep = ::new (storage) std::pmr::monotonic_buffer_resource;
        for (auto s : sizes())
            (void)keep->allocate(s, alignof(std::max_align_t));
        return [&] { keep->~monotonic_buffer_resource(); };
    });
    set_counters(state, overhead);
}
BENCHMARK(BM_Small_PmrMonotonic);

// --- child node lifecycle -------------------------------------------------

void child_counters(benchmark::State& state)
{
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_Child_IkArena(benchmark::State& state)
{
    ik::mem::Arena root("bench");
    for (auto _ : state) {
        ik::mem::Arena& c = root.make_child("turn");
        for (size_t i = 0; i < 16; ++i)
            benchmark::DoNotOptimize(c.alloc(sizes()[i]));
        c.destroy();
    }
    child_counters(state);
}
BENCHMARK(BM_Child_IkArena);

#if IK_HAVE_TALLOC
void BM_Child_Talloc(benchmark::State& state)
{
    void* root = talloc_new(nullptr);
    for (auto _ : state) {
        void* c = talloc_new(root);
        for (size_t i = 0; i < 16; ++i)
            benchmark::DoNotOptimize(talloc_size(c, sizes()[i]));
        talloc_free(c);
    }
    talloc_free(root);
    child_counters(state);
}
BENCHMARK(BM_Child_Talloc);
#endif

// --- one streaming chunk into a scratch arena ------------------------------

constexpr std::string_view chunk
    = R"({"id":"chatcmpl-AaBbCcDdEeFfGgHh1234567890","object":"chat.completion.chunk","created":1732440000,)"
      R"("model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[{"index":0,)"
      R"("delta":{"content":" the quick brown fox"},"logprobs":null,"finish_reason":null}]})";

void BM_Chunk_ParseIntoScratch(benchmark::State& state)
{
    ik::mem::Arena turn("turn");
    ik::json::Parser parser(turn);
    ik::mem::Arena scratch(turn, "event", { .block_size = 16 * 1024 });
    size_t total = 0;
    auto once = [&] {
        auto v = parser.parse(chunk, scratch, "chunk");
        if (!v)
            std::abort();
        auto text = ik::json::Field(*v)["choices"][0]["delta"]["content"].string();
        if (!text)
            std::abort();
        total += text->size();
        scratch.reset();
    };
    for (int i = 0; i < 100; ++i) // warm-up
        once();
    size_t news = g_new_calls;
    size_t upstream = ik::mem::upstream_calls();
    for (auto _ : state)
        once();
    benchmark::DoNotOptimize(total);
    double n = static_cast<double>(state.iterations());
    state.counters["heap_allocs"] = static_cast<double>(g_new_calls - news + ik::mem::upstream_calls() - upstream) / n;
    state.counters["chunk_B"] = static_cast<double>(chunk.size());
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * chunk.size()));
}
BENCHMARK(BM_Chunk_ParseIntoScratch);

} // namespace

BENCHMARK_MAIN();
