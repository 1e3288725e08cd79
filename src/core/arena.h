// ik::mem::Arena — a named node in the one ownership tree (design.md §3).
//
// Every byte ik holds for longer than a function call lives in an arena. An
// arena bump-allocates from blocks it gets from malloc, so an allocation is a
// pointer increment plus three counter updates, and freeing an arena releases
// all its blocks, and all its children, at once, without visiting what was
// allocated. This is the talloc model of the C system ik re-implements, as a
// std::pmr::memory_resource so std::pmr containers and Boost.JSON (via
// core/json.h) allocate into it directly.
//
// There are two ways to own a child:
//
//   Arena& turn = session.make_child("turn");   // owned by the parent:
//   ...                                         //   freed with it, or early by
//   turn.destroy();                             //   turn.destroy()
//
//   Arena scratch(turn, "scratch", {.block_size = 16 * 1024});  // owned by
//                                               //   this scope; must die
//                                               //   before its parent (asserted)
//
// Per-allocation overhead is zero: a bump allocation has no header, only the
// padding its alignment needs (alloc() defaults to alignof(max_align_t), 16;
// pmr containers pass alignof(T)). Blocks carry a 16-byte header each, and a
// request over half the block size gets a dedicated block with a 32-byte
// header so that deallocating it returns the memory at once. A make_child()
// node and its inline first block are one 1 KiB malloc by default
// (sizeof(Arena) is 224 B, so about 800 B are inline).
//
// Accounting is per node (bytes in use, peak, blocks, allocations) and per
// subtree (reserved bytes, blocks). A cap bounds a subtree's reserved bytes:
// try_allocate() refuses with ErrorCode::cap_exceeded, plain allocate() (the
// pmr path, which cannot fail) lets the allocation through and the node's
// pressure() reports `over`, so the owner can degrade gracefully (evict,
// summarise) instead of crashing.
//
// Arenas are not thread-safe: each belongs to the thread that made it, which
// in ik is the event loop thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <new>
#include <string_view>
#include <utility>

#include <boost/container/pmr/memory_resource.hpp>

#include "core/result.h"

namespace ik::mem {

struct Stats {
    size_t bytes = 0; // handed out and not given back
    size_t peak = 0; // highest `bytes` since creation or the last reset
    size_t blocks = 0; // blocks obtained from the upstream allocator
    size_t reserved = 0; // bytes of those blocks
    size_t allocs = 0; // allocation calls since creation or the last reset
};

enum class Pressure {
    normal, // no cap, or under 80% of it
    high, // at or above 80% of the cap: time to shed load
    over, // past the cap: try_allocate refuses growth
};

struct Options {
    size_t cap = 0; // bound on the subtree's reserved bytes; 0 = none
    size_t block_size = 0; // first block and minimum later block; 0 = default
};

class Arena final : public std::pmr::memory_resource, public boost::container::pmr::memory_resource {
public:
    static constexpr size_t default_block_size = 4096;
    static constexpr size_t max_name = 31;

    // A root arena, or a child owned by the enclosing C++ scope.
    explicit Arena(std::string_view name, Options options = {});
    Arena(Arena& parent, std::string_view name, Options options = {});
    ~Arena() override;

    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;

    // A child owned by this arena: freed with it, or earlier by destroy().
    // Its node and first block come from one upstream allocation.
    Arena& make_child(std::string_view name, Options options = {});
    // Frees a make_child() arena and its subtree. The reference dies with it.
    void destroy();

    using std::pmr::memory_resource::allocate;
    using std::pmr::memory_resource::deallocate;

    // The fast path every allocation takes: bump within the current block.
    // Zero-byte requests get one byte so every pointer is distinct.
    void* alloc(size_t bytes, size_t alignment = alignof(std::max_align_t))
    {
        bytes += (bytes == 0);
        uintptr_t p = (reinterpret_cast<uintptr_t>(m_cur) + alignment - 1) & ~(uintptr_t(alignment) - 1);
        // A fresh arena has m_cur == m_end == null, so the first test fails.
        if (p + bytes <= reinterpret_cast<uintptr_t>(m_end) && bytes <= m_small_max) [[likely]] {
            m_cur = reinterpret_cast<std::byte*>(p + bytes);
            count(bytes);
            return reinterpret_cast<void*>(p);
        }
        return allocate_slow(bytes, alignment, nullptr);
    }

    // The checked allocation: refuses (cap_exceeded) when growing would take
    // a capped subtree past its cap.
    Result<void*> try_allocate(size_t bytes, size_t alignment = alignof(std::max_align_t));

    // Constructs a T in the arena. Its destructor never runs: use this for
    // types whose memory is all in this arena, or trivially destructible.
    template <typename T, typename... Args> T* make(Args&&... args)
    {
        void* p = alloc(sizeof(T), alignof(T));
        return ::new (p) T(std::forward<Args>(args)...);
    }

    // Uninitialised room for `count` Ts. A count whose byte size overflows
    // panics like any other impossible allocation.
    template <typename T> T* make_array(size_t count)
    {
        size_t bytes = 0;
        if (__builtin_mul_overflow(sizeof(T), count, &bytes)) [[unlikely]]
            bytes = SIZE_MAX;
        void* p = alloc(bytes, alignof(T));
        return static_cast<T*>(p);
    }

    // A copy of `text` in the arena, NUL-terminated. Returns memory in this arena.
    std::string_view copy(std::string_view text);

    // Frees everything allocated here and the owned children; keeps the first
    // block for reuse, so a reset-per-event scratch arena stops touching malloc.
    void reset();

    std::string_view name() const { return m_name; }
    Arena* parent() const { return m_parent; }
    Arena* first_child() const { return m_first_child; }
    Arena* next_sibling() const { return m_next_sibling; }

    // The peak is brought up to date here and before every deallocation,
    // rather than on each allocation: bytes only fall in deallocate().
    Stats stats() const
    {
        Stats s = m_stats;
        s.peak = std::max(s.peak, s.bytes);
        return s;
    }
    Stats subtree_stats() const;
    size_t subtree_reserved() const { return m_subtree_reserved; }
    size_t subtree_peak_reserved() const { return m_subtree_peak_reserved; }

    size_t cap() const { return m_cap; }
    void set_cap(size_t cap) { m_cap = cap; }
    Pressure pressure() const;

private:
    struct Block;
    struct LargeBlock;
    enum class Ownership { root, scope, parent };

    Arena(Arena& parent, std::string_view name, Options options, Ownership ownership, std::byte* inline_block,
        size_t inline_size);

    void* do_allocate(size_t bytes, size_t alignment) override;
    void do_deallocate(void* p, size_t bytes, size_t alignment) override;
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
    bool do_is_equal(const boost::container::pmr::memory_resource& other) const noexcept override
    {
        return static_cast<const boost::container::pmr::memory_resource*>(this) == &other;
    }

    void count(size_t bytes)
    {
        m_stats.bytes += bytes;
        m_stats.allocs += 1;
    }
    // `refused_by` null: unchecked. Otherwise a refusal returns null and
    // names the capped ancestor there.
    void* allocate_slow(size_t bytes, size_t alignment, const Arena** refused_by);
    void* allocate_large(size_t bytes, size_t alignment, const Arena** refused_by);
    const Arena* cap_blocking(size_t grow) const;
    void account_reserved(ptrdiff_t delta);
    void link_to_parent();
    void unlink_from_parent();
    void destroy_children();
    void free_blocks(bool keep_first);

    char m_name[max_name + 1] = {};
    Ownership m_ownership;
    Arena* m_parent = nullptr;
    Arena* m_first_child = nullptr;
    Arena* m_next_sibling = nullptr;
    Arena* m_prev_sibling = nullptr;

    std::byte* m_cur = nullptr;
    std::byte* m_end = nullptr;
    Block* m_blocks = nullptr; // newest first; the last one is the first block
    LargeBlock* m_large = nullptr; // dedicated blocks for big allocations
    std::byte* m_inline = nullptr; // a make_child() arena's first block, inside its node
    size_t m_inline_size = 0;
    size_t m_block_size;
    size_t m_small_max; // larger requests get a dedicated block
    size_t m_next_block_size;
    size_t m_cap;

    Stats m_stats;
    size_t m_subtree_reserved = 0;
    size_t m_subtree_peak_reserved = 0;
};

// The process root: every long-lived arena descends from it, so one report
// shows everything. Created on first use, destroyed at exit.
Arena& root();

// Bytes currently held by all arenas of the process (obtained from malloc or
// the block cache), and the count of malloc calls arenas made (the
// allocation benchmarks read it).
size_t upstream_bytes();
size_t upstream_calls();

// Freed ordinary blocks are kept in a small per-thread cache (at most 1 MiB,
// 32 blocks, each at most 64 KiB) for the next arena, so short-lived arenas
// do not make malloc trim and re-fault the heap top. The cache is freed at
// thread exit; these read and empty it.
size_t cached_block_bytes();
void release_cached_blocks();

} // namespace ik::mem
