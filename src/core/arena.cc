#include "core/arena.h"

#include <algorithm>
#include <cstdlib>

#include "core/panic.h"

namespace ik::mem {

struct Arena::Block {
    Block* next;
    size_t size; // bytes of the whole allocation, header included
};

// Big allocations get their own block so that giving them back (a growing
// vector dropping its old buffer) returns the memory at once.
struct Arena::LargeBlock {
    LargeBlock* prev;
    LargeBlock* next;
    void* base; // what malloc returned
    size_t size; // bytes obtained from malloc
};

namespace {

constexpr size_t max_growth_block = size_t{ 64 } * 1024;
// A make_child() node and its inline first block by default: 1 KiB, the
// largest request glibc still serves from its per-thread tcache (1032 B), so
// a short-lived child costs one tcache hit and one tcache put. That leaves
// about 800 B inline: room for a typical turn's first dozen small objects.
constexpr size_t child_allocation = 1024;
constexpr size_t header_align = alignof(std::max_align_t);
// No single request may come near the address space: adding a header and
// alignment slack to it must never wrap around to a small malloc.
constexpr size_t max_request = SIZE_MAX / 4;
const Arena* g_process_root = nullptr;
size_t g_upstream_bytes = 0;
size_t g_upstream_calls = 0;

void* upstream_alloc(size_t size)
{
    void* p = std::malloc(size);
    if (!p) [[unlikely]]
        panic("out of memory");
    g_upstream_bytes += size;
    g_upstream_calls += 1;
    return p;
}

void upstream_free(void* p, size_t size)
{
    g_upstream_bytes -= size;
    std::free(p);
}

size_t round_up(size_t n, size_t a)
{
    return (n + a - 1) & ~(a - 1);
}

// Recently freed blocks, per thread, for the next arena to reuse.
//
// Without it, an arena that fills a few hundred KiB and dies hands its 64 KiB
// blocks back to malloc, which trims the heap top (M_TRIM_THRESHOLD, 128 KiB)
// and faults the pages in again for the next arena: 10x slower than the bump
// itself. The cache is small and bounded (block_cache_bytes), holds only
// ordinary blocks and make_child() nodes (not dedicated large blocks), and is emptied
// when its thread exits; release_cached_blocks() empties it on demand.
//
// It is trivially destructible on purpose: the process root arena dies after
// the main thread's thread_local objects, so a static arena freeing its
// blocks late must still find a valid (closed) cache to look at.
constexpr size_t block_cache_slots = 32;
constexpr size_t block_cache_bytes = size_t{ 1024 } * 1024;

struct BlockCache {
    void* ptr[block_cache_slots];
    size_t size[block_cache_slots];
    size_t count;
    size_t bytes;
    bool closed;
};
thread_local BlockCache t_cache{};

void release_cache(BlockCache& c)
{
    while (c.count) {
        c.count -= 1;
        std::free(c.ptr[c.count]);
    }
    c.bytes = 0;
}

// Frees the cache at thread exit and closes it for any later frees.
struct CacheReaper {
    bool armed = false;
    ~CacheReaper()
    {
        release_cache(t_cache);
        t_cache.closed = true;
    }
};
thread_local CacheReaper t_reaper;

void* take_cached_block(size_t size)
{
    BlockCache& c = t_cache;
    for (size_t i = c.count; i-- > 0;) {
        if (c.size[i] == size) {
            void* p = c.ptr[i];
            c.count -= 1;
            c.ptr[i] = c.ptr[c.count];
            c.size[i] = c.size[c.count];
            c.bytes -= size;
            g_upstream_bytes += size;
            return p;
        }
    }
    return nullptr;
}

bool cache_block(void* p, size_t size)
{
    BlockCache& c = t_cache;
    if (c.closed || size > max_growth_block || c.count == block_cache_slots || c.bytes + size > block_cache_bytes)
        return false;
    t_reaper.armed = true; // constructs the reaper, so the cache is freed at thread exit
    c.ptr[c.count] = p;
    c.size[c.count] = size;
    c.count += 1;
    c.bytes += size;
    g_upstream_bytes -= size;
    return true;
}

void* block_alloc(size_t size)
{
    if (void* p = take_cached_block(size))
        return p;
    return upstream_alloc(size);
}

void block_free(void* p, size_t size)
{
    if (!cache_block(p, size))
        upstream_free(p, size);
}

} // namespace

size_t upstream_bytes()
{
    return g_upstream_bytes;
}
size_t upstream_calls()
{
    return g_upstream_calls;
}
size_t cached_block_bytes()
{
    return t_cache.bytes;
}
void release_cached_blocks()
{
    release_cache(t_cache);
}

Arena::Arena(std::string_view name, Options options)
    : m_ownership(Ownership::root)
    , m_block_size(options.block_size ? options.block_size : default_block_size)
    , m_small_max(m_block_size / 2)
    , m_cap(options.cap)
{
    m_next_block_size = m_block_size;
    std::memcpy(m_name, name.data(), std::min(name.size(), max_name));
}

Arena::Arena(Arena& parent, std::string_view name, Options options)
    : Arena(parent, name, options, Ownership::scope, nullptr, 0)
{
}

Arena::Arena(Arena& parent, std::string_view name, Options options, Ownership ownership, std::byte* inline_block,
    size_t inline_size)
    : m_ownership(ownership)
    , m_parent(&parent)
    , m_inline(inline_block)
    , m_inline_size(inline_size)
    , m_block_size(options.block_size ? options.block_size : default_block_size)
    , m_small_max(m_block_size / 2)
    , m_cap(options.cap)
{
    m_next_block_size = m_block_size;
    std::memcpy(m_name, name.data(), std::min(name.size(), max_name));
    if (m_inline) {
        m_cur = m_inline;
        m_end = m_inline + m_inline_size;
    }
    link_to_parent();
}

Arena::~Arena()
{
    destroy_children();
    free_blocks(false);
    if (m_parent)
        unlink_from_parent();
    // The process root dies last among arenas (static destruction, after
    // the main thread's thread_locals): empty and close the cache for good,
    // whether or not its reaper was ever constructed.
    if (this == g_process_root) {
        release_cache(t_cache);
        t_cache.closed = true;
        g_process_root = nullptr;
    }
}

Arena& Arena::make_child(std::string_view name, Options options)
{
    // One upstream allocation holds the node and its first block, so making
    // and destroying a short-lived child costs one malloc and one free.
    size_t node = round_up(sizeof(Arena), header_align);
    size_t first = options.block_size ? options.block_size : child_allocation - node;
    size_t total = node + first;
    // Like plain allocate(), making a child cannot fail on the cap: a subtree
    // past its cap shows it in pressure().
    auto* raw = static_cast<std::byte*>(block_alloc(total));
    Options child_options = options;
    if (!child_options.block_size)
        child_options.block_size = default_block_size;
    auto* child = ::new (raw) Arena(*this, name, child_options, Ownership::parent, raw + node, first);
    child->m_stats.blocks = 1;
    child->m_stats.reserved = total;
    child->account_reserved(static_cast<ptrdiff_t>(total));
    return *child;
}

void Arena::destroy()
{
    IK_ASSERT(m_ownership == Ownership::parent, "destroy() is for arenas made by make_child()");
    size_t total = round_up(sizeof(Arena), header_align) + m_inline_size;
    // The node's own allocation is accounted like a block: undo that first.
    account_reserved(-static_cast<ptrdiff_t>(total));
    m_stats.blocks -= 1;
    m_stats.reserved -= total;
    this->~Arena();
    block_free(this, total);
}

void Arena::destroy_children()
{
    while (m_first_child) {
        Arena* child = m_first_child;
        // A scope-owned child still alive here would be freed twice: the
        // contract says a child never outlives its parent.
        IK_ASSERT(child->m_ownership == Ownership::parent, "a scope-owned arena outlived its parent");
        child->destroy();
    }
}

void Arena::link_to_parent()
{
    m_next_sibling = m_parent->m_first_child;
    if (m_next_sibling)
        m_next_sibling->m_prev_sibling = this;
    m_parent->m_first_child = this;
}

void Arena::unlink_from_parent()
{
    if (m_prev_sibling)
        m_prev_sibling->m_next_sibling = m_next_sibling;
    else
        m_parent->m_first_child = m_next_sibling;
    if (m_next_sibling)
        m_next_sibling->m_prev_sibling = m_prev_sibling;
    m_prev_sibling = m_next_sibling = nullptr;
}

const Arena* Arena::cap_blocking(size_t grow) const
{
    for (const Arena* a = this; a; a = a->m_parent) {
        if (a->m_cap && a->m_subtree_reserved + grow > a->m_cap)
            return a;
    }
    return nullptr;
}

void Arena::account_reserved(ptrdiff_t delta)
{
    for (Arena* a = this; a; a = a->m_parent) {
        a->m_subtree_reserved = static_cast<size_t>(static_cast<ptrdiff_t>(a->m_subtree_reserved) + delta);
        a->m_subtree_peak_reserved = std::max(a->m_subtree_peak_reserved, a->m_subtree_reserved);
    }
}

void* Arena::allocate_slow(size_t bytes, size_t alignment, const Arena** refused_by)
{
    if (bytes > max_request || alignment > max_request) [[unlikely]]
        panic("out of memory");
    if (bytes > m_small_max)
        return allocate_large(bytes, alignment, refused_by);

    size_t header = round_up(sizeof(Block), header_align);
    size_t need = header + bytes + (alignment > header_align ? alignment : 0);
    size_t size = std::max(m_next_block_size, need);
    if (refused_by && (*refused_by = cap_blocking(size)))
        return nullptr;
    auto* raw = static_cast<std::byte*>(block_alloc(size));
    auto* block = ::new (raw) Block{ m_blocks, size };
    m_blocks = block;
    m_stats.blocks += 1;
    m_stats.reserved += size;
    account_reserved(static_cast<ptrdiff_t>(size));
    m_next_block_size = std::min(std::max(m_block_size, max_growth_block), m_next_block_size * 2);

    m_cur = raw + header;
    m_end = raw + size;
    uintptr_t p = (reinterpret_cast<uintptr_t>(m_cur) + alignment - 1) & ~(uintptr_t(alignment) - 1);
    m_cur = reinterpret_cast<std::byte*>(p + bytes);
    count(bytes);
    return reinterpret_cast<void*>(p);
}

void* Arena::allocate_large(size_t bytes, size_t alignment, const Arena** refused_by)
{
    size_t header = round_up(sizeof(LargeBlock), header_align);
    size_t extra = alignment > header_align ? alignment : 0;
    size_t size = header + extra + bytes;
    if (refused_by && (*refused_by = cap_blocking(size)))
        return nullptr;
    auto* raw = static_cast<std::byte*>(upstream_alloc(size));
    // The header sits right before the returned pointer so deallocate finds it.
    uintptr_t p = reinterpret_cast<uintptr_t>(raw) + header;
    p = (p + alignment - 1) & ~(uintptr_t(alignment) - 1);
    auto* large
        = ::new (reinterpret_cast<std::byte*>(p) - sizeof(LargeBlock)) LargeBlock{ nullptr, m_large, raw, size };
    if (m_large)
        m_large->prev = large;
    m_large = large;
    m_stats.blocks += 1;
    m_stats.reserved += size;
    account_reserved(static_cast<ptrdiff_t>(size));
    count(bytes);
    return reinterpret_cast<void*>(p);
}

Result<void*> Arena::try_allocate(size_t bytes, size_t alignment)
{
    if (bytes > max_request || alignment > max_request) [[unlikely]] {
        return fail(ErrorCode::invalid_argument,
            "arena '{}': {} bytes aligned to {} is more than any allocation can be", name(), bytes, alignment);
    }
    bytes += (bytes == 0);
    uintptr_t p = (reinterpret_cast<uintptr_t>(m_cur) + alignment - 1) & ~(uintptr_t(alignment) - 1);
    if (m_cur && bytes <= m_small_max && p + bytes <= reinterpret_cast<uintptr_t>(m_end)) {
        m_cur = reinterpret_cast<std::byte*>(p + bytes);
        count(bytes);
        return reinterpret_cast<void*>(p);
    }
    const Arena* refused_by = nullptr;
    void* q = allocate_slow(bytes, alignment, &refused_by);
    if (!q) {
        return fail(ErrorCode::cap_exceeded, "arena '{}': allocating {} bytes would take '{}' past its cap of {} bytes",
            name(), bytes, refused_by->name(), refused_by->m_cap);
    }
    return q;
}

void* Arena::do_allocate(size_t bytes, size_t alignment)
{
    return alloc(bytes, alignment);
}

void Arena::do_deallocate(void* p, size_t bytes, size_t alignment)
{
    (void)alignment;
    bytes += (bytes == 0);
    m_stats.peak = std::max(m_stats.peak, m_stats.bytes);
    m_stats.bytes -= std::min(bytes, m_stats.bytes);
    if (bytes > m_small_max) {
        auto* large = reinterpret_cast<LargeBlock*>(static_cast<std::byte*>(p) - sizeof(LargeBlock));
        if (large->prev)
            large->prev->next = large->next;
        else
            m_large = large->next;
        if (large->next)
            large->next->prev = large->prev;
        m_stats.blocks -= 1;
        m_stats.reserved -= large->size;
        account_reserved(-static_cast<ptrdiff_t>(large->size));
        upstream_free(large->base, large->size);
        return;
    }
    // The most recent allocation can be taken back: a vector growing at the
    // top of the arena reuses its space.
    if (static_cast<std::byte*>(p) + bytes == m_cur)
        m_cur = static_cast<std::byte*>(p);
}

std::string_view Arena::copy(std::string_view text)
{
    auto* p = static_cast<char*>(alloc(text.size() + 1, 1));
    if (!text.empty())
        std::memcpy(p, text.data(), text.size());
    p[text.size()] = '\0';
    return { p, text.size() };
}

void Arena::free_blocks(bool keep_first)
{
    while (m_large) {
        LargeBlock* next = m_large->next;
        m_stats.blocks -= 1;
        m_stats.reserved -= m_large->size;
        account_reserved(-static_cast<ptrdiff_t>(m_large->size));
        upstream_free(m_large->base, m_large->size);
        m_large = next;
    }
    Block* keep = nullptr;
    while (m_blocks) {
        Block* next = m_blocks->next;
        if (keep_first && !next && !m_inline) {
            keep = m_blocks;
            break;
        }
        m_stats.blocks -= 1;
        m_stats.reserved -= m_blocks->size;
        account_reserved(-static_cast<ptrdiff_t>(m_blocks->size));
        block_free(m_blocks, m_blocks->size);
        m_blocks = next;
    }
    m_blocks = keep;
    if (m_inline) {
        m_cur = m_inline;
        m_end = m_inline + m_inline_size;
    } else if (keep) {
        m_cur = reinterpret_cast<std::byte*>(keep) + round_up(sizeof(Block), header_align);
        m_end = reinterpret_cast<std::byte*>(keep) + keep->size;
    } else {
        m_cur = m_end = nullptr;
    }
    m_next_block_size = m_block_size;
}

void Arena::reset()
{
    destroy_children();
    free_blocks(true);
    m_stats.bytes = 0;
    m_stats.peak = 0;
    m_stats.allocs = 0;
}

Stats Arena::subtree_stats() const
{
    Stats total = stats();
    for (const Arena* c = m_first_child; c; c = c->m_next_sibling) {
        Stats s = c->subtree_stats();
        total.bytes += s.bytes;
        total.peak += s.peak;
        total.blocks += s.blocks;
        total.reserved += s.reserved;
        total.allocs += s.allocs;
    }
    return total;
}

Pressure Arena::pressure() const
{
    if (!m_cap)
        return Pressure::normal;
    if (m_subtree_reserved > m_cap)
        return Pressure::over;
    if (m_subtree_reserved * 5 >= m_cap * 4)
        return Pressure::high;
    return Pressure::normal;
}

Arena& root()
{
    static Arena g_root("ik");
    g_process_root = &g_root;
    return g_root;
}

} // namespace ik::mem
