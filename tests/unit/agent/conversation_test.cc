#include <gtest/gtest.h>

#include "agent/conversation.h"

using namespace ik;
using ik::agent::Conversation;

TEST(Conversation, KeepsMessagesInOrderWithCopiedText)
{
    mem::Arena session("session");
    Conversation c(session);
    std::string prompt = "list files";
    c.add_user(prompt);
    prompt = "XXXXXXXXXX";
    llm::ToolCall call{ "call_1", "bash", R"({"command":"ls"})" };
    c.add_assistant("", "thinking...", "sig", std::span(&call, 1));
    c.add_tool_result("call_1", "bash", "a.txt\nb.txt", false);
    c.add_assistant("Two files.", "", "", {});
    ASSERT_EQ(c.size(), 4u);
    auto m = c.messages();
    EXPECT_EQ(m[0].role, llm::Role::user);
    EXPECT_EQ(m[0].text, "list files");
    EXPECT_EQ(m[1].tool_calls.size(), 1u);
    EXPECT_EQ(m[1].tool_calls[0].arguments, R"({"command":"ls"})");
    EXPECT_EQ(m[1].thinking_signature, "sig");
    EXPECT_EQ(m[2].role, llm::Role::tool);
    EXPECT_EQ(m[2].tool_call_id, "call_1");
    EXPECT_EQ(m[3].text, "Two files.");
}

TEST(Conversation, EvictsWholeExchangesAndReturnsTheirMemory)
{
    mem::Arena session("session");
    Conversation c(session);
    std::string big(10000, 'x');
    for (int i = 0; i < 5; ++i) {
        c.add_user(big);
        c.add_assistant(big, "", "", {});
    }
    size_t before = session.subtree_reserved();
    ASSERT_TRUE(c.evict_oldest());
    EXPECT_LT(session.subtree_reserved(), before - 20000);
    EXPECT_EQ(c.size(), 8u);
    EXPECT_EQ(c.messages()[0].role, llm::Role::user);
    EXPECT_EQ(c.evicted_messages(), 2u);
    while (c.evict_oldest()) { }
    EXPECT_EQ(c.size(), 2u) << "the newest exchange always stays";
}

TEST(Conversation, TruncateDropsLaterExchanges)
{
    mem::Arena session("session");
    Conversation c(session);
    c.add_user("one");
    c.add_assistant("1", "", "", {});
    c.add_user("two");
    c.add_assistant("2", "", "", {});
    c.truncate_exchanges(1);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c.messages()[1].text, "1");
    c.add_user("three");
    EXPECT_EQ(c.messages()[2].text, "three");
    c.clear();
    EXPECT_TRUE(c.empty());
}

TEST(Conversation, ExchangesKeepTheirNumbersAcrossEviction)
{
    mem::Arena session("session");
    Conversation c(session);
    for (const char* q : { "one", "two", "three" }) {
        c.add_user(q);
        c.add_assistant("a", "", "", {});
    }
    ASSERT_TRUE(c.evict_oldest());
    EXPECT_EQ(c.first_exchange(), 1u);
    EXPECT_EQ(c.exchange_end(), 3u);
    c.truncate_exchanges(2); // keeps exchange 1 ("two") only
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c.messages()[0].text, "two");
    c.add_user("four");
    EXPECT_EQ(c.exchange_end(), 3u);
    c.restart_at(5);
    EXPECT_TRUE(c.empty());
    c.add_user("five");
    EXPECT_EQ(c.first_exchange(), 5u);
    EXPECT_EQ(c.exchange_end(), 6u);
}

TEST(Conversation, CapPressureCanBeRelievedByEviction)
{
    mem::Arena root("root");
    mem::Arena& session = root.make_child("session", { .cap = 256 * 1024 });
    Conversation c(session);
    std::string chunk(8000, 'y');
    for (int i = 0; i < 200; ++i) {
        c.add_user(chunk);
        c.add_assistant(chunk, "", "", {});
        while (session.pressure() != mem::Pressure::normal && c.evict_oldest()) { }
    }
    EXPECT_LE(session.subtree_reserved(), 256u * 1024);
    EXPECT_GT(c.evicted_messages(), 0u);
}
