#include <filesystem>

#include <fmt/format.h>

#include "agent/session.h"
#include "app/commands/internal/all.h"

namespace ik::app::slash {
namespace {

constexpr std::string_view write_prompt
    = "Write an AGENTS.md file at the root of this project ({}) for the coding agents and people who work on it "
      "after you. First read what tells you how the project works: the README, the build and package files, the "
      "CI configuration and a sample of the sources and tests. Then write, briefly and only what you have "
      "checked: what the project is; how to build it, run it and run its tests (exact commands); how the source "
      "tree is laid out; the conventions the code follows (style, error handling, naming, tests); and anything "
      "surprising a newcomer should know. Create the file with the write_file tool.";
constexpr std::string_view improve_prompt
    = "This project ({}) already has an AGENTS.md. Read it, then read what tells you how the project works now: "
      "the README, the build and package files, the CI configuration and a sample of the sources and tests. "
      "Improve AGENTS.md with the edit_file tool where it is missing, wrong or out of date (exact build and test "
      "commands, the layout of the source tree, the conventions the code follows, anything surprising), keeping "
      "what is still true and its author's voice.";

Result<void> run(CommandHost& host, std::string_view args)
{
    if (!args.empty())
        return fail(usage_error(init));
    std::filesystem::path root = host.session().settings().approval.project_root;
    if (root.empty())
        root = host.session().settings().cwd;
    std::error_code ec;
    bool exists = std::filesystem::exists(root / "AGENTS.md", ec);
    // The edit comes back as a tool call, approved (or not) like any other.
    return host.send_prompt(fmt::format(fmt::runtime(exists ? improve_prompt : write_prompt), root.string()));
}

} // namespace

const SlashCommand init{ "init", "", "ask the model to write (or improve) AGENTS.md for this project", run };

} // namespace ik::app::slash
