// The `hooks` key: Claude Code's shape read as it is, and clear errors for
// what ik cannot run (which file, which key, what was expected).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.h"
#include "support/matchers.h"

using namespace ik;
using namespace ik::config;
using ik::testing::HasError;
using ik::testing::HasErrorMessage;
using ik::testing::IsOk;
using ::testing::AllOf;
using ::testing::HasSubstr;

namespace {

Result<Config> parse(std::string_view text)
{
    Config c = defaults();
    TRY(apply_file_text(c, text, "/cfg/config.json"));
    return c;
}

TEST(HooksConfig, ClaudeCodeSettingsReadUnchanged)
{
    auto c = parse(R"({"hooks": {
        "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "./guard.sh", "timeout": 30}]},
            {"matcher": "Edit|Write", "hooks": [{"type": "command", "command": "fmt"}]}
        ],
        "Stop": [{"hooks": [{"type": "command", "command": "make test"}]}],
        "SessionStart": [{"matcher": "", "hooks": []}]
    }})");
    ASSERT_THAT(c, IsOk());
    ASSERT_EQ(c->hooks.events.size(), 3u);
    const HookEventConfig& pre = c->hooks.events[0];
    EXPECT_EQ(pre.event, "PreToolUse");
    ASSERT_EQ(pre.groups.size(), 2u);
    EXPECT_EQ(pre.groups[0].matcher, "Bash");
    EXPECT_EQ(pre.groups[0].hooks[0].command, "./guard.sh");
    EXPECT_EQ(pre.groups[0].hooks[0].timeout_s, 30);
    EXPECT_EQ(pre.groups[1].hooks[0].timeout_s, 60); // Claude Code's default
    EXPECT_EQ(c->hooks.events[1].event, "Stop");
    EXPECT_EQ(c->hooks.events[1].groups[0].matcher, "");
    EXPECT_EQ(c->hooks.events[2].event, "SessionStart");
    // `ik config` shows them.
    EXPECT_THAT(to_json(*c), HasSubstr(R"("hooks": {"PreToolUse":[{"matcher":"Bash")"));
}

TEST(HooksConfig, ErrorsNameTheFileTheKeyAndWhatWasExpected)
{
    EXPECT_THAT(parse(R"({"hooks": {"PreToolUse": [{"matcher": "(", "hooks": []}]}})"),
        HasErrorMessage(AllOf(HasSubstr("/cfg/config.json"), HasSubstr("hooks.PreToolUse[0].matcher"),
            HasSubstr("not a valid regular expression"))));
    EXPECT_THAT(parse(R"({"hooks": {"PreToolUse": [{"matcher": "(", "hooks": []}]}})"), HasError(ErrorCode::config));
    EXPECT_THAT(parse(R"({"hooks": {"PreTooluse": []}})"),
        HasErrorMessage(AllOf(HasSubstr("unknown key 'PreTooluse'"), HasSubstr("did you mean 'PreToolUse'"))));
    EXPECT_THAT(parse(R"({"hooks": {"Notification": []}})"), HasErrorMessage(HasSubstr("unknown key 'Notification'")));
    EXPECT_THAT(parse(R"({"hooks": {"Stop": [{"hooks": [{"type": "prompt", "command": "x"}]}]}})"),
        HasErrorMessage(AllOf(HasSubstr("hooks.Stop[0].hooks[0].type"), HasSubstr("expected \"command\""))));
    EXPECT_THAT(parse(R"({"hooks": {"Stop": [{"hooks": [{"type": "command"}]}]}})"),
        HasErrorMessage(HasSubstr("hooks.Stop[0].hooks[0].command")));
    EXPECT_THAT(parse(R"({"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "  "}]}]}})"),
        HasErrorMessage(HasSubstr("empty")));
    EXPECT_THAT(parse(R"({"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x", "timeout": 0}]}]}})"),
        HasErrorMessage(AllOf(HasSubstr("hooks.Stop[0].hooks[0].timeout"), HasSubstr("1 to 3600"))));
    EXPECT_THAT(parse(R"({"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x", "timeout": "5"}]}]}})"),
        HasErrorMessage(HasSubstr("hooks.Stop[0].hooks[0].timeout")));
    EXPECT_THAT(parse(R"({"hooks": {"Stop": [{"matcher": "x"}]}})"), HasErrorMessage(HasSubstr("missing key 'hooks'")));
    EXPECT_THAT(parse(R"({"hooks": {"Stop": [{"hooks": [], "macher": "x"}]}})"),
        HasErrorMessage(HasSubstr("unknown key 'macher'")));
    EXPECT_THAT(parse(R"({"hooks": {"Stop": {}}})"), HasErrorMessage(HasSubstr("hooks.Stop")));
    EXPECT_THAT(parse(R"({"hooks": []})"), HasError(ErrorCode::config));
}

} // namespace
