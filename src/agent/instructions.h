// The system prompt: ik's own default prompt (what ik is, its tools, the
// environment) followed by the user's AGENTS.md instructions.
//
// Two AGENTS.md files are read, general before specific so that the project
// has the last word: the user's ($XDG_CONFIG_HOME/ik/AGENTS.md, else
// ~/.config/ik/AGENTS.md) and the project's (at the project root: the
// nearest directory at or above the cwd that contains .git, else the cwd).
// Each is capped (32 KiB by default) at a line boundary, with a note saying
// how much was left out, so a huge file cannot crowd out the conversation.
//
//   auto env = agent::current_environment(cwd);
//   auto files = TRY(agent::load_instructions({.cwd = cwd, .user_config_dir = agent::user_config_dir()}));
//   std::string system = agent::build_system_prompt(env, agent::all_tools(), files);
//
// Everything returned owns its strings (heap): built once per session.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "agent/tools/tool.h"
#include "core/result.h"

namespace ik::agent {

inline constexpr size_t default_instructions_cap = size_t{ 32 } * 1024;

struct InstructionFile {
    std::filesystem::path path;
    std::string text; // possibly cut, with a trailing note when cut
    size_t original_bytes = 0;
    bool truncated = false;
};

struct InstructionSources {
    std::filesystem::path cwd;
    std::filesystem::path user_config_dir; // empty: no user-level file
    size_t cap = default_instructions_cap;
};

// The nearest directory at or above `cwd` containing .git; `cwd` if none.
std::filesystem::path find_project_root(const std::filesystem::path& cwd);

// $XDG_CONFIG_HOME/ik, else $HOME/.config/ik; empty when neither is set.
std::filesystem::path user_config_dir();

// The AGENTS.md files that exist, user-level first. A missing file is
// skipped; one that exists but cannot be read is an error (io), since
// silently dropping the user's instructions would be worse.
Result<std::vector<InstructionFile>> load_instructions(const InstructionSources& sources);

// Cuts `text` to at most `cap` bytes at a line boundary (or a UTF-8 boundary
// when the first line alone is too long) and appends a note naming `path`.
// `total_bytes` is the file's size when `text` is only its beginning.
InstructionFile cap_instructions(std::filesystem::path path, std::string text, size_t cap, size_t total_bytes = 0);

struct PromptEnvironment {
    std::filesystem::path cwd;
    std::filesystem::path project_root;
    bool git_repository = false;
    std::string os; // "Linux 6.1.0 x86_64"
    std::string date; // "2026-11-24"
};

PromptEnvironment current_environment(const std::filesystem::path& cwd);

// The whole system prompt: default prompt, environment, tools, instructions.
std::string build_system_prompt(const PromptEnvironment& env, std::span<const ToolDescriptor* const> tools,
    std::span<const InstructionFile> instructions);

} // namespace ik::agent
