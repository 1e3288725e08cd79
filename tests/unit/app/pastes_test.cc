#include <fstream>

#include <gtest/gtest.h>

#include "app/repl/pastes.h"
#include "support/process.h"

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

TEST(Pastes, APastedImagePathIsHeldAsAnAttachmentThatStandsForItsMention)
{
    ik::testing::TempDir dir;
    std::ofstream(dir.path() + "/shot.png", std::ios::binary) << std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    std::ofstream(dir.path() + "/fake.png") << "text, not an image\n";
    Pastes p;
    auto held = p.hold_image("'" + dir.path() + "/shot.png'\n", "/");
    ASSERT_TRUE(held);
    EXPECT_EQ(*held, "[image shot.png 16 bytes #1]");
    EXPECT_EQ(p.expand("see " + *held), "see @" + dir.path() + "/shot.png");
    // Relative to the directory given; file:// accepted.
    EXPECT_EQ(p.hold_image("shot.png", dir.path()), "[image shot.png 16 bytes #2]");
    EXPECT_EQ(p.hold_image("file://" + dir.path() + "/shot.png", "/"), "[image shot.png 16 bytes #3]");
    // Not images: a name is not enough, a missing file, a directory, two paths, text.
    EXPECT_FALSE(p.hold_image(dir.path() + "/fake.png", "/"));
    EXPECT_FALSE(p.hold_image(dir.path() + "/missing.png", "/"));
    EXPECT_FALSE(p.hold_image(dir.path(), "/"));
    EXPECT_FALSE(p.hold_image(dir.path() + "/shot.png " + dir.path() + "/shot.png", "/"));
    EXPECT_FALSE(p.hold_image("\x1b[31mshot.png", dir.path()));
}

} // namespace
} // namespace ik::app
