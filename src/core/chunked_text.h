// ik::mem::ChunkedText — a growing text held once, in chunks of an arena.
//
// A streamed reply grows by small appends to megabytes. A std::string (or a
// pmr string in a bump arena) grows by doubling: it reserves up to twice the
// text and copies all of it at every step, and the old buffers stay behind in
// a bump arena. ChunkedText never moves what it holds: an append fills the
// last chunk and starts a new one when it is full. Chunks start small (a
// short reply reserves a few hundred bytes) and double up to a fixed size
// (16 KiB by default), after which every chunk has that size, so the slack is
// at most one chunk and a long text costs its own size plus a chunk.
//
// Chunks end on UTF-8 code point boundaries (an append that does not fit is
// cut before the lead byte of the code point it would split), so each piece
// of valid UTF-8 input is itself valid UTF-8 and can be escaped, rendered or
// written on its own.
//
// Readers visit the pieces in order (for_each_piece) or make the one
// contiguous copy a consumer needs, in the consumer's arena (copy_to), and
// then release() the chunks: chunks larger than half the arena's block size
// are dedicated blocks that go back at once, so the text is not held twice
// for longer than that copy takes.
//
//   mem::ChunkedText text(round_arena);
//   text.append(delta);                        // no copy of what is held
//   std::string_view kept = text.copy_to(window_arena);
//   text.release();
//
// Borrows the arena, which must outlive it (or be reset, after which the
// text must not be used). Not copyable.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/arena.h"

namespace ik::mem {

class ChunkedText {
public:
    static constexpr size_t default_chunk_bytes = size_t{ 16 } * 1024;
    static constexpr size_t first_chunk_bytes = 256;

    // `chunk_bytes`: the size chunks grow to and then keep (at least 16).
    explicit ChunkedText(Arena& arena, size_t chunk_bytes = default_chunk_bytes);
    ChunkedText(const ChunkedText&) = delete;
    ChunkedText& operator=(const ChunkedText&) = delete;

    void append(std::string_view text);

    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    size_t chunks() const { return m_count; }
    // Bytes reserved for chunks (their headers included).
    size_t reserved() const { return m_reserved; }

    // Calls f(std::string_view) for each non-empty piece, in order.
    template <typename F> void for_each_piece(F&& f) const
    {
        for (const Chunk* c = m_first; c; c = c->next) {
            if (c->used)
                f(std::string_view(c->data(), c->used));
        }
    }

    // The whole text, contiguous, in `arena`. Returns memory in `arena`.
    std::string_view copy_to(Arena& arena) const;
    // Gives the chunks back to the arena; the text is empty afterwards.
    void release();

private:
    struct Chunk {
        Chunk* next = nullptr;
        size_t used = 0;
        size_t capacity = 0;
        char* data() { return reinterpret_cast<char*>(this + 1); }
        const char* data() const { return reinterpret_cast<const char*>(this + 1); }
    };
    void add_chunk(size_t at_least);

    Arena& m_arena;
    size_t m_chunk_bytes;
    Chunk* m_first = nullptr;
    Chunk* m_last = nullptr;
    size_t m_size = 0;
    size_t m_count = 0;
    size_t m_reserved = 0;
};

} // namespace ik::mem
