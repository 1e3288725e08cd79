#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tui/keys.h"

using namespace ik::tui;

namespace {

std::vector<KeyEvent> decode(std::string_view bytes)
{
    KeyDecoder d;
    std::vector<KeyEvent> out;
    d.feed(bytes, out);
    d.flush_pending(out);
    return out;
}

// Feeds `bytes` split at every single point (and byte by byte) and checks
// each split decodes to the same events as the whole.
void expect_split_invariant(std::string_view bytes)
{
    auto whole = decode(bytes);
    auto same = [&](const std::vector<KeyEvent>& got, const std::string& how) {
        ASSERT_EQ(got.size(), whole.size()) << how;
        for (size_t i = 0; i < got.size(); ++i) {
            EXPECT_EQ(got[i].key, whole[i].key) << how;
            EXPECT_EQ(got[i].mods, whole[i].mods) << how;
            EXPECT_EQ(got[i].ch, whole[i].ch) << how;
            EXPECT_EQ(got[i].text, whole[i].text) << how;
            EXPECT_EQ(got[i].x, whole[i].x) << how;
        }
    };
    for (size_t cut = 1; cut < bytes.size(); ++cut) {
        KeyDecoder d;
        std::vector<KeyEvent> out;
        d.feed(bytes.substr(0, cut), out);
        d.feed(bytes.substr(cut), out);
        d.flush_pending(out);
        same(out, "split at " + std::to_string(cut));
    }
    KeyDecoder d;
    std::vector<KeyEvent> out;
    for (char c : bytes)
        d.feed(std::string_view(&c, 1), out);
    d.flush_pending(out);
    same(out, "byte by byte");
}

KeyEvent one(std::string_view bytes)
{
    auto events = decode(bytes);
    EXPECT_EQ(events.size(), 1u) << "for " << testing::PrintToString(std::string(bytes));
    expect_split_invariant(bytes);
    return events.empty() ? KeyEvent{} : events[0];
}

void expect_key(std::string_view bytes, Key key, uint8_t mods = mod_none)
{
    KeyEvent e = one(bytes);
    EXPECT_EQ(e.key, key) << testing::PrintToString(std::string(bytes));
    EXPECT_EQ(e.mods, mods) << testing::PrintToString(std::string(bytes));
}

void expect_char(std::string_view bytes, char32_t ch, uint8_t mods)
{
    KeyEvent e = one(bytes);
    EXPECT_TRUE(e.is_char(ch, mods)) << testing::PrintToString(std::string(bytes)) << " got key " << int(e.key)
                                     << " ch " << int(e.ch) << " mods " << int(e.mods);
}

} // namespace

TEST(KeyDecoder, TextIncludingMultiByteSplitAnywhere)
{
    std::string s = "aé日😀👨‍👩‍👧e\xCC\x81";
    auto events = decode(s);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].key, Key::Text);
    EXPECT_EQ(events[0].text, s);
    expect_split_invariant(s);
}

TEST(KeyDecoder, ControlKeys)
{
    expect_key("\r", Key::Enter);
    expect_key("\t", Key::Tab);
    expect_key("\x7f", Key::Backspace);
    expect_key("\x08", Key::Backspace);
    expect_char("\x01", 'a', mod_ctrl);
    expect_char("\x05", 'e', mod_ctrl);
    expect_char("\x0a", 'j', mod_ctrl);
    expect_char("\x12", 'r', mod_ctrl);
    expect_char("\x1a", 'z', mod_ctrl);
    expect_char("\x1f", '_', mod_ctrl);
    expect_char(std::string_view("\x00", 1), ' ', mod_ctrl);
}

TEST(KeyDecoder, AltKeys)
{
    expect_char("\x1b"
                "b",
        'b', mod_alt);
    expect_char("\x1b"
                "f",
        'f', mod_alt);
    expect_char("\x1b"
                "B",
        'b', mod_alt | mod_shift);
    expect_char("\x1b"
                ".",
        '.', mod_alt);
    expect_key("\x1b\r", Key::Enter, mod_alt);
    expect_key("\x1b\x7f", Key::Backspace, mod_alt);
    expect_char("\x1b\x01", 'a', mod_ctrl | mod_alt);
}

TEST(KeyDecoder, CursorKeysInCsiAndSs3Forms)
{
    expect_key("\x1b[A", Key::Up);
    expect_key("\x1b[B", Key::Down);
    expect_key("\x1b[C", Key::Right);
    expect_key("\x1b[D", Key::Left);
    expect_key("\x1b[H", Key::Home);
    expect_key("\x1b[F", Key::End);
    expect_key("\x1bOA", Key::Up);
    expect_key("\x1bOD", Key::Left);
    expect_key("\x1bOH", Key::Home);
    expect_key("\x1bOF", Key::End);
    expect_key("\x1bOM", Key::Enter);
    expect_key("\x1b[1~", Key::Home);
    expect_key("\x1b[7~", Key::Home);
    expect_key("\x1b[4~", Key::End);
    expect_key("\x1b[8~", Key::End);
    expect_key("\x1b[2~", Key::Insert);
    expect_key("\x1b[3~", Key::Delete);
    expect_key("\x1b[5~", Key::PageUp);
    expect_key("\x1b[6~", Key::PageDown);
    expect_key("\x1b[Z", Key::BackTab);
}

TEST(KeyDecoder, Modifiers)
{
    expect_key("\x1b[1;5D", Key::Left, mod_ctrl);
    expect_key("\x1b[1;5C", Key::Right, mod_ctrl);
    expect_key("\x1b[1;3C", Key::Right, mod_alt);
    expect_key("\x1b[1;2A", Key::Up, mod_shift);
    expect_key("\x1b[1;9D", Key::Left, mod_alt); // meta
    expect_key("\x1b[3;5~", Key::Delete, mod_ctrl);
    expect_key("\x1b[1;5H", Key::Home, mod_ctrl);
    expect_key("\x1bO5D", Key::Left, mod_ctrl);
}

TEST(KeyDecoder, FunctionKeysAreReported)
{
    for (std::string_view s : { "\x1bOP", "\x1bOS", "\x1b[11~", "\x1b[15~", "\x1b[24~", "\x1b[1;2P" })
        expect_key(s, Key::Function, one(s).mods);
    EXPECT_EQ(one("\x1b[24~").number, 12);
    EXPECT_EQ(one("\x1bOQ").number, 2);
}

TEST(KeyDecoder, KittyAndModifyOtherKeysEncodings)
{
    expect_key("\x1b[13u", Key::Enter);
    expect_key("\x1b[13;2u", Key::Enter, mod_shift);
    expect_key("\x1b[13;3u", Key::Enter, mod_alt);
    expect_char("\x1b[106;5u", 'j', mod_ctrl);
    expect_key("\x1b[27;2;13~", Key::Enter, mod_shift);
    expect_key("\x1b[127u", Key::Backspace);
    expect_key("\x1b[27u", Key::Escape);
}

TEST(KeyDecoder, SgrMouse)
{
    KeyEvent up = one("\x1b[<64;10;5M");
    EXPECT_EQ(up.key, Key::WheelUp);
    EXPECT_EQ(up.x, 10);
    EXPECT_EQ(up.y, 5);
    expect_key("\x1b[<65;1;1M", Key::WheelDown);
    KeyEvent click = one("\x1b[<0;120;40M");
    EXPECT_EQ(click.key, Key::MousePress);
    EXPECT_EQ(click.number, 0);
    EXPECT_EQ(click.x, 120);
    EXPECT_EQ(click.y, 40);
    KeyEvent release = one("\x1b[<2;3;4m");
    EXPECT_EQ(release.key, Key::MouseRelease);
    EXPECT_EQ(release.number, 2);
    expect_key("\x1b[<80;1;1M", Key::WheelUp, mod_ctrl);
}

TEST(KeyDecoder, IgnoredSequencesProduceNothing)
{
    for (std::string_view s : { "\x1b[I", "\x1b[O", "\x1b[<32;5;5M", "\x1b[<66;1;1M", "\x1b[?1;2c", "\x1b[12;40R",
             "\x1b[99x", "\x1b]11;rgb:0000/0000/0000\x07", "\x1bP1$r0m\x1b\\", "\x1b[M !!", "\x1b[201~" }) {
        EXPECT_TRUE(decode(s).empty()) << testing::PrintToString(std::string(s));
        expect_split_invariant(s);
    }
}

TEST(KeyDecoder, UnknownSequenceBetweenTextIsSwallowedWhole)
{
    auto events = decode("ab\x1b[99;1;1xcd");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].text, "abcd");
    expect_split_invariant("ab\x1b[99;1;1xcd\x1b[<64;1;1Mz");
}

TEST(KeyDecoder, LoneEscapeWaitsForTimeoutOrFlush)
{
    KeyDecoder d;
    std::vector<KeyEvent> out;
    auto t0 = KeyDecoder::Clock::time_point{} + std::chrono::seconds(100);
    d.feed("\x1b", out, t0);
    EXPECT_TRUE(out.empty());
    EXPECT_TRUE(d.pending());
    d.expire(t0 + std::chrono::milliseconds(5), out);
    EXPECT_TRUE(out.empty());
    d.expire(t0 + KeyDecoder::escape_timeout, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].key, Key::Escape);
    EXPECT_FALSE(d.pending());

    // A sequence completed within the timeout is the sequence, not Escape.
    out.clear();
    d.feed("\x1b", out, t0);
    d.feed("[A", out, t0 + std::chrono::milliseconds(1));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].key, Key::Up);

    // ESC ESC: the first is an Escape at once.
    out.clear();
    d.feed("\x1b\x1b[B", out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].key, Key::Escape);
    EXPECT_EQ(out[1].key, Key::Down);
}

TEST(KeyDecoder, FlushResolvesPartialInputSafely)
{
    KeyDecoder d;
    std::vector<KeyEvent> out;
    d.feed("\x1b[", out);
    d.flush_pending(out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(out[0].is_char('[', mod_alt));
    out.clear();
    d.feed("\x1b[1;5", out);
    d.flush_pending(out);
    EXPECT_TRUE(out.empty()); // an unfinished sequence is never shown
    d.feed("\xE6\x97", out); // two bytes of 日
    d.flush_pending(out);
    EXPECT_TRUE(out.empty());
    d.feed("x", out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].text, "x");
}

TEST(KeyDecoder, BracketedPasteIsOneEventKeepingControls)
{
    std::string body = "line 1\r\nline 2\ttab \x1b[A not a key \x03 é😀";
    std::string bytes = "x\x1b[200~" + body + "\x1b[201~y";
    auto events = decode(bytes);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].text, "x");
    EXPECT_EQ(events[1].key, Key::Paste);
    EXPECT_EQ(events[1].text, body);
    EXPECT_EQ(events[2].text, "y");
    expect_split_invariant(bytes);
}

TEST(KeyDecoder, EmptyPasteAndPasteFollowedByKeys)
{
    auto events = decode("\x1b[200~\x1b[201~\x1b[A\r");
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].key, Key::Paste);
    EXPECT_EQ(events[0].text, "");
    EXPECT_EQ(events[1].key, Key::Up);
    EXPECT_EQ(events[2].key, Key::Enter);
}

TEST(KeyDecoder, PasteInProgressIsNotPending)
{
    KeyDecoder d;
    std::vector<KeyEvent> out;
    d.feed("\x1b[200~abc\x1b[20", out);
    EXPECT_TRUE(d.in_paste());
    EXPECT_FALSE(d.pending());
    d.flush_pending(out);
    EXPECT_TRUE(out.empty());
    d.feed("1~", out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].text, "abc");
}

TEST(KeyDecoder, MegabytePasteInManyChunksIsOneEvent)
{
    std::string body;
    body.reserve(1 << 20);
    while (body.size() < (1u << 20))
        body += "fn main() { println!(\"日本語 😀\"); }\r";
    std::string bytes = "\x1b[200~" + body + "\x1b[201~\r";
    KeyDecoder d;
    std::vector<KeyEvent> out;
    // Odd chunk size so the terminator and multi-byte characters are split.
    for (size_t at = 0; at < bytes.size(); at += 4093)
        d.feed(std::string_view(bytes).substr(at, 4093), out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].key, Key::Paste);
    EXPECT_EQ(out[0].text.size(), body.size());
    EXPECT_TRUE(out[0].text == body);
    EXPECT_EQ(out[1].key, Key::Enter);
}

TEST(KeyDecoder, APastePastTheCapKeepsTheCapAndCountsTheRest)
{
    const size_t extra = 1000;
    std::string body(KeyDecoder::max_paste + extra, 'x');
    std::string bytes = "\x1b[200~" + body + "\x1b[201~a";
    size_t terminator = bytes.size() - 7;
    // Chunks of 64 KiB, then splits inside the terminator after the cap.
    std::vector<std::vector<size_t>> cuts = { {} };
    for (size_t at = 65536; at < bytes.size(); at += 65536)
        cuts[0].push_back(at);
    for (size_t k = 0; k <= 6; ++k)
        cuts.push_back({ terminator + k });
    for (const auto& cut : cuts) {
        KeyDecoder d;
        std::vector<KeyEvent> out;
        size_t from = 0;
        for (size_t at : cut) {
            d.feed(std::string_view(bytes).substr(from, at - from), out);
            from = at;
        }
        d.feed(std::string_view(bytes).substr(from), out);
        ASSERT_EQ(out.size(), 2u) << cut.size();
        EXPECT_EQ(out[0].key, Key::Paste);
        EXPECT_EQ(out[0].text.size(), KeyDecoder::max_paste);
        EXPECT_EQ(out[0].dropped, extra) << (cut.size() == 1 ? cut[0] - terminator : 99);
        EXPECT_EQ(out[1].key, Key::Text);
        EXPECT_EQ(out[1].text, "a");
    }
    // Under the cap nothing is dropped, even when the terminator straddles chunks.
    KeyDecoder d;
    std::vector<KeyEvent> out;
    std::string small = "\x1b[200~hello\x1b[201~";
    for (size_t at = 0; at < small.size(); ++at)
        d.feed(std::string_view(small).substr(at, 1), out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].text, "hello");
    EXPECT_EQ(out[0].dropped, 0u);
}

TEST(KeyDecoder, RandomBytesNeverYieldControlBytesAsText)
{
    // Seeded pseudo-random input, biased towards ESC, '[' and digits so many
    // partial and malformed sequences occur, fed in random-sized chunks.
    uint32_t seed = 12345;
    auto next = [&] {
        seed = seed * 1664525u + 1013904223u;
        return seed >> 8;
    };
    const std::string_view alphabet = "\x1b\x1b\x1b[[[;;<0123456789~ABCDHFMmuOPR]\x07\\a\xC3\xA9\xE6\x97\xA5\r\n\x7f";
    for (int round = 0; round < 200; ++round) {
        std::string bytes;
        size_t len = next() % 200;
        for (size_t i = 0; i < len; ++i)
            bytes += alphabet[next() % alphabet.size()];
        KeyDecoder d;
        std::vector<KeyEvent> out;
        for (size_t at = 0; at < bytes.size();) {
            size_t n = 1 + next() % 7;
            d.feed(std::string_view(bytes).substr(at, n), out);
            at += n;
        }
        d.flush_pending(out);
        for (const auto& e : out) {
            if (e.key != Key::Text)
                continue;
            for (char c : e.text)
                ASSERT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                    << "control byte in text for input " << testing::PrintToString(bytes);
        }
    }
}
