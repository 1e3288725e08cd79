#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/records.h"
#include "store/reply_text.h"
#include "support/matchers.h"

namespace ik::store::test {
namespace {

using ::ik::testing::IsOk;

class ReplyTextTest : public ::testing::Test {
protected:
    mem::Arena arena{ "test" };
    mem::Arena scratch{ arena, "scratch" };
    ReplyText joined{ arena };
    int64_t seq = 0;

    bool take(EventKind kind, std::string_view data) { return *joined.take(scratch, Event{ ++seq, kind, 0, data }); }
    bool partial(int64_t reply, std::string_view text)
    {
        return take(
            EventKind::assistant_partial, AssistantPartialRecord{ .reply = reply, .text = text }.to_json(arena));
    }
    std::string interrupted(InterruptedRecord r)
    {
        std::string_view data = r.to_json(arena);
        EXPECT_FALSE(take(EventKind::interrupted, data));
        auto parsed = InterruptedRecord::parse(arena, data);
        EXPECT_THAT(parsed, IsOk());
        return std::string(joined.text(*parsed));
    }
};

TEST_F(ReplyTextTest, JoinsTheBatchesOfTheReplyThenTheEventsOwnText)
{
    EXPECT_TRUE(partial(3, "one "));
    EXPECT_TRUE(partial(3, "two "));
    EXPECT_EQ(interrupted({ .reason = "cancelled", .text = "three", .reply = 3, .partials = true }), "one two three");
}

TEST_F(ReplyTextTest, JoinsTheBatchesOfALongFinishedReply)
{
    EXPECT_TRUE(partial(3, "one "));
    EXPECT_TRUE(partial(3, "two "));
    std::string_view data = AssistantRecord{ .text = "three", .reply = 3, .partials = true }.to_json(arena);
    EXPECT_FALSE(take(EventKind::assistant, data));
    auto parsed = AssistantRecord::parse(arena, data);
    ASSERT_THAT(parsed, IsOk());
    EXPECT_EQ(joined.text(*parsed), "one two three");
    EXPECT_EQ(joined.text(*parsed), "one two three") << "asked twice, joined once";
    // The next reply starts from nothing.
    EXPECT_FALSE(take(EventKind::user, R"({"text":"again"})"));
    EXPECT_EQ(interrupted({ .reason = "x", .text = "alone", .reply = 4, .partials = true }), "alone");
}

TEST_F(ReplyTextTest, AnOldEventWithoutPartialsIsItsOwnTextAlone)
{
    // Before the `partials` field the event repeated the batches.
    EXPECT_TRUE(partial(4, "one "));
    EXPECT_EQ(interrupted({ .reason = "cancelled", .text = "one two", .reply = 4 }), "one two");
}

TEST_F(ReplyTextTest, BatchesOfAFinishedReplyAreDroppedAtItsAssistantEvent)
{
    EXPECT_TRUE(partial(5, "finished reply "));
    EXPECT_FALSE(take(EventKind::assistant, R"({"text":"finished reply done"})"));
    EXPECT_TRUE(partial(6, "cut "));
    EXPECT_EQ(interrupted({ .reason = "x", .text = "", .reply = 6, .partials = true }), "cut ");
    // And the joined text is not carried into the next interrupted reply.
    EXPECT_FALSE(take(EventKind::user, R"({"text":"again"})"));
    EXPECT_EQ(interrupted({ .reason = "x", .text = "alone", .reply = 7, .partials = true }), "alone");
}

TEST_F(ReplyTextTest, BatchesOfAnotherReplyAreNotJoined)
{
    EXPECT_TRUE(partial(8, "stale "));
    EXPECT_TRUE(partial(9, "fresh "));
    EXPECT_EQ(interrupted({ .reason = "x", .text = "end", .reply = 9, .partials = true }), "fresh end");
}

TEST_F(ReplyTextTest, AMalformedBatchIsAnError)
{
    Result<bool> r = joined.take(scratch, Event{ 1, EventKind::assistant_partial, 0, R"({"reply":"x"})" });
    EXPECT_FALSE(r);
}

} // namespace
} // namespace ik::store::test
