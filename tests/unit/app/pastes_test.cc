#include <gtest/gtest.h>

#include "app/repl/pastes.h"

namespace ik::app {
namespace {

TEST(Pastes, LineEndsAreNormalizedLikeTheEditorDoes)
{
    EXPECT_EQ(Pastes::normalized("a\r\nb\rc\n\r"), "a\nb\nc\n\n");
    EXPECT_TRUE(Pastes::large(Pastes::normalized(std::string(25, '\r'))));
}

TEST(Pastes, OnlyLongPastesAreHeld)
{
    EXPECT_FALSE(Pastes::large("one line"));
    EXPECT_FALSE(Pastes::large(std::string(19, '\n')));
    EXPECT_TRUE(Pastes::large(std::string(20, '\n')));
    EXPECT_TRUE(Pastes::large(std::string(4096, 'x')));
}

TEST(Pastes, PlaceholdersExpandToTheirTextAndNumbersNeverRepeat)
{
    Pastes p;
    std::string a = p.hold(std::string(3000, '\n'));
    EXPECT_EQ(a, "[pasted 3,000 lines #1]");
    std::string b = p.hold(std::string(5000, 'x'));
    EXPECT_EQ(b, "[pasted 5,000 bytes #2]");
    std::string sent = p.expand("see " + a + " and " + b + " [pasted 1 lines #9]");
    EXPECT_EQ(sent, "see " + std::string(3000, '\n') + " and " + std::string(5000, 'x') + " [pasted 1 lines #9]");
    p.clear();
    EXPECT_EQ(p.expand(a), a); // forgotten: a recalled placeholder stays text
    EXPECT_EQ(p.hold("x\n"), "[pasted 2 bytes #3]");
}

} // namespace
} // namespace ik::app
