// Custom commands: Markdown files that become slash commands, in the shapes
// Claude Code and others already use, so what people wrote for them works.
//
// Searched, first found wins for a name:
//   <project>/.ik/commands/        the project's, for ik
//   <project>/.claude/commands/    the project's, written for Claude Code
//   $XDG_CONFIG_HOME/ik/commands/  the user's (~/.config/ik/commands/)
// `greet.md` is /greet; `git/commit.md` is /git:commit (a subdirectory is a
// namespace, up to three deep). Names are letters, digits, '_', '-' and '.';
// other files are skipped with a note. Built-in commands win over a file of
// the same name (the app's table decides; see app/commands/custom.h).
//
// A file is read confined (tools/internal/confined.h) beneath the root it
// was found in (the project root for the project's directories, the user's
// commands directory for theirs), so a symlink leading elsewhere is
// refused; at most max_command_file bytes; its front matter (front_matter.h)
// gives `description`, `argument-hint`, `model` and `allowed-tools`. A file
// that breaks any of this is left out, with a note naming the file and the
// line.
//
//   CommandScan scan = scan_commands(loop, {.project_root = root, .user_dir = user_config_dir() / "commands"});
//   for (auto& note : scan.notes) print(note);
//   auto body = TRY(load_command_body(loop, scan.commands[0]));   // the template
//
// Everything returned owns its strings (heap); a scan runs once at start.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/loop.h"
#include "core/result.h"

namespace ik::agent {

inline constexpr size_t max_command_file = size_t{ 64 } * 1024;
inline constexpr size_t max_custom_commands = 500;

struct CustomCommand {
    std::string name; // "git:commit"
    std::string description; // front matter, else the body's first line
    std::string argument_hint; // "[message]"
    std::string model; // "anthropic/claude-haiku-4-5"; empty: the session's
    std::vector<std::string> allowed_tools; // as written ("Bash(git status:*)")
    std::filesystem::path path; // absolute
    std::filesystem::path root; // where it is read beneath (real path)
    std::string source; // ".ik/commands", ".claude/commands", "~/.config/ik/commands"
};

struct CommandSources {
    std::filesystem::path project_root; // empty: no project commands
    std::filesystem::path user_dir; // the user's commands directory; empty: none
    std::string user_label = "~/.config/ik/commands"; // how notes and /help name it
};

struct CommandScan {
    std::vector<CustomCommand> commands; // sorted by name
    std::vector<std::string> notes; // one line per file left out
};

CommandScan scan_commands(Loop& loop, const CommandSources& sources);

// The file's text after its front matter, read again (it may have changed
// since the scan), confined and capped like the scan.
Result<std::string> load_command_body(Loop& loop, const CustomCommand& command);

} // namespace ik::agent
