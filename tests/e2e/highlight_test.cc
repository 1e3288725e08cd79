// Syntax highlighting end to end: a reply's fenced code is coloured by
// language once its block is finished, an unknown language stays plain, and
// with IK_DEBUG set a dim line says why.
#include "repl_fixture.h"

namespace ik::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The pane with its colours (SGR sequences as tmux re-emits them).
std::string coloured(Tmux& tmux)
{
    return tmux.command({ "capture-pane", "-p", "-e", "-t", "0" });
}

TEST_F(ReplE2e, FencedCodeIsHighlightedByLanguageAndUnknownOnesStayPlain)
{
    ASSERT_NO_FATAL_FAILURE(start(R"([{"steps": [{"text": "Code:\n\n```cpp\nint main() { return 42; }\n```\n\n"},
        {"text": "```nosuchlang\nreturn plain_word;\n```\n\nEND-OF-REPLY"}]}])",
        100, 30, "IK_DEBUG=1"));
    ASSERT_NO_FATAL_FAILURE(launch());
    send("show code");
    ASSERT_TRUE(tmux->wait_for("END-OF-REPLY")) << tmux->screen();
    std::string screen = tmux->screen();
    EXPECT_THAT(screen, HasSubstr("╭─ cpp"));
    EXPECT_THAT(screen, HasSubstr("│ int main() { return 42; }"));
    EXPECT_THAT(screen, HasSubstr("highlighting 'nosuchlang' left plain"));
    std::string pane = coloured(*tmux);
    // In the C++ block: `int` a type (cyan), `return` a keyword (magenta), 42 a number (yellow).
    size_t at = pane.find("42");
    ASSERT_NE(at, std::string::npos) << pane;
    size_t from = pane.rfind('\n', at) + 1;
    std::string cpp_line = pane.substr(from, pane.find('\n', at) - from);
    EXPECT_THAT(cpp_line, HasSubstr("36m")) << cpp_line;
    EXPECT_THAT(cpp_line, HasSubstr("35mreturn")) << cpp_line;
    EXPECT_THAT(cpp_line, HasSubstr("33m42")) << cpp_line;
    // The unknown language's line has no colour around its words.
    size_t plain = pane.find("plain_word");
    ASSERT_NE(plain, std::string::npos);
    std::string plain_line = pane.substr(pane.rfind('\n', plain) + 1, pane.find('\n', plain) - pane.rfind('\n', plain));
    EXPECT_THAT(plain_line, Not(HasSubstr("35m"))) << plain_line;
    EXPECT_THAT(plain_line, Not(HasSubstr("1;35"))) << plain_line;
    tmux->keys({ "C-d" });
    expect_restored("ik-exit=0");
}

} // namespace
} // namespace ik::testing
