#include <gtest/gtest.h>

#include "net/sse.h"
#include "support/matchers.h"

namespace ik::net {
namespace {

using ::ik::testing::HasError;
using ::ik::testing::IsOk;
using ::testing::ElementsAre;

struct Seen {
    std::string type, data, id;
    bool operator==(const Seen&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Seen& s)
{
    return os << "{" << s.type << "|" << s.data << "|" << s.id << "}";
}

std::vector<Seen> parse_pieces(const std::vector<std::string_view>& pieces, bool finish = true)
{
    mem::Arena arena(mem::root(), "sse-test");
    SseParser p(arena);
    std::vector<Seen> out;
    auto cb = [&](const SseEvent& e) -> Result<void> {
        out.push_back({ std::string(e.type), std::string(e.data), std::string(e.id) });
        return {};
    };
    for (auto piece : pieces)
        EXPECT_THAT(p.feed(piece, cb), IsOk());
    if (finish) {
        EXPECT_THAT(p.finish(cb), IsOk());
    }
    return out;
}
std::vector<Seen> parse(std::string_view text, bool finish = true)
{
    return parse_pieces({ text }, finish);
}

TEST(SseParser, LineEndings)
{
    EXPECT_THAT(parse("data: a\n\n"), ElementsAre(Seen{ "message", "a", "" }));
    EXPECT_THAT(parse("data: a\r\n\r\n"), ElementsAre(Seen{ "message", "a", "" }));
    EXPECT_THAT(parse("data: a\r\rdata: b\r\r"), ElementsAre(Seen{ "message", "a", "" }, Seen{ "message", "b", "" }));
    EXPECT_THAT(
        parse("data: a\r\n\ndata: b\n\r\n"), ElementsAre(Seen{ "message", "a", "" }, Seen{ "message", "b", "" }));
}

TEST(SseParser, CommentsAndUnknownFieldsIgnored)
{
    EXPECT_THAT(parse(": ping\ndata: x\n: more\nfoo: bar\n\n"), ElementsAre(Seen{ "message", "x", "" }));
    EXPECT_THAT(parse(": only a comment\n\n"), ElementsAre());
}

TEST(SseParser, MultiLineDataJoinedWithNewline)
{
    EXPECT_THAT(parse("data: a\ndata:b\ndata:  c\n\n"), ElementsAre(Seen{ "message", "a\nb\n c", "" }));
}

TEST(SseParser, EventIdAndRetryFields)
{
    using namespace std::literals;
    mem::Arena arena(mem::root(), "sse-test");
    SseParser p(arena);
    std::vector<Seen> out;
    auto cb = [&](const SseEvent& e) -> Result<void> {
        out.push_back({ std::string(e.type), std::string(e.data), std::string(e.id) });
        return {};
    };
    ASSERT_THAT(p.feed("event: ping\nid: 7\nretry: 1500\ndata: x\n\ndata: y\n\nretry: 12x\nid: a\0b\ndata: z\n\n"
                       "event: e\n\n"sv,
                    cb),
        IsOk());
    EXPECT_THAT(out, ElementsAre(Seen{ "ping", "x", "7" }, Seen{ "message", "y", "7" }, Seen{ "message", "z", "7" }));
    EXPECT_EQ(p.retry_ms(), 1500);
}

TEST(SseParser, IdWithNulIgnored)
{
    using namespace std::literals;
    EXPECT_THAT(parse("id: 1\n\ndata: a\nid: x\0y\n\n"sv), ElementsAre(Seen{ "message", "a", "1" }));
}

TEST(SseParser, FieldWithoutColonAndSpaceStripping)
{
    // "data" alone is a data field with an empty value; only one space is stripped.
    EXPECT_THAT(parse("data\ndata\n\n"), ElementsAre(Seen{ "message", "\n", "" }));
    EXPECT_THAT(parse("data:  two\n\n"), ElementsAre(Seen{ "message", " two", "" }));
    EXPECT_THAT(parse("data:\n\n"), ElementsAre(Seen{ "message", "", "" }));
    EXPECT_THAT(parse("event\ndata: x\n\n"), ElementsAre(Seen{ "message", "x", "" }));
}

TEST(SseParser, NoDataNoDispatchAndTypeResets)
{
    EXPECT_THAT(parse("event: a\n\ndata: x\n\n"), ElementsAre(Seen{ "message", "x", "" }));
}

TEST(SseParser, LeadingBomSkippedOnlyOnce)
{
    EXPECT_THAT(parse("\xEF\xBB\xBF"
                      "data: a\n\n"),
        ElementsAre(Seen{ "message", "a", "" }));
    EXPECT_THAT(parse_pieces({ "\xEF", "\xBB",
                    "\xBF"
                    "da",
                    "ta: a\n\n" }),
        ElementsAre(Seen{ "message", "a", "" }));
    // A second BOM is part of the line: field name "\xEF\xBB\xBF" "data" is unknown.
    EXPECT_THAT(parse("\xEF\xBB\xBF\xEF\xBB\xBF"
                      "data: a\n\n"),
        ElementsAre());
}

TEST(SseParser, PendingEventDeliveredByFinish)
{
    EXPECT_THAT(parse("data: last", /*finish=*/false), ElementsAre());
    EXPECT_THAT(parse("data: last"), ElementsAre(Seen{ "message", "last", "" }));
    EXPECT_THAT(parse("data: a\ndata: b\n"), ElementsAre(Seen{ "message", "a\nb", "" }));
    EXPECT_THAT(parse("data: a\r"), ElementsAre(Seen{ "message", "a", "" }));
}

TEST(SseParser, CrThenLfAcrossChunksIsOneLineEnd)
{
    EXPECT_THAT(parse_pieces({ "data: a\r", "\ndata: b\r", "\n\r", "\n" }), ElementsAre(Seen{ "message", "a\nb", "" }));
}

TEST(SseParser, CallbackErrorStopsParsing)
{
    mem::Arena arena(mem::root(), "sse-test");
    SseParser p(arena);
    int calls = 0;
    auto cb = [&](const SseEvent&) -> Result<void> {
        ++calls;
        return fail(ErrorCode::store, "sink failed");
    };
    EXPECT_THAT(p.feed("data: a\n\ndata: b\n\n", cb), HasError(ErrorCode::store));
    EXPECT_EQ(calls, 1);
}

// A sample exercising every rule; any split (two pieces at every offset, or
// byte by byte) must give exactly the same events as one piece.
constexpr std::string_view sample
    = "\xEF\xBB\xBF: comment\r\nevent: delta\r\nid: 42\r\ndata: {\"t\":\"h\xC3\xA9llo \xE2\x9C\x93\"}\r\n\r\n"
      "data: line1\rdata:line2\r\rretry: 300\ndata\n\nevent: end\ndata: \xF0\x9F\x98\x80 done\n\ndata: tail";

TEST(SseParser, EverySplitPointGivesTheSameEvents)
{
    std::vector<Seen> whole = parse(sample);
    ASSERT_THAT(whole,
        ElementsAre(Seen{ "delta", "{\"t\":\"h\xC3\xA9llo \xE2\x9C\x93\"}", "42" },
            Seen{ "message", "line1\nline2", "42" }, Seen{ "message", "", "42" },
            Seen{ "end", "\xF0\x9F\x98\x80 done", "42" }, Seen{ "message", "tail", "42" }));
    for (size_t cut = 0; cut <= sample.size(); ++cut)
        EXPECT_EQ(parse_pieces({ sample.substr(0, cut), sample.substr(cut) }), whole) << "split at " << cut;
    std::vector<std::string_view> bytes;
    for (size_t i = 0; i < sample.size(); ++i)
        bytes.push_back(sample.substr(i, 1));
    EXPECT_EQ(parse_pieces(bytes), whole);
}

TEST(SseParser, ALineOverItsCapIsRefusedBeforeItIsBuffered)
{
    mem::Arena arena(mem::root(), "sse-test");
    SseParser p(arena, SseParser::Limits{ .line_bytes = 1024, .event_bytes = 4096 });
    int events = 0;
    auto cb = [&](const SseEvent&) -> Result<void> {
        ++events;
        return {};
    };
    ASSERT_THAT(p.feed("data: ok\n\n", cb), IsOk());
    std::string chunk(600, 'x');
    ASSERT_THAT(p.feed("data: ", cb), IsOk());
    ASSERT_THAT(p.feed(chunk, cb), IsOk());
    EXPECT_THAT(p.feed(chunk, cb), HasError(ErrorCode::cap_exceeded));
    EXPECT_LT(arena.subtree_reserved(), 64u * 1024) << "the line was not kept";
    // A whole line over the cap inside one chunk is refused too.
    SseParser q(arena, SseParser::Limits{ .line_bytes = 1024, .event_bytes = 4096 });
    EXPECT_THAT(q.feed("data: " + std::string(2000, 'y') + "\n\n", cb), HasError(ErrorCode::cap_exceeded));
    EXPECT_EQ(events, 1);
}

TEST(SseParser, AnEventOverItsCapIsRefused)
{
    mem::Arena arena(mem::root(), "sse-test");
    SseParser p(arena, SseParser::Limits{ .line_bytes = 1024, .event_bytes = 2048 });
    auto cb = [&](const SseEvent&) -> Result<void> { return {}; };
    std::string line = "data: " + std::string(900, 'z') + "\n";
    ASSERT_THAT(p.feed(line, cb), IsOk());
    ASSERT_THAT(p.feed(line, cb), IsOk());
    EXPECT_THAT(p.feed(line, cb), HasError(ErrorCode::cap_exceeded));
}

TEST(SseParser, LongDataLinesAcrossChunksAreDeliveredIntact)
{
    std::string big(100 * 1024, 'q');
    big[0] = 'A';
    big.back() = 'Z';
    std::string body = "event: e\ndata: " + big + "\n\ndata: small\n\ndata: " + big + "\ndata: two\n\n";
    std::vector<std::string_view> pieces;
    for (size_t i = 0; i < body.size(); i += 4000)
        pieces.push_back(std::string_view(body).substr(i, 4000));
    auto seen = parse_pieces(pieces);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0], (Seen{ "e", big, "" }));
    EXPECT_EQ(seen[1], (Seen{ "message", "small", "" }));
    EXPECT_EQ(seen[2], (Seen{ "message", big + "\ntwo", "" }));
}

TEST(SseParser, LinesThatAreNotFieldsAreKeptAsStray)
{
    mem::Arena arena(mem::root(), "sse-test");
    SseParser p(arena);
    auto cb = [&](const SseEvent&) -> Result<void> { return {}; };
    ASSERT_THAT(p.feed("data: {}\n\n: a comment\n{\n  \"error\": {\"code\": 503}\n}\n", cb), IsOk());
    ASSERT_THAT(p.finish(cb), IsOk());
    EXPECT_EQ(p.stray(), "{\n  \"error\": {\"code\": 503}\n}\n");
    EXPECT_EQ(p.events(), 1u);
}

} // namespace
} // namespace ik::net
