#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/arena.h"
#include "core/chunked_text.h"
#include "core/utf8.h"

using ik::mem::Arena;
using ik::mem::ChunkedText;

namespace {

std::vector<std::string> pieces(const ChunkedText& t)
{
    std::vector<std::string> out;
    t.for_each_piece([&](std::string_view p) { out.emplace_back(p); });
    return out;
}

std::string joined(const ChunkedText& t)
{
    std::string out;
    t.for_each_piece([&](std::string_view p) { out += p; });
    return out;
}

} // namespace

TEST(ChunkedText, EmptyHasNoPiecesAndCopiesToAnEmptyString)
{
    Arena a("test");
    ChunkedText t(a);
    EXPECT_TRUE(t.empty());
    EXPECT_EQ(t.chunks(), 0u);
    EXPECT_TRUE(pieces(t).empty());
    std::string_view copy = t.copy_to(a);
    EXPECT_EQ(copy, "");
    EXPECT_EQ(copy.data()[0], '\0');
}

TEST(ChunkedText, AppendsAcrossChunkBoundariesWithoutLosingOrMovingBytes)
{
    Arena a("test");
    ChunkedText t(a, 64);
    std::string expected;
    for (int i = 0; i < 1000; ++i) {
        std::string delta = std::to_string(i) + ",";
        t.append(delta);
        expected += delta;
    }
    EXPECT_EQ(t.size(), expected.size());
    EXPECT_EQ(joined(t), expected);
    EXPECT_EQ(t.copy_to(a), expected);
    // Every chunk is 64 bytes here (the first is min(256, 64)).
    for (const std::string& p : pieces(t))
        EXPECT_LE(p.size(), 64u);
    EXPECT_GE(t.chunks(), expected.size() / 64);
}

TEST(ChunkedText, ReservesTheTextPlusAtMostOneChunkNotDouble)
{
    Arena a("test", { .cap = 0, .block_size = 4096 });
    ChunkedText t(a); // 16 KiB chunks
    std::string delta(4, 'x');
    for (int i = 0; i < 500'000; ++i) // 2 MB in 4-byte deltas, like a streamed reply
        t.append(delta);
    EXPECT_EQ(t.size(), 2'000'000u);
    EXPECT_LE(t.reserved(), t.size() + ChunkedText::default_chunk_bytes + t.chunks() * 64);
    // The arena holds the chunks and nothing else: no doubling copies left behind.
    EXPECT_LE(a.stats().reserved, t.reserved() + 8192);
}

TEST(ChunkedText, NeverSplitsAUtf8CodePointAcrossChunks)
{
    Arena a("test");
    // 16-byte chunks and 3- and 4-byte code points: most appends straddle a boundary.
    ChunkedText t(a, 16);
    std::string expected;
    for (int i = 0; i < 200; ++i) {
        std::string delta = (i % 3 == 0) ? "é" : (i % 3 == 1) ? "€a" : "😀";
        t.append(delta);
        expected += delta;
    }
    // One long append that must be cut several times, too.
    std::string long_one;
    for (int i = 0; i < 50; ++i)
        long_one += "日本😀";
    t.append(long_one);
    expected += long_one;
    EXPECT_EQ(t.copy_to(a), expected);
    for (const std::string& p : pieces(t))
        EXPECT_TRUE(ik::utf8::is_valid(p)) << "piece split a code point";
}

TEST(ChunkedText, InvalidUtf8IsKeptByteForByte)
{
    Arena a("test");
    ChunkedText t(a, 16);
    // A run of continuation bytes has no lead byte to cut before: it is cut
    // where the chunk ends, and no byte is lost or repaired.
    std::string bad(100, '\x80');
    bad += "\xff\xfe ok";
    t.append(bad);
    EXPECT_EQ(t.copy_to(a), bad);
}

TEST(ChunkedText, ReleaseGivesLargeChunksBackAtOnce)
{
    Arena a("test", { .cap = 0, .block_size = 4096 });
    size_t before = a.stats().reserved;
    {
        ChunkedText t(a);
        for (int i = 0; i < 64; ++i)
            t.append(std::string(16 * 1024, 'y'));
        EXPECT_GE(a.stats().reserved, before + (size_t{ 1 } << 20));
        std::string_view copy = t.copy_to(a); // the one contiguous copy
        EXPECT_EQ(copy.size(), size_t{ 1 } << 20);
        t.release();
        EXPECT_TRUE(t.empty());
        EXPECT_EQ(t.chunks(), 0u);
        // The 16 KiB chunks were dedicated blocks: only the copy (and the
        // small first chunks, which are part of ordinary blocks) remain.
        EXPECT_LE(a.stats().reserved, before + (size_t{ 1 } << 20) + 16 * 1024);
        t.append("again");
        EXPECT_EQ(t.copy_to(a), "again");
    }
}
