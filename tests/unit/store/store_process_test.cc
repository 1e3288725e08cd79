// The store against real processes, on both backends: a writer killed with
// SIGKILL mid-reply and mid-append, and two writers at once. Children are
// forked, open their own connection, never touch the parent's, report by
// exit status and end with _exit; the parent kills and reaps them by pid.
#include <functional>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "core/json.h"
#include "store/records.h"
#include "store/reply_text.h"
#include "store/store.h"
#include "support/forked_child.h"
#include "support/matchers.h"
#include "support/valgrind.h"
#include "unit/store/backends.h"

namespace ik::store::test {
namespace {

using ::ik::testing::Child;
using ::ik::testing::IsOk;
using ::ik::testing::signal_parent;

template <typename B> class StoreProcess : public StoreTest<B> {
};
TYPED_TEST_SUITE(StoreProcess, Backends, BackendNames);

std::string text_of(mem::Arena& arena, std::string_view data)
{
    Result<json::value> v = json::parse(arena, data);
    return v ? std::string(json::Field(*v)["text"].string_or("")) : "<bad json>";
}

TYPED_TEST(StoreProcess, KillDuringStreamingLosesAtMostTheLastBatch)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    ASSERT_THAT(this->store->append(id, EventKind::user, R"({"text":"tell a story"})"), IsOk());
    const TypeParam& b = this->backend;
    Child child([&](int fd) {
        auto s = b.open();
        if (!s)
            return 2;
        Store& w = **s;
        w.set_options({ .flush_interval = std::chrono::milliseconds(5), .flush_bytes = 64 * 1024 });
        Result<Reply> reply = w.begin_reply(id);
        if (!reply)
            return 3;
        for (int i = 0;; ++i) {
            if (!w.append_text(*reply, fmt::format("chunk-{} ", i)))
                return 4;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            if (!w.flush_if_due())
                return 5;
            // Several batches are durable by now, chunk-40's included: the
            // flush is forced so that a loaded machine, which may not run
            // this child again before the kill, cannot make it a flake.
            if (i == 40) {
                if (!w.flush(*reply))
                    return 6;
                signal_parent(fd);
            }
        }
    });
    ASSERT_TRUE(child.wait_signal());
    // The writer is alive: its open reply must not be taken for abandoned.
    EXPECT_EQ(*this->store->recover_interrupted(), 0u);
    std::this_thread::sleep_for(std::chrono::milliseconds(7)); // land anywhere in the stream
    child.kill9();

    // PostgreSQL frees a dead client's locks when its backend notices the
    // closed socket; give it a moment.
    std::unique_ptr<Store> after;
    for (int i = 0; i < 100; ++i) {
        after = this->reopen();
        ASSERT_NE(after, nullptr);
        auto events = after->load_events(this->arena, id);
        if (events && events->back().kind == EventKind::interrupted)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto events = after->load_events(this->arena, id);
    ASSERT_THAT(events, IsOk());
    ASSERT_GE(events->size(), 3u);
    EXPECT_EQ(events->front().kind, EventKind::user);
    ASSERT_EQ(events->back().kind, EventKind::interrupted);
    std::string partial;
    ReplyText joined(this->arena);
    mem::Arena scratch(this->arena, "scratch");
    for (const Event& e : events->subspan(1, events->size() - 2)) {
        ASSERT_EQ(e.kind, EventKind::assistant_partial);
        partial += text_of(this->arena, e.data);
        EXPECT_EQ(*joined.take(scratch, e), true);
    }
    // The event refers to the batches that survived instead of repeating them.
    EXPECT_EQ(text_of(this->arena, events->back().data), "");
    EXPECT_THAT(std::string(events->back().data), ::testing::HasSubstr(R"("partials":true)"));
    auto record = InterruptedRecord::parse(scratch, events->back().data);
    ASSERT_THAT(record, IsOk());
    std::string kept(joined.text(*record));
    EXPECT_EQ(kept, partial);
    EXPECT_THAT(kept, ::testing::StartsWith("chunk-0 chunk-1 chunk-2 "));
    EXPECT_THAT(kept, ::testing::HasSubstr("chunk-40 "));
    EXPECT_THAT(std::string(events->back().data), ::testing::HasSubstr("process writing this reply ended"));
    EXPECT_THAT(after->check_integrity(), IsOk());
    // Marked once only.
    EXPECT_EQ(*after->recover_interrupted(), 0u);
    EXPECT_EQ(this->reopen()->session(this->arena, id)->event_count, static_cast<int64_t>(events->size()));
}

TYPED_TEST(StoreProcess, KillDuringAppendsNeverCorrupts)
{
    std::string id = *this->store->create_session({ .cwd = "/w" });
    const TypeParam& b = this->backend;
    Child child([&](int fd) {
        auto s = b.open();
        if (!s)
            return 2;
        for (int i = 0;; ++i) {
            if (!(*s)->append(id, EventKind::tool_result,
                    fmt::format(R"({{"text":"line {} {}"}})", i, std::string(i % 700, 'x'))))
                return 3;
            if (i == 50)
                signal_parent(fd);
        }
    });
    ASSERT_TRUE(child.wait_signal());
    std::this_thread::sleep_for(std::chrono::milliseconds(13));
    child.kill9();
    auto after = this->reopen();
    ASSERT_NE(after, nullptr);
    EXPECT_THAT(after->check_integrity(), IsOk());
    auto events = after->load_events(this->arena, id);
    ASSERT_THAT(events, IsOk());
    EXPECT_GT(events->size(), 50u);
    for (size_t i = 0; i < events->size(); ++i)
        ASSERT_EQ((*events)[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(after->session(this->arena, id)->event_count, static_cast<int64_t>(events->size()));
    EXPECT_THAT(after->append(id, EventKind::user, R"({"text":"still writable"})"), IsOk());
}

TYPED_TEST(StoreProcess, TwoWritersAtOnceBothSucceed)
{
    IK_SKIP_UNDER_VALGRIND("forked writers run under valgrind too and exit with its error code");
    constexpr int per_writer = 150;
    std::string shared = *this->store->create_session({ .cwd = "/shared" });
    int gate[2];
    ASSERT_EQ(pipe(gate), 0);
    const TypeParam& b = this->backend;
    auto writer = [&](int who) {
        return [&, who](int) {
            close(gate[1]);
            auto s = b.open();
            if (!s) {
                fprintf(stderr, "writer %d: %s\n", who, s.error().to_string().c_str());
                return 2;
            }
            Result<std::string> own = (*s)->create_session({ .cwd = fmt::format("/own{}", who) });
            char c;
            (void)!read(gate[0], &c, 1); // returns when the parent closes the gate: both start together
            for (int i = 0; i < per_writer && own; ++i) {
                std::string data = fmt::format(R"({{"text":"w{} {}"}})", who, i);
                Result<int64_t> x = (*s)->append(shared, EventKind::user, data);
                Result<int64_t> y = (*s)->append(*own, EventKind::assistant, data);
                if (!x || !y) {
                    fprintf(stderr, "writer %d: %s\n", who, (!x ? x : y).error().to_string().c_str());
                    return 3;
                }
            }
            return own ? 0 : 4;
        };
    };
    Child one(writer(1));
    Child two(writer(2));
    close(gate[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // let both connect
    close(gate[1]);
    EXPECT_EQ(one.wait_exit(), 0);
    EXPECT_EQ(two.wait_exit(), 0);

    EXPECT_THAT(this->store->check_integrity(), IsOk());
    auto events = this->store->load_events(this->arena, shared);
    ASSERT_THAT(events, IsOk());
    ASSERT_EQ(events->size(), size_t{ 2 * per_writer });
    int next[3] = { 0, 0, 0 };
    for (size_t i = 0; i < events->size(); ++i) {
        EXPECT_EQ((*events)[i].seq, static_cast<int64_t>(i + 1));
        std::string text = text_of(this->arena, (*events)[i].data);
        int who = text[1] - '0';
        ASSERT_TRUE(who == 1 || who == 2) << text;
        EXPECT_EQ(text, fmt::format("w{} {}", who, next[who]++)); // each writer's order kept
    }
    auto sessions = this->store->list_sessions(this->arena, {});
    ASSERT_EQ(sessions->size(), 3u);
    for (const SessionInfo& s : *sessions)
        EXPECT_EQ(s.event_count, s.id == shared ? 2 * per_writer : per_writer);
}

} // namespace
} // namespace ik::store::test

namespace ik::store::test {
namespace {

using ::ik::testing::HasError;

// A child that claims `id` in its own store: 0 when it got it, 10 when it was
// refused with a message naming `holder`, 11 when refused otherwise.
int claim_in_child(const std::function<Result<std::unique_ptr<Store>>()>& open, const std::string& id, pid_t holder)
{
    auto s = open();
    if (!s)
        return 2;
    Result<void> r = (*s)->claim_session(id);
    if (r)
        return 0;
    bool named = r.error().code() == ErrorCode::denied
        && r.error().message().find(fmt::format("ik (pid {}) on host ", holder)) != std::string::npos;
    return named ? 10 : 11;
}

template <typename B> class SessionClaims : public StoreTest<B> {
};
TYPED_TEST_SUITE(SessionClaims, Backends, BackendNames);

TYPED_TEST(SessionClaims, OneLiveHolderAndADeadOneIsTakenOver)
{
    IK_SKIP_UNDER_VALGRIND("forked claimers run under valgrind too and exit with its error code");
    std::string id = *this->store->create_session({ .cwd = "/w" }); // claimed by this process
    const TypeParam& b = this->backend;
    auto open = [&] { return b.open(); };
    pid_t self = getpid();
    {
        Child other([&](int) { return claim_in_child(open, id, self); });
        EXPECT_EQ(other.wait_exit(), 10);
    }
    this->store.reset(); // closing releases the claim
    {
        Child other([&](int) { return claim_in_child(open, id, self); });
        EXPECT_EQ(other.wait_exit(), 0);
    }

    Child holder([&](int fd) {
        auto s = b.open();
        if (!s || !(*s)->claim_session(id))
            return 2;
        signal_parent(fd);
        for (;;)
            pause();
    });
    ASSERT_TRUE(holder.wait_signal());
    std::unique_ptr<Store> mine = this->reopen();
    ASSERT_NE(mine, nullptr);
    EXPECT_THAT(mine->claim_session(id), HasError(ErrorCode::denied));
    holder.kill9();
    // PostgreSQL frees a dead client's lock once its backend notices.
    Result<void> taken = fail(ErrorCode::internal, "not tried");
    for (int i = 0; i < 100 && !taken; ++i) {
        taken = mine->claim_session(id);
        if (!taken)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_THAT(taken, IsOk());
    EXPECT_THAT(mine->claim_session(id), IsOk()); // again: a no-op
}

} // namespace
} // namespace ik::store::test
