#include "core/chunked_text.h"

#include <algorithm>
#include <cstring>

namespace ik::mem {

namespace {
bool continuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}
} // namespace

ChunkedText::ChunkedText(Arena& arena, size_t chunk_bytes)
    : m_arena(arena)
    , m_chunk_bytes(std::max<size_t>(chunk_bytes, 16))
{
}

void ChunkedText::add_chunk(size_t at_least)
{
    size_t capacity
        = m_last ? std::min(m_chunk_bytes, m_last->capacity * 2) : std::min(first_chunk_bytes, m_chunk_bytes);
    capacity = std::max(capacity, at_least);
    size_t bytes = sizeof(Chunk) + capacity;
    auto* chunk = ::new (m_arena.alloc(bytes, alignof(Chunk))) Chunk{ nullptr, 0, capacity };
    if (m_last)
        m_last->next = chunk;
    else
        m_first = chunk;
    m_last = chunk;
    m_count += 1;
    m_reserved += bytes;
}

void ChunkedText::append(std::string_view text)
{
    while (!text.empty()) {
        if (!m_last || m_last->used == m_last->capacity)
            add_chunk(0);
        size_t room = m_last->capacity - m_last->used;
        size_t n = std::min(text.size(), room);
        if (n < text.size()) {
            // Cut before the lead byte of the code point that would be split
            // (at most 3 bytes back); a longer run of continuation bytes is
            // not UTF-8 and is cut where the chunk ends.
            size_t cut = n;
            while (cut > 0 && n - cut < 3 && continuation(text[cut]))
                --cut;
            if (!continuation(text[cut]))
                n = cut;
        }
        if (n == 0) {
            add_chunk(0); // the next code point does not fit in what is left
            continue;
        }
        std::memcpy(m_last->data() + m_last->used, text.data(), n);
        m_last->used += n;
        m_size += n;
        text.remove_prefix(n);
    }
}

std::string_view ChunkedText::copy_to(Arena& arena) const
{
    char* out = arena.make_array<char>(m_size + 1);
    size_t at = 0;
    for_each_piece([&](std::string_view piece) {
        std::memcpy(out + at, piece.data(), piece.size());
        at += piece.size();
    });
    out[at] = '\0';
    return { out, at };
}

void ChunkedText::release()
{
    for (Chunk* c = m_first; c;) {
        Chunk* next = c->next;
        m_arena.deallocate(c, sizeof(Chunk) + c->capacity, alignof(Chunk));
        c = next;
    }
    m_first = m_last = nullptr;
    m_size = m_count = m_reserved = 0;
}

} // namespace ik::mem
