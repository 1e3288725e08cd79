// Skills: directories holding a SKILL.md (front matter `name` and
// `description`, then instructions) and any files those instructions use,
// in the shape Claude Code and other agents share, so skills written for
// them work in ik.
//
// Searched, first found wins for a name:
//   <project>/.ik/skills/  <project>/.claude/skills/  <project>/.agents/skills/
//   $XDG_CONFIG_HOME/ik/skills/ (~/.config/ik/skills/)
// Each child directory with a SKILL.md is one skill. Only the names and
// descriptions go into the system prompt (skills_prompt(), capped); the
// `skill` tool (tools/skill.cc) loads a body and lists or reads its files
// when the model decides a skill applies.
//
// Files are read confined beneath the root they were found under (the
// project for the project's directories, the skills directory for the
// user's), capped; a SKILL.md without a description, with a bad name or
// front matter that does not parse is left out with a note.
//
//   SkillScan scan = scan_skills(loop, skill_sources(project_root));
//   system_prompt += skills_prompt(scan.skills);
//
// Everything returned owns its strings (heap); a scan is a few small reads.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/loop.h"
#include "core/result.h"

namespace ik::agent {

inline constexpr size_t max_skill_file = size_t{ 256 } * 1024; // SKILL.md and each file read through the tool
inline constexpr size_t max_skills = 200;
inline constexpr size_t max_prompt_skills = 64; // listed in the system prompt
inline constexpr size_t max_skill_description = 512; // bytes, in the prompt
inline constexpr size_t max_skill_files = 200; // listed by the tool

struct Skill {
    std::string name; // "pdf-forms"
    std::string description; // one line, capped
    std::filesystem::path dir; // absolute
    std::filesystem::path root; // what its files are read beneath (real path)
    std::string source; // ".claude/skills", "~/.config/ik/skills"
};

struct SkillSources {
    std::filesystem::path project_root; // empty: none
    std::filesystem::path user_dir; // the user's skills directory; empty: none
};

struct SkillScan {
    std::vector<Skill> skills; // in search order
    std::vector<std::string> notes; // one line per skill left out
};

// The sources for a project: its root and $XDG_CONFIG_HOME/ik/skills.
SkillSources skill_sources(const std::filesystem::path& project_root);

SkillScan scan_skills(Loop& loop, const SkillSources& sources);

// The system prompt's section naming the skills; empty without skills.
std::string skills_prompt(std::span<const Skill> skills);

// SKILL.md's instructions (after the front matter), read again.
Result<std::string> load_skill_body(Loop& loop, const Skill& skill);

// The skill's files, relative to its directory, sorted; at most
// max_skill_files (then a last entry says how many more).
std::vector<std::string> skill_files(const Skill& skill);

// One of its files (`relative` to its directory: no "..", not absolute),
// confined and capped like SKILL.md, text only.
Result<std::string> read_skill_file(Loop& loop, const Skill& skill, std::string_view relative);

} // namespace ik::agent
