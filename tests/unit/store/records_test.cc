// The event records: every kind round-trips through its JSON, the JSON is
// valid whatever the text holds, and parsing is tolerant of older events but
// not of corrupt ones.
#include <array>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/json.h"
#include "store/records.h"
#include "support/matchers.h"

namespace ik::store::test {
namespace {

using ::ik::testing::HasError;
using ::ik::testing::HasErrorMessage;
using ::ik::testing::IsOk;
using ::testing::HasSubstr;

class Records : public ::testing::Test {
protected:
    // Writes the record, checks the text is one JSON object, parses it back.
    template <typename R> R round_trip(const R& r)
    {
        std::string_view text = r.to_json(arena);
        auto v = json::parse(arena, text);
        EXPECT_THAT(v, IsOk()) << text;
        EXPECT_TRUE(v && v->is_object()) << text;
        auto back = R::parse(arena, text);
        EXPECT_THAT(back, IsOk()) << text;
        return back.value_or(R{});
    }
    mem::Arena arena{ "records" };
};

TEST_F(Records, EveryKindRoundTrips)
{
    EXPECT_EQ(round_trip(UserRecord{ .text = "fix it" }).text, "fix it");
    EXPECT_EQ(round_trip(CommandRecord{ .text = "/mark a" }).text, "/mark a");
    EXPECT_EQ(round_trip(SystemRecord{ .text = "note" }).text, "note");

    ToolCallRecord calls[] = { { .id = "c1", .name = "bash", .arguments = R"({"command":"ls"})" },
        { .id = "c2", .name = "read_file", .arguments = "" } };
    auto a = round_trip(AssistantRecord{
        .text = "t", .thinking = "th", .signature = "sg", .tool_calls = calls, .stop_reason = "tool_calls" });
    EXPECT_EQ(a.text, "t");
    EXPECT_EQ(a.thinking, "th");
    EXPECT_EQ(a.signature, "sg");
    EXPECT_EQ(a.stop_reason, "tool_calls");
    ASSERT_EQ(a.tool_calls.size(), 2u);
    EXPECT_EQ(a.tool_calls[0].arguments, R"({"command":"ls"})");
    EXPECT_EQ(a.tool_calls[1].name, "read_file");

    EXPECT_TRUE(a.sources.empty());
    SourceRecord sources[] = { { .url = "https://a.example/x", .title = "A \"quoted\" title" },
        { .url = "https://b.example/", .title = "" } };
    auto searched = round_trip(AssistantRecord{ .text = "t", .sources = sources });
    ASSERT_EQ(searched.sources.size(), 2u);
    EXPECT_EQ(searched.sources[0].url, "https://a.example/x");
    EXPECT_EQ(searched.sources[0].title, "A \"quoted\" title");
    EXPECT_EQ(searched.sources[1].title, "");

    auto tc = round_trip(calls[0]);
    EXPECT_EQ(tc.id, "c1");
    EXPECT_EQ(tc.arguments, R"({"command":"ls"})");

    auto p = round_trip(AssistantPartialRecord{ .reply = 7, .text = "par" });
    EXPECT_EQ(p.reply, 7);
    EXPECT_EQ(p.text, "par");

    auto th = round_trip(ThinkingRecord{ .text = "x", .signature = "y" });
    EXPECT_EQ(th.signature, "y");

    auto tr = round_trip(ToolResultRecord{ .id = "c1",
        .name = "bash",
        .text = "out",
        .is_error = true,
        .summary = "exit 3, 1 line",
        .state = ToolState::ran,
        .exit_code = 3 });
    EXPECT_EQ(tr.exit_code, 3);
    EXPECT_EQ(tr.state, ToolState::ran);
    EXPECT_TRUE(tr.is_error);
    EXPECT_FALSE(round_trip(ToolResultRecord{ .state = ToolState::cancelled }).exit_code);
    EXPECT_EQ(round_trip(ToolResultRecord{ .state = ToolState::cancelled }).state, ToolState::cancelled);

    auto ap = round_trip(ApprovalRecord{ .call_id = "c1",
        .tool = "bash",
        .verdict = "deny",
        .source = "deny_rule",
        .rule = "bash:rm",
        .command = "rm" });
    EXPECT_EQ(ap.verdict, "deny");
    EXPECT_EQ(ap.rule, "bash:rm");
    EXPECT_EQ(ap.path, "");

    auto mk = round_trip(MarkRecord{ .name = "m", .exchanges = 4 });
    EXPECT_EQ(mk.exchanges, 4);
    auto rw = round_trip(RewindRecord{ .to_seq = 12, .name = "m" });
    EXPECT_EQ(rw.to_seq, 12);
    auto us = round_trip(UsageRecord{ .input = 1, .output = 2, .cached = 3, .reasoning = 4 });
    EXPECT_EQ(us.reasoning, 4);
    EXPECT_FALSE(us.cost_usd);
    EXPECT_EQ(us.purpose, "");
    auto priced = round_trip(UsageRecord{ .input = 1000, .cost_usd = 0.0125, .purpose = "compaction" });
    EXPECT_DOUBLE_EQ(priced.cost_usd.value_or(0), 0.0125);
    EXPECT_EQ(priced.purpose, "compaction");
    EXPECT_FALSE(us.bytes_per_token);
    auto calibrated = round_trip(UsageRecord{ .input = 700, .bytes_per_token = 2.9328571428571427 });
    EXPECT_EQ(calibrated.bytes_per_token.value_or(0), 2.9328571428571427); // exact: resume estimates as live did
    auto er = round_trip(ErrorRecord{ .category = "limit", .text = "stopped" });
    EXPECT_EQ(er.category, "limit");
    auto in = round_trip(InterruptedRecord{ .reason = "cancelled", .text = "half", .reply = 3 });
    EXPECT_EQ(in.reply, 3);
    EXPECT_FALSE(round_trip(InterruptedRecord{ .reason = "cancelled" }).reply);
    auto ev = round_trip(EvictionRecord{ .first_exchange = 5, .messages = 9 });
    EXPECT_EQ(ev.first_exchange, 5);
    EXPECT_EQ(ev.messages, 9);
    const std::array<PruneRecord, 2> prunes
        = { { { .index = 2, .head = 512, .tail = 512 }, { .index = 4, .head = 100, .tail = 50 } } };
    auto cp = round_trip(CompactionRecord{ .mode = "summary",
        .cut = 7,
        .summary = "Goals: \"x\"\nFiles: a.c",
        .prunes = prunes,
        .before_tokens = 9000,
        .after_tokens = 4000,
        .reason = "threshold",
        .focus = "the parser" });
    EXPECT_EQ(cp.mode, "summary");
    EXPECT_EQ(cp.cut, 7);
    EXPECT_EQ(cp.summary, "Goals: \"x\"\nFiles: a.c");
    ASSERT_EQ(cp.prunes.size(), 2u);
    EXPECT_EQ(cp.prunes[1].index, 4);
    EXPECT_EQ(cp.prunes[1].tail, 50);
    EXPECT_EQ(cp.focus, "the parser");
    EXPECT_EQ(round_trip(CompactionRecord{ .mode = "prune" }).focus, "");
}

TEST_F(Records, HostileTextStaysInsideItsString)
{
    std::string nasty = "quote \" backslash \\ newline \n tab \t nul ";
    nasty += '\0';
    nasty += " esc \x1b[31m bell \x07 del \x7f utf8 é 🎉 \"}],\"text\":\"injected";
    auto back = round_trip(UserRecord{ .text = nasty });
    EXPECT_EQ(back.text, nasty);
    std::string_view text = UserRecord{ .text = nasty }.to_json(arena);
    EXPECT_EQ(text.find('\x1b'), std::string_view::npos) << "control bytes are escaped";
    EXPECT_EQ(text.find('\n'), std::string_view::npos);
}

TEST_F(Records, OlderEventsParseWithDefaults)
{
    // tool_result before `state` and `exit_code`: the summaries the turn
    // wrote for denied and cancelled calls, else is_error decides.
    auto denied = ToolResultRecord::parse(
        arena, R"({"id":"c","name":"bash","text":"Not run","is_error":true,"summary":"denied"})");
    ASSERT_THAT(denied, IsOk());
    EXPECT_EQ(denied->state, ToolState::denied);
    EXPECT_FALSE(denied->exit_code);
    auto cancelled = ToolResultRecord::parse(arena, R"({"id":"c","is_error":true,"summary":"cancelled"})");
    EXPECT_EQ(cancelled->state, ToolState::cancelled);
    auto failed = ToolResultRecord::parse(arena, R"({"id":"c","is_error":true,"summary":"error"})");
    EXPECT_EQ(failed->state, ToolState::failed);
    auto ran = ToolResultRecord::parse(arena, R"({"id":"c","is_error":false,"summary":"exit 0, 2 lines"})");
    EXPECT_EQ(ran->state, ToolState::ran);
    EXPECT_FALSE(ran->exit_code) << "the summary is display text, never parsed";

    // approval under the name the old schema comment used.
    auto ap = ApprovalRecord::parse(arena, R"({"tool":"bash","decision":"allow"})");
    ASSERT_THAT(ap, IsOk());
    EXPECT_EQ(ap->verdict, "allow");

    auto mark = MarkRecord::parse(arena, R"({"name":"m"})");
    ASSERT_THAT(mark, IsOk());
    EXPECT_FALSE(mark->exchanges);
    auto assistant = AssistantRecord::parse(arena, R"({"text":"hi"})");
    ASSERT_THAT(assistant, IsOk());
    EXPECT_TRUE(assistant->tool_calls.empty());
    auto empty = UsageRecord::parse(arena, "{}");
    ASSERT_THAT(empty, IsOk());
    EXPECT_EQ(empty->input, 0);
}

TEST_F(Records, ImagesRoundTripInUserMessagesAndToolResultsAndAreWrittenOnlyWhenThere)
{
    ImageRecord images[] = { { .media_type = "image/png", .name = "shot.png", .data = "iVBORw0KGgo=" },
        { .media_type = "image/gif", .name = "a\"b.gif", .data = "R0lGODlh" } };
    auto u = round_trip(UserRecord{ .text = "see", .images = images });
    ASSERT_EQ(u.images.size(), 2U);
    EXPECT_EQ(u.images[0].media_type, "image/png");
    EXPECT_EQ(u.images[0].data, "iVBORw0KGgo=");
    EXPECT_EQ(u.images[1].name, "a\"b.gif");
    auto tr = round_trip(ToolResultRecord{ .id = "c1", .name = "read_file", .text = "image", .images = images });
    ASSERT_EQ(tr.images.size(), 2U);
    EXPECT_EQ(tr.images[1].data, "R0lGODlh");
    EXPECT_EQ(UserRecord{ .text = "plain" }.to_json(arena), R"({"text":"plain"})");
    EXPECT_THAT(UserRecord::parse(arena, R"({"text":"x","images":[1]})"), HasErrorMessage(HasSubstr("images[0]")));
    EXPECT_THAT(
        UserRecord::parse(arena, R"({"text":"x","images":[{"data":5}]})"), HasErrorMessage(HasSubstr("images[0]")));
    EXPECT_THAT(ToolResultRecord::parse(arena, R"({"images":"x"})"), HasErrorMessage(HasSubstr("images")));
}

TEST_F(Records, CorruptEventsAreErrorsNamingTheField)
{
    EXPECT_THAT(UserRecord::parse(arena, R"({"text":5})"), HasErrorMessage(HasSubstr("text")));
    EXPECT_THAT(UserRecord::parse(arena, R"([1,2])"), HasError(ErrorCode::invalid_argument));
    EXPECT_THAT(UserRecord::parse(arena, R"({"text":)"), HasErrorMessage(HasSubstr("user event")));
    EXPECT_THAT(AssistantRecord::parse(arena, R"({"tool_calls":[1]})"), HasErrorMessage(HasSubstr("tool_calls[0]")));
    EXPECT_THAT(AssistantRecord::parse(arena, R"({"tool_calls":{"id":1}})"), HasErrorMessage(HasSubstr("tool_calls")));
    EXPECT_THAT(AssistantRecord::parse(arena, R"({"sources":[{"url":1}]})"), HasErrorMessage(HasSubstr("sources[0]")));
    EXPECT_THAT(AssistantRecord::parse(arena, R"({"sources":"x"})"), HasErrorMessage(HasSubstr("sources")));
    EXPECT_THAT(ToolResultRecord::parse(arena, R"({"state":"exploded"})"), HasErrorMessage(HasSubstr("exploded")));
    EXPECT_THAT(RewindRecord::parse(arena, R"({"to_seq":"ten"})"), HasErrorMessage(HasSubstr("to_seq")));
    EXPECT_THAT(UsageRecord::parse(arena, R"({"cost_usd":"free"})"), HasErrorMessage(HasSubstr("cost_usd")));
    EXPECT_THAT(CompactionRecord::parse(arena, R"({"prunes":[[1,2,3]]})"), HasErrorMessage(HasSubstr("prunes[0]")));
    EXPECT_THAT(CompactionRecord::parse(arena, R"({"prunes":[{"index":"x"}]})"), HasErrorMessage(HasSubstr("index")));
}

TEST(EventKinds, EvictionAndCompactionAreKindsOfTheirOwn)
{
    EXPECT_EQ(to_string(EventKind::eviction), "eviction");
    EXPECT_EQ(parse_event_kind("eviction"), EventKind::eviction);
    EXPECT_EQ(static_cast<size_t>(EventKind::compaction), 15u);
    EXPECT_EQ(to_string(EventKind::compaction), "compaction");
    for (size_t i = 0; i < event_kind_count; ++i) {
        auto kind = static_cast<EventKind>(i);
        EXPECT_EQ(parse_event_kind(to_string(kind)), kind);
    }
}

} // namespace
} // namespace ik::store::test
